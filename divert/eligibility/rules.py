"""The screening rules. Each one looks at the case and yields a Reason when it fires.

Every rule has a stable id (listed in RULES) so reports can count missed diversions by
rule across policy versions. A rule only reads the policy and the case; no rule depends
on another, which keeps the engine monotone: more facts can only add reasons.

>>> sorted(RULES)[:3]
['approval.prosecutor', 'approval.supervising_agency', 'area.outside_program']
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from divert import nibrs
from divert.eligibility.case import Case
from divert.eligibility.decision import Reason
from divert.eligibility.policy import Policy

RULES: dict[str, str] = {
    "offense.code_excluded": "an instant offense is on the policy's always-excluded list",
    "offense.code_not_eligible": "an instant offense is not one the policy diverts",
    "offense.activity_not_allowed": "the activity (e.g. sale for profit, promoting) is not allowed",
    "offense.value_unknown": "a property offense with a value limit has no value; estimate it",
    "offense.value_over_limit": "the property value is over the limit for that offense",
    "drug.not_eligible": "the drug is not one the policy diverts",
    "drug.unknown": "a drug offense names no drug, and the policy diverts only some drugs",
    "drug.grams_unknown": "a drug offense has no weight; weigh or estimate it",
    "drug.grams_over_limit": "the drug weight is over the policy's limit",
    "sale.to_minor": "a sale to a minor",
    "sale.school_zone": "a sale in a school zone",
    "person.under_min_age": "the person is younger than the policy's minimum age",
    "person.age_uncertain": "a partial date of birth leaves the person possibly under age",
    "person.partial_date_of_birth": "(note) the age was checked against a partial date of birth",
    "area.outside_program": "the case happened outside the program's areas",
    "area.unknown": "(note) the case has no area, so the program area was not checked",
    "exclusion.exploitation_of_minors": "the case involves exploiting a minor",
    "exclusion.exploitation_of_adults": "the case involves exploiting another adult",
    "exclusion.pending_specialty_court": "the person has a case pending in drug or mental-health court",
    "order.bars_contact": "a protective order bars contact (per the policy's [orders])",
    "window.red_light": "outside the green-light days and times for this pathway",
    "window.time_unknown": "(note) the case has no time, so the green-light windows were not checked",
    "officer.not_amenable": "(note) the officer judged the person not amenable; not a rule",
    "exclusion.open_violent_case": "the person has an open violent case",
    "exclusion.open_weapons_case": "the person has an open weapons case",
    "exclusion.no_contact_order": "the person is subject to a no-contact order",
    "exclusion.confidential_informant": "confidential informants cannot be clients",
    "supervision.excluded": "the person is on probation or parole, which the site excludes",
    "approval.supervising_agency": "(approval) the probation or parole agency must agree",
    "approval.prosecutor": "(approval) the prosecutor decides eligibility",
    "intake.release_of_information": "(note) intake needs a signed release of information",
    "history.<name>": "a disqualifying prior offense, per the policy's [[history]] rule <name>",
    "pathway.not_offered": "the requested pathway is not open at this site",
    "pathway.arrest_diversion_needs_offense": "arrest diversion needs an instant offense",
    "pathway.social_contact_unverified": "no verified activity in the area within the window",
    "pathway.none_open": "no referral pathway is open for this case",
}

# Activities that involve a quantity of drug, so the weight limit applies.
_WEIGHED_ACTIVITIES = frozenset({"possess", "subsistence_sale", "sale_for_profit", "manufacture"})
_DRUG_CODES = nibrs.codes_in_family("drug")
_VIOLENT = nibrs.codes_in_family("violent")
_WEAPONS = nibrs.codes_in_family("weapons")
# An acquittal or dismissal is not history, even for a rule that counts "any" disposition.
_NOT_HISTORY = frozenset({"dismissed", "acquitted"})


def _fmt(grams: float) -> str:
    return f"{grams:g} g"


def offense_codes(policy: Policy, case: Case) -> Iterator[Reason]:
    c = policy.compiled
    for i, o in enumerate(case.offenses):
        name = nibrs.OFFENSES[o.nibrs].name
        if o.nibrs in c.excluded_codes:
            yield Reason(
                "offense.code_excluded", f"offense {i + 1}: {o.nibrs} ({name}) is always excluded"
            )
        elif o.nibrs not in c.eligible_codes:
            yield Reason(
                "offense.code_not_eligible",
                f"offense {i + 1}: {o.nibrs} ({name}) is not an offense this program diverts",
            )


def activities(policy: Policy, case: Case) -> Iterator[Reason]:
    c = policy.compiled
    for i, o in enumerate(case.offenses):
        cond = c.conditions.get(o.nibrs)
        allowed = cond.activities if cond and cond.activities is not None else c.activities
        if o.activity not in allowed:
            yield Reason(
                "offense.activity_not_allowed",
                f"offense {i + 1}: activity {o.activity!r} is not allowed for {o.nibrs} "
                f"(allowed: {', '.join(sorted(allowed))})",
            )


def property_values(policy: Policy, case: Case) -> Iterator[Reason]:
    conditions = policy.compiled.conditions
    for i, o in enumerate(case.offenses):
        cond = conditions.get(o.nibrs)
        if cond is None or cond.max_value is None:
            continue
        limit = f"${cond.max_value:,.2f}"
        if o.value is None:
            yield Reason(
                "offense.value_unknown",
                f"offense {i + 1}: {o.nibrs} is eligible up to {limit}; give or estimate its value",
            )
        elif o.value > cond.max_value:
            yield Reason(
                "offense.value_over_limit",
                f"offense {i + 1}: ${o.value:,.2f} is over the {limit} limit for {o.nibrs}",
            )


def drugs(policy: Policy, case: Case) -> Iterator[Reason]:
    allowed = policy.compiled.eligible_drugs
    if allowed is None:
        return
    names = ", ".join(policy.drugs.eligible or ())
    for i, o in enumerate(case.offenses):
        if o.nibrs not in _DRUG_CODES:
            continue
        if o.drug is None:
            yield Reason(
                "drug.unknown",
                f"offense {i + 1}: which drug? This program diverts only {names}",
            )
        elif o.drug not in allowed:
            yield Reason(
                "drug.not_eligible",
                f"offense {i + 1}: {o.drug} is not a drug this program diverts ({names})",
            )


def _over(grams: float, limit: float, inclusive: bool) -> bool:
    return grams > limit if inclusive else grams >= limit


def drug_quantity(policy: Policy, case: Case) -> Iterator[Reason]:
    c = policy.compiled
    inclusive = policy.drugs.max_grams_inclusive
    bound = "limit" if inclusive else "limit (less than the limit is eligible)"
    total = 0.0
    by_drug: dict[str, float] = {}
    for i, o in enumerate(case.offenses):
        if o.nibrs not in _DRUG_CODES or o.drug in c.uncounted_drugs:
            continue
        if o.grams is None:
            if o.nibrs == "35A" and o.activity in _WEIGHED_ACTIVITIES:
                yield Reason(
                    "drug.grams_unknown",
                    f"offense {i + 1}: no weight given for a drug offense; weigh or estimate it",
                )
            continue
        if o.drug in c.drug_limits:
            by_drug[o.drug] = by_drug.get(o.drug, 0.0) + o.grams
        else:
            total += o.grams
    for drug, grams in by_drug.items():
        limit = c.drug_limits[drug]
        if _over(grams, limit, inclusive):
            yield Reason(
                "drug.grams_over_limit",
                f"{_fmt(grams)} of {drug} is over the {_fmt(limit)} {bound} for {drug}",
            )
    limit = policy.drugs.max_grams
    if _over(total, limit, inclusive) and total:
        yield Reason(
            "drug.grams_over_limit", f"{_fmt(total)} of drugs is over the {_fmt(limit)} {bound}"
        )


def sales(policy: Policy, case: Case) -> Iterator[Reason]:
    if policy.sales.exclude_sale_to_minor and "sale_to_minor" in case.flags:
        yield Reason("sale.to_minor", "sales to minors are excluded")
    if policy.sales.exclude_school_zone and "school_zone" in case.flags:
        yield Reason("sale.school_zone", "sales in a school zone are excluded")


def age_on(born: dt.date, on: dt.date) -> int:
    """Whole years. A 29 February birthday falls on 1 March in other years, the later
    of the two usual readings, so the person is never counted older than they are.

    >>> age_on(dt.date(2008, 2, 29), dt.date(2026, 2, 28)), age_on(dt.date(2008, 2, 29),
    ...     dt.date(2026, 3, 1))
    (17, 18)
    """
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def person_age(policy: Policy, case: Case) -> Iterator[Reason]:
    minimum = policy.person.min_age
    earliest, latest = case.person.birth_range
    oldest, youngest = age_on(earliest, case.date), age_on(latest, case.date)
    dob = case.person.date_of_birth
    if oldest < minimum:
        yield Reason("person.under_min_age", f"age {oldest} is under the minimum age {minimum}")
    elif youngest < minimum:
        # Conservative: a partial date of birth that allows "under age" screens as under age
        # until someone confirms the full date.
        yield Reason(
            "person.age_uncertain",
            f"date of birth {dob} is partial: the person is {youngest}-{oldest} and may be "
            f"under the minimum age {minimum}; confirm the full date of birth",
        )
    elif case.person.is_partial:
        yield Reason(
            "person.partial_date_of_birth",
            f"date of birth {dob} is partial; the youngest possible age ({youngest}) was used",
            "note",
        )


def area(policy: Policy, case: Case) -> Iterator[Reason]:
    areas = policy.compiled.program_areas
    if not areas:
        return
    if case.area is None:
        yield Reason("area.unknown", "the case has no area; program area not checked", "note")
    elif case.area not in areas:
        yield Reason(
            "area.outside_program",
            f"area {case.area!r} is outside the program areas ({', '.join(policy.program_areas)})",
        )


def exclusions(policy: Policy, case: Case) -> Iterator[Reason]:
    ex = policy.exclusions
    flags = case.flags
    if ex.exploitation_of_minors and "exploitation_of_minor" in flags:
        yield Reason("exclusion.exploitation_of_minors", "the case involves exploiting a minor")
    if ex.exploitation_of_adults and "exploitation_of_adult" in flags:
        yield Reason(
            "exclusion.exploitation_of_adults", "the case involves exploiting another adult"
        )
    # A pending charge in the history is an open case even if nobody set the flag.
    pending = {h.nibrs for h in case.history if h.disposition == "pending"}
    if ex.open_violent_case and ("open_violent_case" in flags or pending & _VIOLENT):
        yield Reason("exclusion.open_violent_case", "the person has an open violent case")
    if ex.open_weapons_case and ("open_weapons_case" in flags or pending & _WEAPONS):
        yield Reason("exclusion.open_weapons_case", "the person has an open weapons case")
    if ex.no_contact_order and "no_contact_order" in flags:
        yield Reason("exclusion.no_contact_order", "the person is subject to a no-contact order")
    if ex.confidential_informant and "confidential_informant" in flags:
        yield Reason(
            "exclusion.confidential_informant", "confidential informants cannot be clients"
        )
    if ex.pending_specialty_court and "pending_specialty_court" in flags:
        yield Reason(
            "exclusion.pending_specialty_court",
            "the person has a case pending in drug court or mental-health court",
        )


def orders(policy: Policy, case: Case) -> Iterator[Reason]:
    c = policy.compiled
    held = [f for f in case.flags if f in c.order_kinds]
    if not held:
        return
    if policy.orders.only_protecting_participant and "order_protects_participant" not in case.flags:
        return
    what = ", ".join(f.replace("_", " ") for f in held)
    whom = "a current LEAD participant" if policy.orders.only_protecting_participant else "someone"
    if not c.order_pathways:
        yield Reason("order.bars_contact", f"a {what} bars contact with {whom}")
        return
    closed = ", ".join(p.replace("_", " ") for p in c.order_pathways)
    yield Reason(
        "order.bars_contact",
        f"a {what} bars contact with {whom}: no {closed} referral",
        "pathway",
        closes=c.order_pathways,
    )


_DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def green_light(policy: Policy, case: Case) -> Iterator[Reason]:
    c = policy.compiled
    if not c.windows:
        return
    closes = tuple(p for p in c.open_pathways if p in c.window_pathways)
    if case.time is None:
        yield Reason(
            "window.time_unknown",
            "no time given: the green-light days and times were not checked",
            "note",
        )
        return
    day = _DAY_NAMES[case.date.weekday()]
    minute = case.time.hour * 60 + case.time.minute
    for w in c.windows:
        if (
            day in w.days
            and w.start_minute <= minute < w.end_minute
            and (not w.areas or case.area is None or case.area in w.areas)
        ):
            return
    where = f" in {case.area}" if case.area else ""
    yield Reason(
        "window.red_light",
        f"{day.capitalize()} {case.time.strftime('%H:%M')}{where} is outside the green-light "
        f"windows: no {', '.join(p.replace('_', ' ') for p in closes)}",
        "pathway",
        closes=closes,
    )


def amenability(policy: Policy, case: Case) -> Iterator[Reason]:
    if policy.officer.amenability and case.amenable is False:
        yield Reason(
            "officer.not_amenable",
            "the officer judged the person not amenable to diversion (a judgment, not a rule)",
            "note",
        )


def supervision(policy: Policy, case: Case) -> Iterator[Reason]:
    for flag, kind, rule in (
        ("on_probation", "probation", policy.supervision.probation),
        ("on_parole", "parole", policy.supervision.parole),
    ):
        if flag not in case.flags or rule == "allowed":
            continue
        if rule == "excluded":
            yield Reason("supervision.excluded", f"people on {kind} are excluded")
        else:
            yield Reason(
                "approval.supervising_agency",
                f"the person is on {kind}: the supervising agency must approve",
                "approval",
            )


def approvals(policy: Policy, case: Case) -> Iterator[Reason]:
    if policy.approval.prosecutor:
        yield Reason("approval.prosecutor", "the prosecutor decides eligibility", "approval")
    if policy.intake.release_of_information:
        yield Reason(
            "intake.release_of_information",
            "intake needs a signed release of information",
            "note",
        )


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def months_before(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def history(policy: Policy, case: Case) -> Iterator[Reason]:
    if not case.history:
        return
    for rule in policy.compiled.history:
        since = years_before(case.date, rule.within_years) if rule.within_years else None
        hits = [
            h
            for h in case.history
            if (rule.codes is None or h.nibrs in rule.codes)
            and (h.domestic_violence or not rule.domestic_violence)
            and (
                h.disposition == "convicted"
                or (rule.any_disposition and h.disposition not in _NOT_HISTORY)
            )
            and (since is None or h.date >= since)
        ]
        if hits:
            first = hits[0]
            more = f" and {len(hits) - 1} more" if len(hits) > 1 else ""
            dv = " (domestic violence)" if first.domestic_violence else ""
            yield Reason(
                rule.rule_id,
                f"{first.disposition} {first.nibrs} ({nibrs.OFFENSES[first.nibrs].name}){dv} on "
                f"{first.date.isoformat()}{more}: disqualifying history, {rule.label}",
            )


# The order here is the order reasons are listed in a decision.
CASE_RULES = (
    offense_codes,
    activities,
    property_values,
    drugs,
    drug_quantity,
    sales,
    person_age,
    area,
    green_light,
    exclusions,
    orders,
    history,
    supervision,
    approvals,
    amenability,
)
