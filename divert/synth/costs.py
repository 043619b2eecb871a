"""Unit costs: the scenario's, and by calendar year where they change.

Jail days follow King County's published daily rates by year; the program month falls as
the program grows (fixed costs spread over more participant-months), Seattle's $899
falling to $532 (Collins et al. 2019). The other items are illustrative.

>>> jail_day_rate({2010: 110.52, 2011: 119.62, 2021: 205.0}, np.array([2009, 2011, 2016])).tolist()
[110.52, 119.62, 162.31]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from divert.synth.scenario import Scenario

_UNITS = {
    "booking": ("one jail booking", "illustrative"),
    "jail_day": (
        "one jail bed-day",
        "King County daily rate: $110.52 (2010), $119.62 (2011), $205 (2021), $220 (2022); "
        "linear between (King County Executive 2010; Center Square)",
    ),
    "prosecution_per_charge": ("one filed charge, prosecution", "illustrative"),
    "defense_per_charge": ("one filed charge, public defense", "illustrative"),
    "court_event": ("one court hearing", "illustrative"),
    "program_month": (
        "one participant-month of LEAD",
        "fixed monthly cost over participant-months plus a cost per participant-month; "
        "Seattle: $899 falling to $532 with scale (Collins et al. 2019)",
    ),
}


def jail_day_rate(by_year: dict[int, float], years: np.ndarray) -> np.ndarray:
    points = sorted(by_year.items())
    return np.round(np.interp(years, [y for y, _ in points], [v for _, v in points]), 2)


def cost_tables(
    s: Scenario, monthly: pd.DataFrame, start: np.datetime64, end: np.datetime64
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The unit cost table (one row per item, at the last simulated year) and the costs by
    calendar year.

    `monthly` is the monthly_status table: its follow-up rows are the participant-months.
    """
    c = s.costs
    first = int(start.astype("datetime64[Y]").astype(np.int64)) + 1970
    last = int((end - np.timedelta64(1, "s")).astype("datetime64[Y]").astype(np.int64)) + 1970
    years = np.arange(first, last + 1)
    follow = monthly[monthly.months_since_intake >= 0]
    pm = (
        pd.Series(pd.DatetimeIndex(follow.month).year)
        .value_counts()
        .reindex(years, fill_value=0)
        .to_numpy()
    )
    # Program months in each year, from the launch to the end date.
    launch = np.datetime64(s.program.launch_date, "M")
    month = np.arange(launch, end.astype("datetime64[M]") + 1)
    month = month[month.astype("datetime64[s]") < end]
    running = pd.Series(month.astype("datetime64[Y]").astype(np.int64) + 1970).value_counts()
    running = running.reindex(years, fill_value=0).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        program = np.where(
            pm > 0,
            c.program_per_participant_month + c.program_fixed_per_month * running / pm,
            np.nan,
        )
    by_year = pd.DataFrame(
        {
            "year": years,
            "jail_day": jail_day_rate(c.jail_day_by_year, years),
            "program_month": np.round(program, 2),
            "participant_months": pm,
        }
    )
    # The unit table keeps one row per item: the last simulated year's values.
    unit = {
        "booking": c.booking,
        "jail_day": float(jail_day_rate(c.jail_day_by_year, np.array([last]))[0]),
        "prosecution_per_charge": c.prosecution_per_charge,
        "defense_per_charge": c.defense_per_charge,
        "court_event": c.court_event,
        "program_month": float(np.round(program[-1], 2)) if np.isfinite(program[-1]) else 0.0,
    }
    costs = pd.DataFrame(
        [
            {"item": k, "unit": u, "dollars": float(unit[k]), "source": src}
            for k, (u, src) in _UNITS.items()
        ]
    )
    return costs, by_year
