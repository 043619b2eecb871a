"""The synthesizer's eligibility rule: one vectorized pass over every encounter.

By default the rule follows a site policy file (scenario key `eligibility.policy`, default
policies/seattle-2011.toml), loaded and validated by divert.eligibility. Screening a
million encounters one `screen()` call at a time is too slow, so the policy is mapped onto
array operations that give the same answer as `screen(policy, case).eligible` for the
facts the synthesizer models (tests/synth/test_policy_crosscheck.py checks that):

- offenses: every offense of the encounter (primary and secondary) must be one of the
  policy's `offenses.eligible` codes, none of `offenses.excluded`, and its activity one of
  `offenses.activities`. A secondary 35B (paraphernalia) is recorded as possession and any
  other secondary offense as "other" (secondary_activity), so under a policy that does not
  allow "other" those encounters screen out, as the engine screens the offenses table.
- drugs: a 35A/35B primary offense's grams must be within `drugs.max_grams`, or its drug's
  own `max_grams_by_drug` limit; drugs in `excluded_from_count` are not weighed; a weighed
  35A activity without grams screens out (drug.grams_unknown). Drug-specific limits need
  the `drug` array; without it every drug is held to `max_grams` (with a warning).
- person: age in years (365.25-day years from the date of birth) >= `person.min_age`.
- history: every `[[history]]` rule separately, with its own codes and look-back
  (`within_years` counted back in calendar years from the encounter's date, inclusive, as
  the engine does; none means any time). The synthesizer's history is the person's earlier
  violent or weapons arrests (probable cause, code or secondary code in DISQUALIFYING)
  that happened, plus one violent conviction before the window whose code is not
  modelled: that one counts under every rule naming a violent or weapons code.
- pathways: an arrest (probable cause) needs `arrest_diversion` open; a social contact
  needs `social_contact` open and the person's known drug or sex-work activity.

Not expressed (the synthesizer does not model these facts): case flags (sale to a minor,
school zone, exploitation of minors, open cases, no-contact orders, informants, probation
and parole), which only ever exclude or ask for approval; `program_areas` (where the
program runs is `county.areas[].lead`, kept in the `lead_active` column, not `eligible`);
the social-contact verification window; history dispositions (`counts`): every earlier
violent arrest counts, since eligibility is decided before the justice stage; history
rules naming only non-violent codes (the synthesizer tracks no other history); calendar
age exactly on the birthday (the engine counts whole calendar years).

With `eligibility.policy = ""` the older explicit Seattle-2011-like rule applies instead:
primary offense drug (35A/35B) with grams <= max_grams and an allowed activity, or an
allowed sex-work code (40A); no excluded code, violent or weapons offense in the
encounter; no violent history within violent_lookback_years; age >= min_age.

>>> import numpy as np
>>> from divert.synth.scenario import Eligibility
>>> args = dict(code=np.array(["35A", "40B"]), activity=np.array(["possess", "promote"]),
...     grams=np.array([1.0, np.nan]), code2=np.array(["", ""]),
...     age_years=np.array([30.0, 30.0]), years_since_violent=np.array([np.inf, np.inf]),
...     probable_cause=np.array([True, True]), known_activity=np.array([True, True]))
>>> eligible(Eligibility(), **args).tolist(), eligible(Eligibility(policy=""), **args).tolist()
([True, False], [True, False])
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from divert.eligibility import Policy
from divert.nibrs import codes_in_family
from divert.synth.scenario import Eligibility

DRUG_CODES = ("35A", "35B")
# Seattle's violent history: murder, arson, robbery, rape, assault or gun crimes.
DISQUALIFYING = tuple(sorted(codes_in_family("violent") | codes_in_family("weapons")))
# The activity the offenses table gives every secondary offense (assemble.py).
SECONDARY_ACTIVITY = "other"


def secondary_activity(code2: np.ndarray) -> np.ndarray:
    """The activity recorded with each secondary offense: paraphernalia (35B) found on a
    possession arrest is possession; anything else is "other"."""
    return np.where(code2 == "35B", "possess", SECONDARY_ACTIVITY).astype(object)


# As divert.eligibility.rules: activities that involve a quantity, so 35A needs grams.
WEIGHED_ACTIVITIES = ("manufacture", "possess", "sale_for_profit", "subsistence_sale")
SECONDS_PER_DAY = 86400


@dataclass(frozen=True)
class ViolentHistory:
    """Each event's earlier violent events: what the history rules look back over.

    Kept whole, not reduced to one number, so each of a policy's history rules can be
    checked with its own codes and look-back. Events are sorted by person then time;
    `violent` marks violent arrests that happened. Reads as the array of years since the
    latest one (or the prior conviction), which is all the explicit rule needs.
    """

    person: np.ndarray
    at: np.ndarray  # datetime64
    violent: np.ndarray  # bool
    prior_violent_at: np.ndarray  # per person, datetime64, NaT if none

    @cached_property
    def seconds(self) -> np.ndarray:
        return self.at.astype("datetime64[s]").astype("int64").astype("float64")

    @cached_property
    def prior_seconds(self) -> np.ndarray:
        prior = self.prior_violent_at.astype("datetime64[s]")
        return np.where(np.isnat(prior), -np.inf, prior.astype("int64").astype("float64"))

    def latest(self, events: np.ndarray, *, prior: bool = True) -> np.ndarray:
        """Time (s) of each event's person's latest strictly earlier event in `events`
        (and the prior conviction if `prior`); -inf if none."""
        s = pd_cummax_by(self.person, np.where(events, self.seconds, -np.inf))
        # Only strictly earlier events count: shift by one within the person.
        prev = np.empty_like(s)
        if len(s):
            prev[0] = -np.inf
            prev[1:] = np.where(self.person[1:] == self.person[:-1], s[:-1], -np.inf)
        return np.maximum(prev, self.prior_seconds[self.person]) if prior else prev

    @cached_property
    def years(self) -> np.ndarray:
        return (self.seconds - self.latest(self.violent)) / (365.25 * SECONDS_PER_DAY)

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        return self.years if dtype is None else self.years.astype(dtype)

    def __getitem__(self, index: Any) -> Any:
        return self.years[index]

    def __len__(self) -> int:
        return len(self.person)


def years_since_last_violent(
    person: np.ndarray, at: np.ndarray, violent: np.ndarray, prior_violent_at: np.ndarray
) -> ViolentHistory:
    """Each event's violent history; as an array, years back to the latest violent arrest
    or prior conviction.

    Events must be sorted by person then time; `violent` marks violent arrests that happened.
    """
    return ViolentHistory(person, at, violent, prior_violent_at)


def pd_cummax_by(group: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Running maximum of `values` within consecutive runs of `group` (sorted)."""
    import pandas as pd

    return pd.Series(values).groupby(group, sort=False).cummax().to_numpy()


