"""The synthesizer's eligibility rule: one vectorized pass over every encounter.

Screening millions of encounters one `screen()` call at a time is too slow, so each policy
version is mapped onto array operations that give the same answer as the engine for the
facts the synthesizer records (tests/synth/test_policy_crosscheck.py checks every sampled
encounter). The version in force on an encounter's date decides it. For each encounter:

- `eligible`: the case screened with the pathway its encounter opens (arrest diversion for an
  arrest, social contact for a contact without probable cause), without its time and place:
  what a missed-diversion or comparison-group analysis needs ("eligible but for the shift
  or the area").
- `green_light`: the policy's green-light windows allow that pathway on this weekday, at
  this time and in this area (true when the policy has none).
- The place: the engine, given the area, also asks that it be one of the program areas. A
  policy that names none is deployed with the county's LEAD areas (deployed_policy).

The facts the rule reads, as the engine does:

- offenses: every offense (primary and secondary: a secondary 35B paraphernalia is
  possession with the primary's drug, any other secondary offense is "other") must be an
  eligible code, none excluded, with an allowed activity (a code's own conditions can
  replace the activities and cap the property value; a secondary offense has no value);
  drugs the policy diverts, weighed against the limit (inclusive or not), pills aside.
- the person: calendar age on the date; flags from records (protective orders and whom
  they protect, informant, probation, parole, specialty court) and from the scene (sales
  to minors, school zones, exploitation).
- history: convictions before the window (truth_prior_record) and convictions of earlier
  bookings in the window, known once disposed; charges filed and not yet disposed are
  pending cases (open violent or weapons case). A history rule may only name codes the
  policy never diverts (scenario check), so those bookings never depended on a diversion.
- social contact: verified activity is an earlier arrest for an eligible drug or sex-work
  code, in a program area, within the window ("records"), or what the officer observes at
  this contact itself ("observation"), each counted only if the policy accepts that source.

>>> import numpy as np
>>> years_before(np.array(["2024-02-29", "2026-03-14"], dtype="datetime64[D]"), 10)
array(['2014-02-28', '2016-03-14'], dtype='datetime64[D]')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from divert.eligibility import Policy
from divert.nibrs import ACTIVITIES, DRUGS, OFFENSES, codes_in_family
from divert.synth.police import SALE_FLAGS
from divert.synth.population import PERSON_FLAGS

DRUG_CODES = ("35A", "35B")
VIOLENT = tuple(sorted(codes_in_family("violent")))
WEAPONS = tuple(sorted(codes_in_family("weapons")))
MARKET_CODES = tuple(sorted(codes_in_family("drug") | codes_in_family("sex_work")))
WEIGHED_ACTIVITIES = ("manufacture", "possess", "sale_for_profit", "subsistence_sale")
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_NEG = np.iinfo(np.int64).min // 4  # "no entry": far below any time


def secondary_activity(code2: np.ndarray) -> np.ndarray:
    """The activity recorded with each secondary offense: paraphernalia (35B) found on a
    possession arrest is possession; anything else is "other"."""
    return np.where(code2 == "35B", "possess", "other").astype(object)


# Words as small integers, so set tests over millions of encounters stay fast.
CODES = ("", *sorted(OFFENSES))
ACTIVITIES_ = tuple(ACTIVITIES)
DRUGS_ = tuple(DRUGS)


def encode(values: np.ndarray, vocabulary: tuple) -> np.ndarray:
    """Index of each value in the vocabulary (-1 for None or anything else)."""
    return pd.Categorical(values, categories=list(vocabulary)).codes.astype(np.int16)


def _ids(words, vocabulary: tuple) -> np.ndarray:
    return np.array([vocabulary.index(w) for w in words if w in vocabulary], dtype=np.int16)


def ymd(days: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 as YYYYMMDD integers, which compare as dates do.

    Integer arithmetic only (the civil-from-days algorithm), which is much faster than
    calendar conversions over millions of encounters.

    >>> ymd(np.array(["2024-02-29", "1999-12-31"], "datetime64[D]").astype(np.int64)).tolist()
    [20240229, 19991231]
    """
    z = np.asarray(days).astype(np.int64) + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = np.where(mp < 10, mp + 3, mp - 9)
    y = yoe + era * 400 + (m <= 2)
    return y * 10000 + m * 100 + d


