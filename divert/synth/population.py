"""Residents (the denominator) and the at-risk individuals who may ever meet the police.

Residents are counted by cell (area x race x ethnicity x sex x age band); only the at-risk
sub-population (substance use, sex work, other offending) becomes individual rows.

>>> from divert.synth.scenario import Scenario
>>> areas, pop, people = residents(Scenario(), 10_000, seed=1)
>>> int(pop.residents.sum())
10000
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from divert.synth.names import FEMALE_FIRST, MALE_FIRST, SURNAMES
from divert.synth.rng import stream
from divert.synth.scenario import AGE_BAND_YEARS, AGE_BANDS, RACES, SEXES, Scenario

DAY = np.timedelta64(1, "D")


@dataclass
class People:
    """The at-risk individuals, one entry per array position."""

    area: np.ndarray  # int area index
    race: np.ndarray  # int index into RACES
    hispanic: np.ndarray  # bool
    female: np.ndarray  # bool
    dob: np.ndarray  # datetime64[D]
    substance_use: np.ndarray  # bool
    sex_work: np.ndarray  # bool
    other_offending: np.ndarray  # bool
    risk: np.ndarray  # latent risk z, standard normal
    base_rate: np.ndarray  # potential encounters per year before enforcement factor
    enforcement: np.ndarray  # race enforcement multiplier
    prior_violent_at: np.ndarray  # datetime64[D], NaT if none
    first_name: np.ndarray  # str
    last_name: np.ndarray  # str

    def __len__(self) -> int:
        return len(self.area)


def area_table(s: Scenario) -> pd.DataFrame:
    shares = np.array([a.resident_share for a in s.county.areas])
    launch = pd.Timestamp(s.program.launch_date)
    return pd.DataFrame(
        {
            "area_id": np.arange(1, len(shares) + 1),
            "name": [a.name for a in s.county.areas],
            "lead_area": [a.lead for a in s.county.areas],
            "lead_launch": [launch if a.lead else pd.NaT for a in s.county.areas],
            "resident_share": shares / shares.sum(),
        }
    )


def _cell_probabilities(s: Scenario) -> tuple[np.ndarray, list[tuple[int, int, int, int, int]]]:
    c = s.county
    area_p = np.array([a.resident_share for a in c.areas])
    area_p = area_p / area_p.sum()
    race_p = np.array([c.race_shares[r] for r in RACES])
    age_p = np.array([c.age_band_shares[b] for b in AGE_BANDS])
    age_p = age_p / age_p.sum()
    cells, probs = [], []
    for a, area in enumerate(c.areas):
        # Areas differ only in their Black share, so per-capita comparisons stay fair.
        rp = race_p.copy()
        rp[RACES.index("black")] *= area.black_share_factor
        rp = rp / rp.sum()
        for r, h, x, g in itertools.product(
            range(len(RACES)), (0, 1), (0, 1), range(len(AGE_BANDS))
        ):
            p_h = c.hispanic_share if h else 1 - c.hispanic_share
            p_x = c.female_share if x else 1 - c.female_share
            cells.append((a, r, h, x, g))
            probs.append(area_p[a] * rp[r] * p_h * p_x * age_p[g])
    probs_arr = np.array(probs)
    return probs_arr / probs_arr.sum(), cells


def residents(s: Scenario, n: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame, People]:
    """Areas, the population table and the at-risk people for `n` residents."""
    rng = stream(seed, "population")
    probs, cells = _cell_probabilities(s)
    counts = rng.multinomial(n, probs)
    cell = np.array(cells)
    pop = pd.DataFrame(
        {
            "area_id": cell[:, 0] + 1,
            "race": np.array(RACES)[cell[:, 1]],
            "ethnicity": np.where(cell[:, 2] == 1, "hispanic", "non_hispanic"),
            "sex": np.array(SEXES)[1 - cell[:, 3]],
            "age_band": np.array(AGE_BANDS)[cell[:, 4]],
            "residents": counts,
        }
    )
    people = _at_risk(s, rng, cell, counts)
    return area_table(s), pop, people


def _at_risk(s: Scenario, rng: np.random.Generator, cell: np.ndarray, counts: np.ndarray) -> People:
    b = s.behaviour
    female = cell[:, 3] == 1
    fem_share = s.county.female_share
    # Sex-specific sex-work prevalence that keeps the overall prevalence and the female share.
    sw_sex = np.where(
        female,
        b.sex_work_female_share / max(fem_share, 1e-9),
        (1 - b.sex_work_female_share) / max(1 - fem_share, 1e-9),
    )
    can_offend = cell[:, 4] >= AGE_BANDS.index("15-17")
    n_su = rng.binomial(counts, b.substance_use_prevalence * can_offend)
    n_sw = rng.binomial(counts, np.clip(b.sex_work_prevalence * sw_sex, 0, 1) * can_offend)
    n_ot = rng.binomial(counts, b.other_offending_prevalence * can_offend)
    idx = np.concatenate([np.repeat(np.arange(len(cell)), k) for k in (n_su, n_sw, n_ot)])
    kind = np.repeat([0, 1, 2], [n_su.sum(), n_sw.sum(), n_ot.sum()])
    c = cell[idx]
    n = len(idx)
    is_female = c[:, 3] == 1
    su = kind == 0
    sw = (kind == 1) | (su & (rng.random(n) < b.sex_work_given_substance_use * sw_sex[idx]))
    other = kind == 2

    start = np.datetime64(s.county.start_date, "D")
    bands = np.array(AGE_BAND_YEARS)[c[:, 4]]
    age_days = rng.uniform(bands[:, 0], bands[:, 1]) * 365.25
    dob = start - age_days.astype("int64") * DAY
    juvenile = c[:, 4] <= AGE_BANDS.index("15-17")

    risk = rng.standard_normal(n)
    rate = su * b.substance_use_rate + sw * b.sex_work_rate + other * b.other_offending_rate
    rate = rate * np.exp(b.risk_sigma * risk - b.risk_sigma**2 / 2)
    rate = np.where(juvenile, rate * b.juvenile_rate_factor, rate)
    factor = np.array([s.disparity.enforcement_factor.get(r, 1.0) for r in RACES])[c[:, 1]]

    # A violent record before the window, more likely for higher-risk people; within 15 years.
    p_violent = np.clip(b.prior_violent_history * np.exp(0.5 * risk - 0.125), 0, 1)
    has_violent = (rng.random(n) < p_violent) & ~juvenile
    violent_at = start - (rng.uniform(0, 15, n) * 365.25).astype("int64") * DAY
    violent_at = np.where(has_violent, violent_at, np.datetime64("NaT"))

    first = np.where(
        is_female,
        np.array(FEMALE_FIRST)[rng.integers(len(FEMALE_FIRST), size=n)],
        np.array(MALE_FIRST)[rng.integers(len(MALE_FIRST), size=n)],
    ).astype(object)
    surname = np.array(SURNAMES)
    last = surname[rng.integers(len(surname), size=n)].astype(object)
    hyphen = rng.random(n) < 0.04  # some people carry a double surname
    last[hyphen] = last[hyphen] + "-" + surname[rng.integers(len(surname), size=hyphen.sum())]
    return People(
        area=c[:, 0],
        race=c[:, 1],
        hispanic=c[:, 2] == 1,
        female=is_female,
        dob=dob,
        substance_use=su,
        sex_work=sw,
        other_offending=other,
        risk=risk,
        base_rate=rate,
        enforcement=factor,
        prior_violent_at=violent_at,
        first_name=first,
        last_name=last,
    )