def years_before(day: np.ndarray, years: int) -> np.ndarray:
    """The same date `years` earlier, 29 February -> 28 February (rules.years_before).

    >>> years_before(np.array(["2024-02-29", "2026-03-14"], dtype="datetime64[D]"), 10)
    array(['2014-02-28', '2016-03-14'], dtype='datetime64[D]')
    """
    day = day.astype("datetime64[D]")
    year = day.astype("datetime64[Y]")
    month_start = day.astype("datetime64[M]")
    month = (month_start - year.astype("datetime64[M]")).astype("int64")
    dom = (day - month_start.astype("datetime64[D]")).astype("int64")
    target = year - np.timedelta64(years, "Y")
    y = target.astype("int64") + 1970
    leap = (y % 4 == 0) & ((y % 100 != 0) | (y % 400 == 0))
    dom = np.where((month == 1) & (dom == 28) & ~leap, 27, dom)
    start = target.astype("datetime64[M]") + month.astype("timedelta64[M]")
    return start.astype("datetime64[D]") + dom.astype("timedelta64[D]")


@dataclass(frozen=True)
class HistoryCheck:
    name: str
    codes: tuple[str, ...]
    within_years: int | None
    counts_prior: bool  # the uncoded prior violent conviction counts under this rule


@dataclass(frozen=True)
class PolicyRule:
    """A policy's criteria as the arrays-and-sets the vectorized rule needs."""

    policy_id: str
    version: int | str
    eligible_codes: tuple[str, ...]
    excluded_codes: tuple[str, ...]
    activities: tuple[str, ...]
    max_grams: float
    drug_limits: dict[str, float]
    uncounted_drugs: tuple[str, ...]
    min_age: int
    history: tuple[HistoryCheck, ...]
    arrest_open: bool
    social_open: bool
    max_grams_inclusive: bool = True
    eligible_drugs: tuple[str, ...] | None = None
    # code -> (allowed activities or None, max_value or None)
    conditions: tuple[tuple[str, tuple[str, ...] | None, float | None], ...] = ()

    @classmethod
    def from_policy(cls, policy: Policy) -> PolicyRule:
        c = policy.compiled
        tracked = set(DISQUALIFYING)
        return cls(
            policy_id=policy.id,
            version=policy.version,
            eligible_codes=tuple(sorted(c.eligible_codes)),
            excluded_codes=tuple(sorted(c.excluded_codes)),
            activities=tuple(sorted(c.activities)),
            max_grams=float(policy.drugs.max_grams),
            drug_limits=dict(sorted(c.drug_limits.items())),
            uncounted_drugs=tuple(sorted(c.uncounted_drugs)),
            min_age=policy.person.min_age,
            # A domestic-violence-only rule never bars here: no synthetic history is marked DV.
            history=tuple(
                HistoryCheck(
                    name=h.rule_id,
                    codes=tuple(sorted(h.codes or ())),
                    within_years=h.within_years,
                    counts_prior=bool((h.codes or set()) & tracked) and not h.domestic_violence,
                )
                for h in c.history
                if h.codes is not None and not h.domestic_violence
            ),
            arrest_open="arrest_diversion" in c.open_pathways,
            social_open="social_contact" in c.open_pathways,
            max_grams_inclusive=policy.drugs.max_grams_inclusive,
            eligible_drugs=tuple(sorted(c.eligible_drugs)) if c.eligible_drugs else None,
            conditions=tuple(
                (code, tuple(sorted(k.activities)) if k.activities else None, k.max_value)
                for code, k in sorted(c.conditions.items())
            ),
        )

    def describe(self) -> dict[str, Any]:
        """The parameters as JSON-ready data (recorded in truth.json)."""
        return {
            "eligible_codes": list(self.eligible_codes),
            "excluded_codes": list(self.excluded_codes),
            "activities": list(self.activities),
            "max_grams": self.max_grams,
            "max_grams_by_drug": dict(self.drug_limits),
            "excluded_from_count": list(self.uncounted_drugs),
            "min_age": self.min_age,
            "history": [
                {"rule": h.name, "codes": list(h.codes), "within_years": h.within_years}
                for h in self.history
            ],
            "arrest_diversion": self.arrest_open,
            "social_contact": self.social_open,
        }


