"""Residents by area, race, ethnicity, sex and age; the people at risk of police contact,
with their latent risk, their criminal record before the window, and what records say
about them (protective orders, supervision).

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
from divert.synth.scenario import AGE_BAND_YEARS, AGE_BANDS, RACES, SEXES, Group, Scenario

DAY = np.timedelta64(1, "D")
# Flags a person carries for the whole period (Flags in the scenario), in this order.
PERSON_FLAGS = (
    "no_contact_order",
    "restraining_order",
    "anti_harassment_order",
    "order_protects_participant",
    "confidential_informant",
    "on_probation",
    "on_parole",
    "pending_specialty_court",
)
# Convictions before the window (illustrative mix of what history rules look for).
_PRIOR_CODES = (
    ("13B", 0.30), ("13A", 0.14), ("220", 0.16), ("120", 0.08), ("520", 0.10), ("13C", 0.06),
    ("11D", 0.02), ("36B", 0.01), ("11A", 0.01), ("09A", 0.005), ("200", 0.01), ("100", 0.01),
    ("23C", 0.055),
)  # fmt: skip
_ASSAULTS = ("13A", "13B", "13C")


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
    risk_factor: np.ndarray  # exp(sigma z - sigma^2 / 2): multiplies every rate
    drug_factor: np.ndarray  # drug-encounter enforcement multiplier by race
    enforcement: np.ndarray  # other-encounter enforcement multiplier by race
    flags: np.ndarray  # bool, one column per PERSON_FLAGS
    first_name: np.ndarray  # str
    last_name: np.ndarray  # str
    # The record before the window: one entry per conviction.
    prior_person: np.ndarray  # index into people
    prior_code: np.ndarray  # NIBRS code
    prior_at: np.ndarray  # datetime64[D]
    prior_dv: np.ndarray  # bool: domestic violence

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


def _group_counts(
    rng: np.random.Generator, g: Group, cell: np.ndarray, counts: np.ndarray
) -> np.ndarray:
    """How many of each cell's residents belong to the group: its size is a share of the
    residents aged 15+, spread over age bands and sexes as the group's own shares say, and
    over areas, races and ethnicities in proportion to the residents."""
    adults = counts[cell[:, 4] >= 1].sum()
    size = g.prevalence * adults
    band = cell[:, 4]
    female = cell[:, 3] == 1
    age_share = np.array([0.0] + [g.age_shares[b] for b in AGE_BANDS[1:]])[band]
    sex_share = np.where(female, g.female_share, 1 - g.female_share)
    # Residents in the same (age band, sex), the denominator within that stratum.
    stratum = band * 2 + female
    per_stratum = np.bincount(stratum, weights=counts, minlength=2 * len(AGE_BANDS))[stratum]
    expected = np.where(per_stratum > 0, size * age_share * sex_share * counts / per_stratum, 0)
    p = np.clip(np.where(counts > 0, expected / np.maximum(counts, 1), 0), 0, 1)
    return rng.binomial(counts, p)


def _at_risk(s: Scenario, rng: np.random.Generator, cell: np.ndarray, counts: np.ndarray) -> People:
    b = s.behaviour
    n_su = _group_counts(rng, b.substance_use, cell, counts)
    n_sw = _group_counts(rng, b.sex_work, cell, counts)
    n_ot = _group_counts(rng, b.other_offending, cell, counts)
    idx = np.concatenate([np.repeat(np.arange(len(cell)), k) for k in (n_su, n_sw, n_ot)])
    kind = np.repeat([0, 1, 2], [n_su.sum(), n_sw.sum(), n_ot.sum()])
    c = cell[idx]
    n = len(idx)
    is_female = c[:, 3] == 1
    su = kind == 0
    # Some substance users also do sex work, women far more often than men.
    f = b.sex_work.female_share
    overlap = b.sex_work_given_substance_use * np.where(is_female, 2 * f, 2 * (1 - f))
    sw = (kind == 1) | (su & (rng.random(n) < overlap))
    other = kind == 2

    start = np.datetime64(s.county.start_date, "D")
    bands = np.array(AGE_BAND_YEARS)[c[:, 4]]
    age_days = rng.uniform(bands[:, 0], bands[:, 1]) * 365.25
    dob = start - age_days.astype("int64") * DAY

    risk = rng.standard_normal(n)
    risk_factor = np.exp(b.risk_sigma * risk - b.risk_sigma**2 / 2)
    enforcement = np.array([s.disparity.enforcement_factor.get(r, 1.0) for r in RACES])[c[:, 1]]
    drug_factor = np.where(c[:, 1] == RACES.index("black"), s.disparity.drug_ratio, 1.0)

    fl = s.flags
    flags = np.zeros((n, len(PERSON_FLAGS)), dtype=bool)
    for i, name in enumerate(PERSON_FLAGS):
        if name != "order_protects_participant":
            flags[:, i] = rng.random(n) < getattr(fl, name)
    has_order = flags[:, :3].any(axis=1)
    protects = PERSON_FLAGS.index("order_protects_participant")
    flags[:, protects] = has_order & (rng.random(n) < fl.order_protects_participant)

    first = np.where(
        is_female,
        np.array(FEMALE_FIRST)[rng.integers(len(FEMALE_FIRST), size=n)],
        np.array(MALE_FIRST)[rng.integers(len(MALE_FIRST), size=n)],
    ).astype(object)
    surname = np.array(SURNAMES)
    last = surname[rng.integers(len(surname), size=n)].astype(object)
    hyphen = rng.random(n) < 0.04  # some people carry a double surname
    last[hyphen] = last[hyphen] + "-" + surname[rng.integers(len(surname), size=hyphen.sum())]
    prior = _prior_record(rng, start, dob, risk, kind, s.behaviour.domestic_violence_share)
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
        risk_factor=risk_factor,
        drug_factor=drug_factor,
        enforcement=enforcement,
        flags=flags,
        first_name=first,
        last_name=last,
        prior_person=prior[0],
        prior_code=prior[1],
        prior_at=prior[2],
        prior_dv=prior[3],
    )


def _prior_record(
    rng: np.random.Generator,
    start: np.datetime64,
    dob: np.ndarray,
    risk: np.ndarray,
    kind: np.ndarray,
    dv_share: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Convictions before the window, more for higher-risk people, dated after age 18
    within the 20 years before the start (illustrative)."""
    mean = np.array([0.30, 0.15, 0.25])[kind] * np.exp(0.5 * risk - 0.125)
    adult_days = (start - dob).astype("int64") - int(18 * 365.25)
    mean = np.where(adult_days > 0, mean, 0.0)
    k = rng.poisson(mean)
    who = np.repeat(np.arange(len(k)), k)
    codes = np.array([c for c, _ in _PRIOR_CODES], dtype=object)
    w = np.array([p for _, p in _PRIOR_CODES])
    code = codes[rng.choice(len(codes), size=len(who), p=w / w.sum())]
    span = np.minimum(adult_days[who], int(20 * 365.25))
    at = start - (rng.random(len(who)) * span).astype("int64") * DAY - DAY
    dv = np.isin(code, _ASSAULTS) & (rng.random(len(who)) < dv_share)
    order = np.lexsort((at, who))
    return who[order], code[order], at[order], dv[order]
