"""The synthetic county's calls for service and complaints against police: Poisson counts per
area and day from the area's residents, multiplied in a LEAD area from its launch by the
scenario's program ratios (so the true difference in differences is that ratio)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from divert.synth.rng import stream
from divert.synth.scenario import Scenario

DAYS_PER_MONTH = 365.25 / 12


def _draw(
    rng: np.random.Generator,
    areas: pd.DataFrame,
    residents: pd.Series,
    start: np.datetime64,
    end: np.datetime64,
    per_1000_day: float,
    ratio: float,
) -> tuple[np.ndarray, np.ndarray]:
    """(area_id, received_at) of events over whole days in [start, end)."""
    days = np.arange(start.astype("datetime64[D]"), end.astype("datetime64[D]"))
    area_ids, times = [], []
    for area in areas.itertuples():
        rate = np.full(len(days), per_1000_day * residents.get(area.area_id, 0) / 1000)
        if area.lead_area and not pd.isna(area.lead_launch):
            rate[days >= np.datetime64(area.lead_launch, "D")] *= ratio
        counts = rng.poisson(rate)
        at = np.repeat(days, counts).astype("datetime64[s]")
        at += rng.integers(0, 86400, size=len(at)).astype("timedelta64[s]")
        area_ids.append(np.full(len(at), area.area_id, dtype=np.int64))
        times.append(at)
    return np.concatenate(area_ids), np.concatenate(times)


def _ordered(area_id: np.ndarray, at: np.ndarray) -> np.ndarray:
    return np.lexsort((area_id, at))


def dispatch_tables(
    s: Scenario,
    areas: pd.DataFrame,
    population: pd.DataFrame,
    start: np.datetime64,
    end: np.datetime64,
    seed: int,
) -> dict[str, pd.DataFrame]:
    d = s.dispatch
    rng = stream(seed, "dispatch")
    residents = population.groupby("area_id").residents.sum()
    area_id, at = _draw(
        rng, areas, residents, start, end, d.calls_per_1000_month / DAYS_PER_MONTH,
        d.program_calls_ratio,
    )  # fmt: skip
    order = _ordered(area_id, at)
    kinds = list(d.call_kinds)
    calls = pd.DataFrame(
        {
            "call_id": np.arange(1, len(order) + 1),
            "area_id": area_id[order],
            "received_at": at[order].astype("datetime64[ns]"),
            "kind": rng.choice(kinds, size=len(order), p=[d.call_kinds[k] for k in kinds]),
        }
    )
    area_id, at = _draw(
        rng, areas, residents, start, end, d.complaints_per_1000_year / 365.25,
        d.program_complaints_ratio,
    )  # fmt: skip
    order = _ordered(area_id, at)
    complaints = pd.DataFrame(
        {
            "complaint_id": np.arange(1, len(order) + 1),
            "area_id": area_id[order],
            "received_at": at[order].astype("datetime64[ns]"),
        }
    )
    return {"calls_for_service": calls, "complaints": complaints}