def describe(rule: Eligibility) -> dict[str, Any] | None:
    """The policy that decides eligibility, for truth.json; None for the explicit rule."""
    policy = rule.loaded_policy
    if policy is None:
        return None
    return {
        "path": rule.policy,
        "id": policy.id,
        "version": policy.version,
        "jurisdiction": policy.jurisdiction,
        "rule": PolicyRule.from_policy(policy).describe(),
    }


def eligible(
    rule: Eligibility,
    *,
    code: np.ndarray,
    activity: np.ndarray,
    grams: np.ndarray,
    code2: np.ndarray,
    age_years: np.ndarray,
    years_since_violent: np.ndarray | ViolentHistory,
    probable_cause: np.ndarray,
    known_activity: np.ndarray,
    drug: np.ndarray | None = None,
) -> np.ndarray:
    """True where the encounter is LEAD-eligible under `rule` (its policy, if it has one).

    `years_since_violent` is best given as the ViolentHistory from years_since_last_violent,
    so each history rule gets its own codes and look-back. A plain array of years (codes
    unknown) is read as history under every rule naming a violent or weapons code.
    """
    policy = rule.loaded_policy
    if policy is None:
        return _explicit(
            rule,
            code=code,
            activity=activity,
            grams=grams,
            code2=code2,
            age_years=age_years,
            years=np.asarray(years_since_violent, dtype="float64"),
            probable_cause=probable_cause,
            known_activity=known_activity,
        )
    p = PolicyRule.from_policy(policy)
    offense_ok = _offenses_ok(p, code, activity, grams, code2, drug)
    person_ok = (age_years >= p.min_age) & ~_history_bars(p, years_since_violent, code, code2)
    arrest_ok = offense_ok if p.arrest_open else np.zeros(len(code), dtype=bool)
    social_ok = known_activity if p.social_open else np.zeros(len(code), dtype=bool)
    return np.where(probable_cause, arrest_ok, social_ok) & person_ok