def _leap(y: np.ndarray) -> np.ndarray:
    return (y % 4 == 0) & ((y % 100 != 0) | (y % 400 == 0))


_MONTH_DAYS = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


def years_before_ymd(day: np.ndarray, years: int) -> np.ndarray:
    """rules.years_before on YYYYMMDD integers (29 February -> 28 February)."""
    y, md = day // 10000 - years, day % 10000
    md = np.where((md == 229) & ~_leap(y), 228, md)
    return y * 10000 + md


def months_before_ymd(day: np.ndarray, months: int) -> np.ndarray:
    """rules.months_before on YYYYMMDD integers (the month's last day if need be)."""
    index = (day // 10000) * 12 + (day // 100 % 100 - 1) - months
    y, m = index // 12, index % 12 + 1
    length = _MONTH_DAYS[m - 1] + ((m == 2) & _leap(y))
    return y * 10000 + m * 100 + np.minimum(day % 100, length)


def years_before(day: np.ndarray, years: int) -> np.ndarray:
    """The same date `years` earlier, 29 February -> 28 February (rules.years_before)."""
    return _from_ymd(years_before_ymd(ymd(day), years))


def months_before(day: np.ndarray, months: int) -> np.ndarray:
    """The same day `months` earlier, or the month's last day (rules.months_before).

    >>> months_before(np.array(["2026-03-31", "2024-02-29"], dtype="datetime64[D]"), 1)
    array(['2026-02-28', '2024-01-29'], dtype='datetime64[D]')
    """
    return _from_ymd(months_before_ymd(ymd(day), months))


def _from_ymd(v: np.ndarray) -> np.ndarray:
    y, m, d = v // 10000, v // 100 % 100, v % 100
    months = (y - 1970) * 12 + (m - 1)
    return months.astype("datetime64[M]").astype("datetime64[D]") + (d - 1).astype("timedelta64[D]")


def calendar_age(dob: np.ndarray, on: np.ndarray) -> np.ndarray:
    """Whole years, as rules.age_on counts them (a 29 February birthday turns on 1 March).

    >>> calendar_age(np.array(["2008-02-29"] * 2, "datetime64[D]"),
    ...     np.array(["2026-02-28", "2026-03-01"], "datetime64[D]")).tolist()
    [17, 18]
    """
    return (ymd(on) - ymd(dob)) // 10000


def deployed_policy(policy: Policy, lead_areas: list[str]) -> Policy:
    """The policy as the county deploys it: with no program areas of its own, the LEAD areas."""
    if policy.program_areas:
        return policy
    return Policy.model_validate({**policy.model_dump(), "program_areas": list(lead_areas)})


_SPAN = np.int64(1) << np.int64(40)  # wider than any span of seconds in the data
_OFFSET = np.int64(1) << np.int64(39)  # so times before 1970 stay positive


def _key(person: np.ndarray, seconds: np.ndarray) -> np.ndarray:
    return person.astype(np.int64) * _SPAN + seconds.astype(np.int64) + _OFFSET


@dataclass
class Entries:
    """Dated entries per person (history or verified activity)."""

    person: np.ndarray
    seconds: np.ndarray  # int64
    code: np.ndarray
    dv: np.ndarray | None = None  # history: domestic violence
    area: np.ndarray | None = None  # verified activity: the area's name

    def __post_init__(self) -> None:
        self.order = np.argsort(_key(self.person, self.seconds), kind="stable")
        self.sorted_key = _key(self.person, self.seconds)[self.order]
        self.code_i = encode(self.code, CODES)
        self.day = ymd(self.seconds // 86400) if len(self.seconds) else np.zeros(0, np.int64)


@dataclass
class Facts:
    """What the screen knows about each encounter, as arrays (sorted by person, then time)."""

    person: np.ndarray
    at: np.ndarray  # datetime64[s]
    weekday: np.ndarray  # 0 Monday
    minute: np.ndarray  # minute of the day
    area: np.ndarray  # area index
    area_names: tuple[str, ...]  # area index -> name
    probable_cause: np.ndarray
    category: np.ndarray
    code: np.ndarray
    activity: np.ndarray
    drug: np.ndarray
    grams: np.ndarray
    value: np.ndarray
    code2: np.ndarray
    age: np.ndarray  # calendar years
    sale_flags: np.ndarray  # n x SALE_FLAGS
    person_flags: np.ndarray  # n x PERSON_FLAGS
    # Convictions (history) and pending charges, per person; see assemble._facts.
    convictions: Entries | None = None
    pending_violent: np.ndarray | None = None
    pending_weapons: np.ndarray | None = None
    _cache: dict = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.seconds = self.at.astype("datetime64[s]").astype(np.int64)
        self.day = ymd(self.seconds // 86400)
        self.key = _key(self.person, self.seconds)
        self.code_i = encode(self.code, CODES)
        self.code2_i = encode(self.code2, CODES)
        self.activity_i = encode(self.activity, ACTIVITIES_)
        self.drug_i = encode(self.drug, DRUGS_)

    def __len__(self) -> int:
        return len(self.person)

    @property
    def date(self) -> np.ndarray:
        return self.at.astype("datetime64[D]")

    @property
    def area_name(self) -> np.ndarray:
        return np.array(self.area_names, dtype=object)[self.area]

    def area_ids(self, names) -> np.ndarray:
        return np.array([i for i, n in enumerate(self.area_names) if n in names], dtype=np.int64)

    def flag(self, name: str) -> np.ndarray:
        if name in SALE_FLAGS:
            return self.sale_flags[:, SALE_FLAGS.index(name)]
        return self.person_flags[:, PERSON_FLAGS.index(name)]

    def latest_before(self, entries: Entries, mask: np.ndarray) -> np.ndarray:
        """For each encounter, the index of its person's latest entry in `mask` strictly
        before it (-1 if none)."""
        chosen = mask[entries.order]
        keys = entries.sorted_key[chosen]
        index = entries.order[chosen]
        if len(index) == 0:
            return np.full(len(self), -1, dtype=np.int64)
        pos = np.searchsorted(keys, self.key, side="left") - 1
        ok = pos >= 0
        same = np.zeros(len(self), dtype=bool)
        same[ok] = entries.person[index[pos[ok]]] == self.person[ok]
        return np.where(same, index[np.maximum(pos, 0)], -1)


def pending_at(
    person: np.ndarray,
    filed: np.ndarray,
    disposed: np.ndarray,
    q_person: np.ndarray,
    q_seconds: np.ndarray,
) -> np.ndarray:
    """For each query, whether its person has a charge filed strictly before it and not
    disposed strictly before it (a charge never disposed has a very large `disposed`).

    >>> pending_at(np.array([0]), np.array([10]), np.array([20]), np.array([0, 0, 0, 0]),
    ...     np.array([10, 11, 20, 21])).tolist()
    [False, True, True, False]
    """
    q = _key(q_person, q_seconds)
    base = _key(q_person, np.full(len(q_person), -_OFFSET))
    f = np.sort(_key(person, filed))
    d = np.sort(_key(person, np.minimum(disposed, _OFFSET - 1)))

    def before(keys: np.ndarray) -> np.ndarray:
        return np.searchsorted(keys, q, "left") - np.searchsorted(keys, base, "left")

    return before(f) - before(d) > 0


@dataclass(frozen=True)
class Screened:
    """The rule's answer per encounter (see the module docstring)."""

    eligible: np.ndarray
    green_light: np.ndarray
    in_program_area: np.ndarray


def screen_all(
    versions: tuple[Policy, ...],
    facts: Facts,
    records: Entries,
    observed: np.ndarray,
) -> Screened:
    """Screen every encounter under the policy version in force on its date.

    `versions` are deployed policies (deployed_policy), oldest first. `records` are earlier
    arrests that can verify activity; `observed` marks contacts that verify themselves.
    """
    n = len(facts)
    effective = np.array([int(p.effective.strftime("%Y%m%d")) for p in versions])
    which = np.clip(np.searchsorted(effective, facts.day, side="right") - 1, 0, None)
    eligible = np.zeros(n, dtype=bool)
    green = np.ones(n, dtype=bool)
    in_area = np.zeros(n, dtype=bool)
    for v, policy in enumerate(versions):
        rows = np.flatnonzero(which == v) if len(versions) > 1 else np.arange(n)
        if len(rows) == 0:
            continue
        e, g, a = _screen_version(policy, facts, rows, records, observed)
        eligible[rows], green[rows], in_area[rows] = e, g, a
    return Screened(eligible, green, in_area)


def _screen_version(
    p: Policy, f: Facts, rows: np.ndarray, records: Entries, observed: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    c = p.compiled
    pc = f.probable_cause[rows]
    in_area = np.isin(f.area[rows], f.area_ids(c.program_areas))

    offenses_ok = _offenses_ok(p, f, rows)
    person_ok = f.age[rows] >= p.person.min_age
    ex = p.exclusions
    for enabled, flag in (
        (p.sales.exclude_sale_to_minor, "sale_to_minor"),
        (p.sales.exclude_school_zone, "school_zone"),
        (ex.exploitation_of_minors, "exploitation_of_minor"),
        (ex.exploitation_of_adults, "exploitation_of_adult"),
        (ex.no_contact_order, "no_contact_order"),
        (ex.confidential_informant, "confidential_informant"),
        (ex.pending_specialty_court, "pending_specialty_court"),
    ):
        if enabled:
            person_ok &= ~f.flag(flag)[rows]
    if ex.open_violent_case and f.pending_violent is not None:
        person_ok &= ~f.pending_violent[rows]
    if ex.open_weapons_case and f.pending_weapons is not None:
        person_ok &= ~f.pending_weapons[rows]
    for kind, rule in (
        ("on_probation", p.supervision.probation),
        ("on_parole", p.supervision.parole),
    ):
        if rule == "excluded":
            person_ok &= ~f.flag(kind)[rows]
    person_ok &= ~_history_bars(p, f, rows)

    # Pathways a rule closes: protective orders.
    closed_arrest = np.zeros(len(rows), dtype=bool)
    closed_social = np.zeros(len(rows), dtype=bool)
    if c.order_kinds:
        has = np.zeros(len(rows), dtype=bool)
        for kind in c.order_kinds:
            has |= f.flag(kind)[rows]
        if p.orders.only_protecting_participant:
            has &= f.flag("order_protects_participant")[rows]
        if not c.order_pathways:
            person_ok &= ~has
        else:
            closed_arrest |= has & ("arrest_diversion" in c.order_pathways)
            closed_social |= has & ("social_contact" in c.order_pathways)

    none = np.zeros(len(rows), dtype=bool)
    arrest = offenses_ok & ~closed_arrest if "arrest_diversion" in c.open_pathways else none
    if "social_contact" in c.open_pathways:
        social = _verified(p, f, rows, records, observed) & ~closed_social
    else:
        social = none
    eligible = np.where(pc, arrest, social) & person_ok

    green = np.ones(len(rows), dtype=bool)
    if c.windows:
        bound = pc if "arrest_diversion" in c.window_pathways else np.zeros(len(rows), bool)
        if "social_contact" in c.window_pathways:
            bound |= ~pc
        inside = np.zeros(len(rows), dtype=bool)
        weekday, minute = f.weekday[rows], f.minute[rows]
        for w in c.windows:
            days = [_DAYS.index(d) for d in w.days]
            here = np.isin(weekday, days) & (minute >= w.start_minute) & (minute < w.end_minute)
            if w.areas:
                here &= np.isin(f.area[rows], f.area_ids(w.areas))
            inside |= here
        green = ~bound | inside
    return eligible, green, in_area


def _activity_ok(p: Policy, code: np.ndarray, activity: np.ndarray) -> np.ndarray:
    c = p.compiled
    ok = np.isin(activity, _ids(c.activities, ACTIVITIES_))
    for code_, cond in c.conditions.items():
        if cond.activities is not None:
            here = code == CODES.index(code_)
            ok[here] = np.isin(activity[here], _ids(cond.activities, ACTIVITIES_))
    return ok


_OTHER = ACTIVITIES_.index("other")
_POSSESS = ACTIVITIES_.index("possess")
_DRUG_IDS = _ids(DRUG_CODES, CODES)
_35A, _35B = CODES.index("35A"), CODES.index("35B")
_WEIGHED = _ids(WEIGHED_ACTIVITIES, ACTIVITIES_)


def _offenses_ok(p: Policy, f: Facts, rows: np.ndarray) -> np.ndarray:
    c = p.compiled
    code, code2, activity, drug = (
        f.code_i[rows],
        f.code2_i[rows],
        f.activity_i[rows],
        f.drug_i[rows],
    )
    grams, value = f.grams[rows], f.value[rows]
    eligible, excluded = _ids(c.eligible_codes, CODES), _ids(c.excluded_codes, CODES)
    second = code2 != 0
    ok = np.isin(code, eligible) & ~np.isin(code, excluded)
    ok &= ~second | (np.isin(code2, eligible) & ~np.isin(code2, excluded))
    ok &= _activity_ok(p, code, activity)
    act2 = np.where(code2 == _35B, _POSSESS, _OTHER).astype(np.int16)
    ok &= ~second | _activity_ok(p, code2, act2)
    for code_, cond in c.conditions.items():
        if cond.max_value is not None:
            k = CODES.index(code_)
            ok &= (code != k) | (value <= cond.max_value)  # NaN (unknown) fails
            ok &= code2 != k  # a secondary offense carries no value
    is_drug = np.isin(code, _DRUG_IDS)
    if c.eligible_drugs is not None:
        allowed = _ids(c.eligible_drugs, DRUGS_)
        drug_ok = np.isin(drug, allowed)
        ok &= ~is_drug | drug_ok
        ok &= ~np.isin(code2, _DRUG_IDS) | ((code2 == _35B) & drug_ok)
    # Only the primary offense has grams; a drug with its own limit is weighed alone.
    counted = is_drug & ~np.isin(drug, _ids(c.uncounted_drugs, DRUGS_))
    limit = np.full(len(code), float(p.drugs.max_grams))
    for name, grams_limit in c.drug_limits.items():
        limit[drug == DRUGS_.index(name)] = grams_limit
    no_grams = np.isnan(grams)
    g = np.where(no_grams, 0.0, grams)
    big = g > limit if p.drugs.max_grams_inclusive else g >= limit
    over = counted & ~no_grams & big & (g > 0)
    unknown = counted & no_grams & (code == _35A) & np.isin(activity, _WEIGHED)
    return ok & ~over & ~unknown


def _history_bars(p: Policy, f: Facts, rows: np.ndarray) -> np.ndarray:
    barred = np.zeros(len(rows), dtype=bool)
    if not p.compiled.history or f.convictions is None:
        return barred
    conv = f.convictions
    for rule in p.compiled.history:
        mask = np.ones(len(conv.person), dtype=bool)
        if rule.codes is not None:
            mask &= np.isin(conv.code_i, _ids(rule.codes, CODES))
        if rule.domestic_violence:
            mask &= conv.dv
        key = ("history", rule.codes, rule.domestic_violence)
        if key not in f._cache:
            f._cache[key] = f.latest_before(conv, mask)
        latest = f._cache[key][rows]
        found = latest >= 0
        if rule.within_years is None or not found.any():
            barred |= found
        else:
            # By date: an entry dated on the look-back's first day counts.
            since = years_before_ymd(f.day[rows], rule.within_years)
            barred |= found & (conv.day[np.maximum(latest, 0)] >= since)
    return barred


def _verified(
    p: Policy, f: Facts, rows: np.ndarray, records: Entries, observed: np.ndarray
) -> np.ndarray:
    c = p.compiled
    sc = p.pathways.social_contact
    codes = _ids(c.eligible_codes & set(MARKET_CODES), CODES)
    check_area = sc.in_program_area and bool(c.program_areas)
    ok = np.zeros(len(rows), dtype=bool)
    if "observation" in c.verification_sources:
        here = observed[rows] & np.isin(f.code_i[rows], codes)
        if check_area:
            here &= np.isin(f.area[rows], f.area_ids(c.program_areas))
        ok |= here
    if "records" in c.verification_sources:
        mask = np.isin(records.code_i, codes)
        if check_area:
            mask &= np.isin(records.area, sorted(c.program_areas))
        key = ("records", tuple(codes), tuple(sorted(c.program_areas)) if check_area else ())
        if key not in f._cache:
            f._cache[key] = f.latest_before(records, mask)
        latest = f._cache[key][rows]
        if (latest >= 0).any():
            since = months_before_ymd(f.day[rows], sc.verified_within_months)
            ok |= (latest >= 0) & (records.day[np.maximum(latest, 0)] >= since)
    return ok


def describe(versions: tuple[Policy, ...], paths: list[str]) -> list[dict[str, Any]]:
    """The policy versions that decided `eligible`, for truth.json."""
    return [
        {
            "path": path,
            "id": p.id,
            "version": p.version,
            "effective": p.effective.isoformat(),
            "jurisdiction": p.jurisdiction,
            "program_areas": list(p.program_areas),
            "intake_deadline_days": p.intake.deadline_days,
            "pathways": list(p.pathways.open),
        }
        for p, path in zip(versions, paths, strict=True)
    ]
