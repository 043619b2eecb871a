"""Officers and the potential police encounters, with their offenses.

"Potential" because the program effect later removes some encounters that happen after a
person's intake (program.py). Encounters arrive as a Poisson process per person at
base_rate x enforcement factor, so the racial disparity is at equal behaviour.

>>> from divert.synth.scenario import Scenario
>>> from divert.synth.population import residents
>>> s = Scenario(); areas, pop, people = residents(s, 20_000, seed=1)
>>> officers = officer_table(s, 20_000, seed=1)
>>> ev = potential_encounters(s, people, officers, years=1, seed=1)
>>> bool((ev.person[1:] >= ev.person[:-1]).all())
True
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from divert.synth.population import People
from divert.synth.rng import stream
from divert.synth.scenario import Scenario

SECONDS_PER_YEAR = 365.25 * 86400

# Offense mixes (illustrative). Each row: code, activity, weight.
_PROPERTY = (("23C", 0.35), ("23H", 0.2), ("290", 0.15), ("220", 0.1), ("240", 0.1), ("280", 0.1))
_VIOLENT = (("13B", 0.5), ("13A", 0.25), ("120", 0.15), ("13C", 0.1))
_DISORDER = (("90C", 0.3), ("90J", 0.3), ("90E", 0.1), ("90Z", 0.2), ("520", 0.1))
_DRUGS = (
    ("heroin", 0.18), ("fentanyl", 0.10), ("other_opioid", 0.05),
    ("prescription_opioid_pills", 0.05), ("cocaine", 0.10), ("crack", 0.20),
    ("methamphetamine", 0.22), ("cannabis", 0.05), ("other", 0.05),
)  # fmt: skip
_DRUG_ACTIVITY = (
    ("possess", 0.6), ("use", 0.05), ("subsistence_sale", 0.2),
    ("sale_for_profit", 0.1), ("manufacture", 0.05),
)  # fmt: skip
# Median grams by activity; lognormal with sigma 1.
_GRAMS_MEDIAN = {
    "possess": 0.8,
    "use": 0.3,
    "subsistence_sale": 1.5,
    "sale_for_profit": 12.0,
    "manufacture": 25.0,
}


@dataclass
class Events:
    """Potential encounters, sorted by person then time; one array per field."""

    person: np.ndarray  # index into People
    at: np.ndarray  # datetime64[s]
    area: np.ndarray  # area index
    officer: np.ndarray  # index into the officers table
    probable_cause: np.ndarray  # bool
    category: np.ndarray  # 0 drug, 1 sex work, 2 other
    code: np.ndarray  # primary NIBRS code
    activity: np.ndarray
    drug: np.ndarray  # object, None if not a drug offense
    grams: np.ndarray  # float, NaN if none
    code2: np.ndarray  # secondary NIBRS code or ""
    u_effect: np.ndarray  # uniform for thinning by the program effect
    u_officer: np.ndarray  # uniform for the officer's diversion choice

    def __len__(self) -> int:
        return len(self.person)

    def take(self, mask: np.ndarray) -> Events:
        return Events(**{f.name: getattr(self, f.name)[mask] for f in fields(self)})


def officer_table(s: Scenario, residents: int, seed: int) -> pd.DataFrame:
    """Officers per area with heavy-tailed buy-in: some never divert, a few divert a lot."""
    rng = stream(seed, "officers")
    p = s.police
    shares = np.array([a.resident_share for a in s.county.areas])
    shares = shares / shares.sum()
    per_area = np.maximum(2, np.round(residents * p.officers_per_1k_residents / 1000 * shares))
    area = np.repeat(np.arange(len(shares)), per_area.astype(int))
    n = len(area)
    buy_in = np.minimum(0.95, p.buy_in_median * rng.lognormal(0.0, p.buy_in_sigma, n))
    buy_in = np.where(rng.random(n) < p.never_divert_share, 0.0, buy_in)
    return pd.DataFrame(
        {
            "officer_id": np.arange(1, n + 1),
            "area_id": area + 1,
            "buy_in": buy_in,
            "activity": rng.lognormal(0.0, p.officer_activity_sigma, n),
        }
    )


def _pick(rng: np.random.Generator, table: tuple, n: int) -> np.ndarray:
    values = np.array([v for v, _ in table], dtype=object)
    weights = np.array([w for _, w in table])
    return values[rng.choice(len(values), size=n, p=weights / weights.sum())]


def potential_encounters(
    s: Scenario, people: People, officers: pd.DataFrame, years: int, seed: int
) -> Events:
    rng = stream(seed, "encounters")
    b, p = s.behaviour, s.police
    rate = people.base_rate * people.enforcement
    counts = rng.poisson(rate * years)
    person = np.repeat(np.arange(len(people)), counts)
    n = len(person)
    start = np.datetime64(s.county.start_date, "s")
    offset = (rng.random(n) * years * SECONDS_PER_YEAR).astype("int64")
    order = np.lexsort((offset, person))
    person, offset = person[order], offset[order]
    at = start + offset.astype("timedelta64[s]")

    # Category in proportion to the person's behaviour components.
    su, sw, ot = (
        people.substance_use[person],
        people.sex_work[person],
        people.other_offending[person],
    )
    w_drug = su * b.substance_use_rate * 0.7
    w_sw = sw * b.sex_work_rate * 0.85
    w_other = ot * b.other_offending_rate + su * b.substance_use_rate * 0.3
    w_other = w_other + sw * b.sex_work_rate * 0.15
    total = w_drug + w_sw + w_other
    u = rng.random(n) * total
    category = np.where(u < w_drug, 0, np.where(u < w_drug + w_sw, 1, 2))

    code = np.empty(n, dtype=object)
    activity = np.full(n, "other", dtype=object)
    drug = np.full(n, None, dtype=object)
    grams = np.full(n, np.nan)

    d = category == 0
    nd = int(d.sum())
    paraphernalia = rng.random(nd) < 0.15
    code[d] = np.where(paraphernalia, "35B", "35A")
    act = _pick(rng, _DRUG_ACTIVITY, nd)
    act = np.where(paraphernalia, "possess", act)
    activity[d] = act
    drug[d] = _pick(rng, _DRUGS, nd)
    median = np.array([_GRAMS_MEDIAN[a] for a in act])
    g = np.round(median * rng.lognormal(0.0, 1.0, nd), 2)
    grams[d] = np.where(paraphernalia, np.nan, np.maximum(g, 0.01))

    x = category == 1
    nx = int(x.sum())
    promote = rng.random(nx) < 0.06
    code[x] = np.where(promote, "40B", "40A")
    activity[x] = np.where(promote, "promote", "solicit")

    o = category == 2
    no = int(o.sum())
    kind = rng.random(no)
    violent = kind < b.violent_share_other
    prop = (kind >= b.violent_share_other) & (
        kind < b.violent_share_other + (1 - b.violent_share_other) * 0.55
    )
    code[o] = np.where(
        violent,
        _pick(rng, _VIOLENT, no),
        np.where(prop, _pick(rng, _PROPERTY, no), _pick(rng, _DISORDER, no)),
    )
    purchase = rng.random(no) < 0.02  # some "other" encounters are buying sex
    code_o = code[o]
    code_o[purchase & ~violent] = "40C"
    code[o] = code_o
    act_o = activity[o]
    act_o[code_o == "40C"] = "purchase"
    activity[o] = act_o

    # Secondary offense on some encounters: paraphernalia with drugs, weapons or "all other".
    second = rng.random(n) < 0.15
    code2 = np.full(n, "", dtype=object)
    code2[second] = np.where(rng.random(int(second.sum())) < 0.2, "520", "90Z")
    code2[second & (code == "35A")] = "35B"

    pc_p = np.select(
        [category == 0, category == 1],
        [p.probable_cause_drug, p.probable_cause_sex_work],
        p.probable_cause_other,
    )
    probable_cause = rng.random(n) < pc_p

    n_areas = len(s.county.areas)
    home = rng.random(n) < p.home_area_share
    shares = np.array([a.resident_share for a in s.county.areas])
    elsewhere = rng.choice(n_areas, size=n, p=shares / shares.sum())
    area = np.where(home, people.area[person], elsewhere)
    officer = _officer_for(rng, officers, area)
    return Events(
        person=person,
        at=at,
        area=area,
        officer=officer,
        probable_cause=probable_cause,
        category=category,
        code=code,
        activity=activity,
        drug=drug,
        grams=grams,
        code2=code2,
        u_effect=rng.random(n),
        u_officer=rng.random(n),
    )


def _officer_for(rng: np.random.Generator, officers: pd.DataFrame, area: np.ndarray) -> np.ndarray:
    """An officer of the encounter's area, weighted by activity (one searchsorted, no loop)."""
    off_area = officers.area_id.to_numpy() - 1
    w = officers.activity.to_numpy()
    # Cumulative weight within each area, scaled to (area, area + 1].
    cum = pd.Series(w).groupby(off_area).cumsum().to_numpy()
    tot = pd.Series(w).groupby(off_area).transform("sum").to_numpy()
    key = off_area + cum / tot
    idx = np.searchsorted(key, area + rng.random(len(area)), side="left")
    return np.minimum(idx, len(w) - 1)
