"""Officers by area and shift, and the potential police encounters with their offenses.

"Potential" because the program effect later removes some encounters that happen after a
person's intake (program.py). Each person meets the police as a Poisson process per kind of
encounter (drug, sex work, other) at a rate set by behaviour, latent risk and enforcement,
so any racial disparity is at equal behaviour. Encounters follow the seasons, the days of
the week and the hours of the day; downtown hotspots draw people who live elsewhere.

>>> from divert.synth.scenario import Scenario
>>> from divert.synth.population import residents
>>> s = Scenario(); areas, pop, people = residents(s, 20_000, seed=1)
>>> officers = officer_table(s, 20_000, seed=1)
>>> ev = potential_encounters(s, people, officers, years=1, seed=1)
>>> bool((ev.person[1:] >= ev.person[:-1]).all()), sorted(set(ev.shift.tolist()))
(True, [0, 1, 2])
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from divert.synth.population import People
from divert.synth.rng import stream
from divert.synth.scenario import Scenario

SECONDS_PER_YEAR = 365.25 * 86400
DRUG, SEX_WORK, OTHER = 0, 1, 2
# Patrol shifts: day 07-15, evening 15-23, night 23-07 (local time).
SHIFTS = np.array(["day", "evening", "night"], dtype=object)
SALE_FLAGS = ("exploitation_of_minor", "exploitation_of_adult", "sale_to_minor", "school_zone")
_SALES = ("subsistence_sale", "sale_for_profit", "manufacture")

# Offense mixes (illustrative, shaped on the FBI's 2011 arrest shares). (code, weight).
_OTHER = (
    ("23C", 5.0), ("23H", 5.5), ("23D", 1.0), ("23F", 1.0), ("220", 2.8), ("240", 0.6),
    ("290", 2.2), ("280", 0.8), ("26A", 1.6), ("250", 0.7), ("120", 1.0), ("13A", 3.8),
    ("13B", 11.5), ("13C", 0.6), ("09A", 0.1), ("11A", 0.2), ("200", 0.1), ("100", 0.1),
    ("520", 1.4), ("90D", 11.2), ("90G", 4.6), ("90E", 4.9), ("90C", 5.4), ("90B", 1.1),
    ("90J", 3.0), ("90F", 1.0), ("90Z", 21.0), ("40C", 0.3),
)  # fmt: skip
# What substance users are arrested for besides drugs: theft, trespass, disorder.
_USER_OTHER = (
    ("23C", 25.0), ("23H", 12.0), ("23F", 5.0), ("290", 6.0), ("90J", 14.0), ("90C", 8.0),
    ("90Z", 18.0), ("13B", 6.0), ("220", 3.0), ("280", 3.0),
)  # fmt: skip
_DRUG_ACTIVITY = (
    ("possess", 0.71), ("use", 0.05), ("subsistence_sale", 0.10),
    ("sale_for_profit", 0.06), ("manufacture", 0.02),
)  # fmt: skip
_PARAPHERNALIA = 0.07  # of drug encounters: 35B, recorded as possession
_GRAMS_MEDIAN = {
    "possess": 0.8,
    "use": 0.3,
    "subsistence_sale": 1.5,
    "sale_for_profit": 12.0,
    "manufacture": 25.0,
}
# Median dollar value of the property, lognormal with sigma 1 (illustrative).
_VALUE_MEDIAN = {
    "23C": 60.0, "23H": 150.0, "23D": 150.0, "23F": 200.0, "290": 250.0, "220": 900.0,
    "240": 4000.0, "280": 500.0, "26A": 600.0, "250": 300.0,
}  # fmt: skip
_OPIOIDS = ("heroin", "other_opioid", "prescription_opioid_pills")
# Relative encounter intensity by hour of day, per kind (illustrative): most arrests in the
# afternoon and evening, fewest before dawn; drug and sex-work markets peak later.
_HOURS = np.arange(24)
_HOUR_PROFILE = {
    DRUG: 1 + 0.6 * np.cos(2 * np.pi * (_HOURS - 20) / 24),
    SEX_WORK: 1 + 0.8 * np.cos(2 * np.pi * (_HOURS - 23) / 24),
    OTHER: 1 + 0.5 * np.cos(2 * np.pi * (_HOURS - 17) / 24),
}
_WEEKDAY = np.array([0.95, 0.95, 0.97, 1.0, 1.08, 1.1, 0.95])  # Monday first


@dataclass
class Events:
    """Potential encounters, sorted by person then time; one array per field."""

    person: np.ndarray  # index into People
    at: np.ndarray  # datetime64[s]
    area: np.ndarray  # area index
    shift: np.ndarray  # 0 day, 1 evening, 2 night
    officer: np.ndarray  # index into the officers table
    probable_cause: np.ndarray  # bool
    category: np.ndarray  # 0 drug, 1 sex work, 2 other
    code: np.ndarray  # primary NIBRS code
    activity: np.ndarray
    drug: np.ndarray  # object, None if not a drug offense
    grams: np.ndarray  # float, NaN if none
    value: np.ndarray  # dollars for property offenses, NaN otherwise
    dv: np.ndarray  # bool: the primary offense is domestic violence
    code2: np.ndarray  # secondary NIBRS code or ""
    sale_flags: np.ndarray  # bool, one column per SALE_FLAGS
    u_effect: np.ndarray  # uniform for thinning by the program effect
    u_officer: np.ndarray  # uniform for the officer's willingness
    u_amenable: np.ndarray  # uniform for the officer's amenability judgment
    u_decline: np.ndarray  # uniform for the person's answer
    u_action: np.ndarray  # uniform for booking, citation or release

    def __len__(self) -> int:
        return len(self.person)

    def take(self, mask: np.ndarray) -> Events:
        return Events(**{f.name: getattr(self, f.name)[mask] for f in fields(self)})


def officer_table(s: Scenario, residents: int, seed: int) -> pd.DataFrame:
    """Officers per area and shift, with heavy-tailed buy-in: some never divert, a few a lot."""
    rng = stream(seed, "officers")
    p = s.police
    shares = np.array([a.resident_share * a.draw for a in s.county.areas])
    shares = shares / shares.sum()
    per_area = np.maximum(3, np.round(residents * p.officers_per_1k_residents / 1000 * shares))
    area = np.repeat(np.arange(len(shares)), per_area.astype(int))
    n = len(area)
    # Round-robin over the shifts within each area, so every area and shift is staffed.
    rank = np.arange(n) - np.repeat(
        np.cumsum(per_area.astype(int)) - per_area.astype(int), per_area.astype(int)
    )
    shift = rank % 3
    buy_in = np.minimum(0.95, p.buy_in_median * rng.lognormal(0.0, p.buy_in_sigma, n))
    buy_in = np.where(rng.random(n) < p.never_divert_share, 0.0, buy_in)
    return pd.DataFrame(
        {
            "officer_id": np.arange(1, n + 1),
            "area_id": area + 1,
            "shift": SHIFTS[shift],
            "buy_in": buy_in,
            "activity": rng.lognormal(0.0, p.officer_activity_sigma, n),
        }
    )


def _pick(rng: np.random.Generator, table: tuple, n: int) -> np.ndarray:
    values = np.array([v for v, _ in table], dtype=object)
    weights = np.array([w for _, w in table], dtype=float)
    return values[rng.choice(len(values), size=n, p=weights / weights.sum())]


def _day_weights(s: Scenario, start: np.datetime64, days: int) -> np.ndarray:
    day = start.astype("datetime64[D]") + np.arange(days)
    month = (day.astype("datetime64[M]").astype(np.int64) % 12) + 1
    season = 1 + s.behaviour.seasonal_amplitude * np.cos(2 * np.pi * (month - 7) / 12)
    weekday = (day.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday
    return season * _WEEKDAY[weekday]


def encounter_rates(s: Scenario, people: People) -> np.ndarray:
    """Potential encounters per year by kind (columns: drug, sex work, other), per person."""
    b = s.behaviour
    base = people.risk_factor
    drug = people.substance_use * b.drug_rate * people.drug_factor
    sex = people.sex_work * b.sex_work_rate * people.enforcement
    other = (
        people.other_offending * b.other_rate + people.substance_use * b.substance_use_other_rate
    ) * people.enforcement
    # 15-17-year-olds offend at half the adult rate.
    young = people.dob > np.datetime64(s.county.start_date, "D") - np.timedelta64(6574, "D")
    scale = base * np.where(young, 0.5, 1.0)
    return np.column_stack([drug, sex, other]) * scale[:, None]


def arrest_rate(s: Scenario, people: People) -> np.ndarray:
    """Expected arrests (probable-cause encounters) per year without the program, per person.

    >>> from divert.synth.scenario import Scenario
    >>> from divert.synth.population import residents
    >>> s = Scenario(); _, _, people = residents(s, 5_000, seed=1)
    >>> bool((arrest_rate(s, people) > 0).all())
    True
    """
    p = s.police
    pc = np.array([p.probable_cause_drug, p.probable_cause_sex_work, p.probable_cause_other])
    return encounter_rates(s, people) @ pc


def potential_encounters(
    s: Scenario, people: People, officers: pd.DataFrame, years: int, seed: int
) -> Events:
    rng = stream(seed, "encounters")
    p = s.police
    start = np.datetime64(s.county.start_date, "s")
    from divert.synth.assemble import end_date

    end = end_date(s, years)
    days = int((end - start) // np.timedelta64(1, "D"))
    weights = _day_weights(s, start, days)
    rates = encounter_rates(s, people)
    counts = rng.poisson(rates * days / 365.25)
    person = np.repeat(np.tile(np.arange(len(people)), 3), counts.T.ravel())
    category = np.repeat(np.repeat([DRUG, SEX_WORK, OTHER], len(people)), counts.T.ravel())
    n = len(person)
    cum = np.cumsum(weights)
    day = np.searchsorted(cum, rng.random(n) * cum[-1], side="right")
    hour = np.empty(n, dtype=np.int64)
    for cat, profile in _HOUR_PROFILE.items():
        here = category == cat
        c = np.cumsum(profile)
        hour[here] = np.searchsorted(c, rng.random(int(here.sum())) * c[-1], side="right")
    seconds = day * 86400 + hour * 3600 + rng.integers(0, 3600, n)
    order = np.lexsort((seconds, person))
    person, category, seconds, hour = person[order], category[order], seconds[order], hour[order]
    at = start + seconds.astype("timedelta64[s]")
    shift = np.where((hour >= 7) & (hour < 15), 0, np.where((hour >= 15) & (hour < 23), 1, 2))

    code = np.empty(n, dtype=object)
    activity = np.full(n, "other", dtype=object)
    drug = np.full(n, None, dtype=object)
    grams = np.full(n, np.nan)
    value = np.full(n, np.nan)

    d = category == DRUG
    nd = int(d.sum())
    paraphernalia = rng.random(nd) < _PARAPHERNALIA
    code[d] = np.where(paraphernalia, "35B", "35A")
    act = np.where(paraphernalia, "possess", _pick(rng, _DRUG_ACTIVITY, nd))
    activity[d] = act
    drug[d] = _drug_by_year(s, rng, at[d])
    median = np.array([_GRAMS_MEDIAN[a] for a in act]) * np.where(drug[d] == "cannabis", 5.0, 1.0)
    g = np.round(median * rng.lognormal(0.0, 1.0, nd), 2)
    grams[d] = np.where(paraphernalia, np.nan, np.maximum(g, 0.01))

    x = category == SEX_WORK
    nx = int(x.sum())
    promote = rng.random(nx) < 0.06
    code[x] = np.where(promote, "40B", "40A")
    activity[x] = np.where(promote, "promote", "solicit")

    o = category == OTHER
    no = int(o.sum())
    user = people.substance_use[person[o]] & (
        rng.random(no) * (people.other_offending[person[o]] * s.behaviour.other_rate
                          + s.behaviour.substance_use_other_rate)
        < s.behaviour.substance_use_other_rate
    )  # fmt: skip
    code_o = np.where(user, _pick(rng, _USER_OTHER, no), _pick(rng, _OTHER, no))
    code[o] = code_o
    act_o = np.full(no, "other", dtype=object)
    act_o[code_o == "40C"] = "purchase"
    activity[o] = act_o
    medians = pd.Series(code_o).map(_VALUE_MEDIAN).to_numpy(dtype=float)
    value[o] = np.round(medians * rng.lognormal(0.0, 1.0, no), 2)
    dv = np.isin(code, ("13A", "13B", "13C")) & (
        rng.random(n) < s.behaviour.domestic_violence_share
    )

    # Secondary offense on some encounters: paraphernalia with drugs, weapons or "all other".
    second = rng.random(n) < 0.15
    code2 = np.full(n, "", dtype=object)
    code2[second] = np.where(rng.random(int(second.sum())) < 0.2, "520", "90Z")
    code2[second & (code == "35A")] = "35B"

    sale = np.isin(activity, _SALES)
    sale_flags = np.zeros((n, len(SALE_FLAGS)), dtype=bool)
    for i, name in enumerate(SALE_FLAGS):
        sale_flags[:, i] = sale & (rng.random(n) < getattr(s.flags, name))

    pc_p = np.array([p.probable_cause_drug, p.probable_cause_sex_work, p.probable_cause_other])
    probable_cause = rng.random(n) < pc_p[category]

    shares = np.array([a.resident_share for a in s.county.areas])
    draw = shares * np.array([a.draw for a in s.county.areas])
    market = draw * np.array([a.market for a in s.county.areas])
    in_market = category != OTHER
    home = rng.random(n) < np.where(in_market, p.market_home_share, p.home_area_share)
    away = np.where(
        in_market,
        _choose(rng, market / market.sum(), n),
        _choose(rng, draw / draw.sum(), n),
    )
    area = np.where(home, people.area[person], away)
    officer = _officer_for(rng, officers, area * 3 + shift)
    events = Events(
        person=person,
        at=at,
        area=area,
        shift=shift,
        officer=officer,
        probable_cause=probable_cause,
        category=category,
        code=code,
        activity=activity,
        drug=drug,
        grams=grams,
        value=value,
        dv=dv,
        code2=code2,
        sale_flags=sale_flags,
        u_effect=rng.random(n),
        u_officer=rng.random(n),
        u_amenable=rng.random(n),
        u_decline=rng.random(n),
        u_action=rng.random(n),
    )
    return events.take(~_legal_cannabis(s, people, events))


def _choose(rng: np.random.Generator, p: np.ndarray, n: int) -> np.ndarray:
    return np.searchsorted(np.cumsum(p), rng.random(n) * p.sum(), side="right").clip(0, len(p) - 1)


def _drug_by_year(s: Scenario, rng: np.random.Generator, at: np.ndarray) -> np.ndarray:
    """The drug, from the scenario's mix; fentanyl takes its year's share of the opioids."""
    dr = s.drugs
    drug = _pick(rng, tuple(dr.mix.items()), len(at))
    year = at.astype("datetime64[Y]").astype(np.int64) + 1970
    points = sorted(dr.fentanyl_share_of_opioids.items())
    share = np.interp(year, [y for y, _ in points], [v for _, v in points])
    fentanyl = np.isin(drug, _OPIOIDS) & (rng.random(len(at)) < share)
    drug[fentanyl] = "fentanyl"
    return drug


def _legal_cannabis(s: Scenario, people: People, ev: Events) -> np.ndarray:
    """Encounters that are no offense: adult cannabis possession within the legal amount."""
    dr = s.drugs
    if dr.cannabis_legal_from is None:
        return np.zeros(len(ev), dtype=bool)
    age = (ev.at.astype("datetime64[D]") - people.dob[ev.person]).astype(np.int64) / 365.25
    return (
        (ev.drug == "cannabis")
        & np.isin(ev.activity, ("possess", "use"))
        & ~(ev.grams > dr.cannabis_legal_grams)
        & (age >= dr.cannabis_legal_age)
        & (ev.at >= np.datetime64(dr.cannabis_legal_from, "s"))
    )


def _officer_for(rng: np.random.Generator, officers: pd.DataFrame, group: np.ndarray) -> np.ndarray:
    """An officer of the encounter's area and shift, weighted by activity (one searchsorted).

    `group` is area index x 3 + shift; officers are sorted by area, so within an area the
    round-robin shifts interleave; sort by group first.
    """
    off_group = (officers.area_id.to_numpy() - 1) * 3 + pd.Series(officers["shift"]).map(
        {name: i for i, name in enumerate(SHIFTS)}
    ).to_numpy()
    order = np.argsort(off_group, kind="stable")
    g = off_group[order]
    w = officers.activity.to_numpy()[order]
    cum = pd.Series(w).groupby(g).cumsum().to_numpy()
    tot = pd.Series(w).groupby(g).transform("sum").to_numpy()
    key = g + cum / tot
    idx = np.searchsorted(key, group + rng.random(len(group)), side="left")
    return order[np.minimum(idx, len(w) - 1)]
