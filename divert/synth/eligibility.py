"""A vectorized Seattle-2011-like eligibility rule, driven by scenario parameters.

Deliberately independent of divert.eligibility (the TOML policy engine): the synthesizer
needs one fast array rule, and the evaluation can check the engine against its flags.

Arrest (probable cause): primary offense is drug (35A/35B) with grams <= max_grams and an
allowed activity, or an allowed sex-work code (40A); no excluded code (40B, 64A), violent or
weapons offense in the encounter; no violent history within the lookback; age >= min_age.
Social contact (no arrest): known drug or sex-work activity, same history and age rules.

>>> import numpy as np
>>> from divert.synth.scenario import Eligibility
>>> eligible(Eligibility(), code=np.array(["35A", "40B"]), activity=np.array(["possess", "promote"]),
...          grams=np.array([1.0, np.nan]), code2=np.array(["", ""]),
...          age_years=np.array([30.0, 30.0]), years_since_violent=np.array([np.inf, np.inf]),
...          probable_cause=np.array([True, True]), known_activity=np.array([True, True])).tolist()
[True, False]
"""

from __future__ import annotations

import numpy as np

from divert.nibrs import codes_in_family
from divert.synth.scenario import Eligibility

DRUG_CODES = ("35A", "35B")
# Seattle's violent history: murder, arson, robbery, rape, assault or gun crimes.
DISQUALIFYING = tuple(sorted(codes_in_family("violent") | codes_in_family("weapons")))


def eligible(
    rule: Eligibility,
    *,
    code: np.ndarray,
    activity: np.ndarray,
    grams: np.ndarray,
    code2: np.ndarray,
    age_years: np.ndarray,
    years_since_violent: np.ndarray,
    probable_cause: np.ndarray,
    known_activity: np.ndarray,
) -> np.ndarray:
    """True where the encounter is LEAD-eligible under `rule`."""
    drug = np.isin(code, DRUG_CODES)
    small = np.isnan(grams) | (grams <= rule.max_grams)
    drug_ok = drug & np.isin(activity, rule.drug_activities) & small
    sex_ok = np.isin(code, rule.sex_work_codes)
    excluded = np.isin(code, rule.excluded_codes) | np.isin(code2, rule.excluded_codes)
    violent_now = np.isin(code, DISQUALIFYING) | np.isin(code2, DISQUALIFYING)
    offense_ok = (drug_ok | sex_ok) & ~excluded & ~violent_now
    person_ok = (years_since_violent > rule.violent_lookback_years) & (age_years >= rule.min_age)
    return np.where(probable_cause, offense_ok, known_activity) & person_ok


def years_since_last_violent(
    person: np.ndarray, at: np.ndarray, violent: np.ndarray, prior_violent_at: np.ndarray
) -> np.ndarray:
    """Years from each event back to the person's last violent arrest or prior conviction.

    Events must be sorted by person then time; `violent` marks violent arrests that happened.
    """
    t = at.astype("datetime64[s]").astype("int64").astype("float64")
    v = np.where(violent, t, -np.inf)
    s = pd_cummax_by(person, v)
    # Only strictly earlier events count: shift by one within the person.
    prev = np.empty_like(s)
    prev[0] = -np.inf
    prev[1:] = np.where(person[1:] == person[:-1], s[:-1], -np.inf)
    prior = prior_violent_at.astype("datetime64[s]")
    prior_t = np.where(np.isnat(prior), -np.inf, prior.astype("int64").astype("float64"))
    last = np.maximum(prev, prior_t[person])
    return (t - last) / (365.25 * 86400)


def pd_cummax_by(group: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Running maximum of `values` within consecutive runs of `group` (sorted)."""
    import pandas as pd

    return pd.Series(values).groupby(group, sort=False).cummax().to_numpy()