def _offenses_ok(
    p: PolicyRule,
    code: np.ndarray,
    activity: np.ndarray,
    grams: np.ndarray,
    code2: np.ndarray,
    drug: np.ndarray | None,
) -> np.ndarray:
    secondary = code2 != ""
    codes_ok = np.isin(code, p.eligible_codes) & ~np.isin(code, p.excluded_codes)
    codes_ok &= ~secondary | (np.isin(code2, p.eligible_codes) & ~np.isin(code2, p.excluded_codes))
    acts_ok = _activity_ok(p, code, activity)
    acts_ok &= ~secondary | _activity_ok(p, code2, secondary_activity(code2))
    for code_, _, max_value in p.conditions:
        if max_value is not None:  # the synthesizer records no property value
            codes_ok &= (code != code_) & (code2 != code_)
    # Only the primary offense carries grams (a secondary 35B is paraphernalia, unweighed).
    weighed = np.isin(code, DRUG_CODES)
    limit = np.full(len(code), p.max_grams)
    if p.drug_limits or p.uncounted_drugs:
        if drug is None:
            warnings.warn(
                f"policy {p.policy_id!r} has drug-specific limits, but no drug column was "
                f"passed: every drug is held to {p.max_grams:g} g",
                stacklevel=3,
            )
        else:
            for name, grams_limit in p.drug_limits.items():
                limit[drug == name] = grams_limit
            weighed &= ~np.isin(drug, p.uncounted_drugs)
    if p.eligible_drugs is not None and drug is not None:
        is_drug = np.isin(code, DRUG_CODES) | np.isin(code2, DRUG_CODES)
        codes_ok &= ~is_drug | np.isin(drug, p.eligible_drugs)
    no_grams = np.isnan(grams)
    big = grams > limit if p.max_grams_inclusive else grams >= limit
    over = weighed & ~no_grams & big
    unknown = weighed & no_grams & (code == "35A") & np.isin(activity, WEIGHED_ACTIVITIES)
    return codes_ok & acts_ok & ~over & ~unknown


def _activity_ok(p: PolicyRule, code: np.ndarray, activity: np.ndarray) -> np.ndarray:
    ok = np.isin(activity, p.activities)
    for code_, allowed, _ in p.conditions:
        if allowed is not None:
            here = code == code_
            ok[here] = np.isin(activity[here], allowed)
    return ok


def _history_bars(
    p: PolicyRule, history: np.ndarray | ViolentHistory, code: np.ndarray, code2: np.ndarray
) -> np.ndarray:
    barred = np.zeros(len(code), dtype=bool)
    if not p.history:
        return barred
    if not isinstance(history, ViolentHistory):
        years = np.asarray(history, dtype="float64")
        for h in p.history:
            if h.counts_prior:
                window = np.inf if h.within_years is None else h.within_years
                barred |= np.isfinite(years) & (years <= window)
        return barred
    if len(history) != len(code):
        raise ValueError("the history and the encounters differ in length")
    since_cache: dict[int, np.ndarray] = {}
    violent = np.flatnonzero(history.violent)
    for h in p.history:
        # Only violent events can count: test codes there, not on every encounter.
        events = np.zeros(len(code), dtype=bool)
        events[violent] = np.isin(code[violent], h.codes) | np.isin(code2[violent], h.codes)
        last = history.latest(events, prior=h.counts_prior)
        if h.within_years is None:
            barred |= last > -np.inf
            continue
        if h.within_years not in since_cache:
            day = years_before(history.at, h.within_years)
            since_cache[h.within_years] = day.astype("datetime64[s]").astype("int64")
        # Inclusive, by date: an entry dated on the look-back's first day counts.
        barred |= last >= since_cache[h.within_years]
    return barred


def _explicit(
    rule: Eligibility,
    *,
    code: np.ndarray,
    activity: np.ndarray,
    grams: np.ndarray,
    code2: np.ndarray,
    age_years: np.ndarray,
    years: np.ndarray,
    probable_cause: np.ndarray,
    known_activity: np.ndarray,
) -> np.ndarray:
    drug = np.isin(code, DRUG_CODES)
    small = np.isnan(grams) | (grams <= rule.max_grams)
    drug_ok = drug & np.isin(activity, rule.drug_activities) & small
    sex_ok = np.isin(code, rule.sex_work_codes)
    excluded = np.isin(code, rule.excluded_codes) | np.isin(code2, rule.excluded_codes)
    violent_now = np.isin(code, DISQUALIFYING) | np.isin(code2, DISQUALIFYING)
    offense_ok = (drug_ok | sex_ok) & ~excluded & ~violent_now
    person_ok = (years > rule.violent_lookback_years) & (age_years >= rule.min_age)
    return np.where(probable_cause, offense_ok, known_activity) & person_ok
