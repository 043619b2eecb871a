"""Goal 4: undo racial disparities: the OJJDP Relative Rate Index at each decision point.

Each decision point's units carry `group` (Hispanic of any race, otherwise race; the
reference is non-Hispanic White), `hits` (reached the next point) and `total` (at this one).
"""

from __future__ import annotations

import ibis

from divert.evaluation.goals.common import flag, group_of, in_program, rearrest_6m
from divert.evaluation.registry import register
from divert.evaluation.source import Source

GROUPS = (
    "Groups: Hispanic of any race, otherwise race; reference non-Hispanic White; groups under "
    "1% of the decision point's base are not analysed; the same by sex."
)


def _persons(src: Source) -> ibis.Table:
    p = src.table("persons", "person_id", "race", "ethnicity", "sex")
    return p.select("person_id", "sex", group=group_of(p))


def _with_group(t: ibis.Table, src: Source) -> ibis.Table:
    return t.join(_persons(src), "person_id")


def _arrest(src: Source) -> ibis.Table:
    pop = src.table("population", "race", "ethnicity", "sex", "residents")
    pop = pop.group_by("sex", group=group_of(pop)).agg(total=pop.residents.sum())
    e = src.table("encounters", "person_id", "probable_cause", "occurred_at")
    arrested = e.filter(e.probable_cause).select("person_id").distinct()
    hits = _with_group(arrested, src).group_by("group", "sex").agg(hits=ibis._.count())
    j = pop.left_join(hits, ["group", "sex"])
    return j.select("group", "sex", "total", hits=j.hits.fill_null(0))


def _eligible(src: Source) -> ibis.Table:
    e = _with_group(in_program(src), src)
    return e.select("group", "sex", at=e.occurred_at, hits=flag(e.eligible), total=1)


def _diverted(src: Source) -> ibis.Table:
    e = in_program(src)
    e = _with_group(e.filter(e.eligible), src)
    return e.select("group", "sex", at=e.occurred_at, hits=flag(e.action == "diverted"), total=1)


def _intake(src: Source) -> ibis.Table:
    r = src.table("referrals", "referral_id", "pathway", "enrollment_id", "referred_at")
    r = r.filter((r.pathway == "arrest_diversion") & r.enrollment_id.notnull())
    i = src.table("intakes", "enrollment_id", "deadline_met")
    j = _with_group(r.join(i, "enrollment_id"), src)
    return j.select("group", "sex", at=j.referred_at, hits=flag(j.deadline_met), total=1)


def _rearrest(src: Source) -> ibis.Table:
    p = _with_group(rearrest_6m(src), src)
    return p.select("group", "sex", at=p.index_at, hits=p.hit, total=1)


def _point(name: str, title: str, numerator: str, denominator: str, units, needs: str = ""):
    register(
        key=f"equity.rri_{name}",
        title=f"RRI: {title}",
        kind="rri",
        definition=(
            f"Relative Rate Index at '{title}': each group's rate ({numerator} / {denominator}) "
            "divided by the non-Hispanic White rate, with a log relative-risk 95% CI and the "
            "absolute difference."
        ),
        numerator=numerator,
        denominator=denominator,
        inclusion=GROUPS,
        units=units,
        needs=needs,
    )


_point(
    "arrest",
    "population to arrest",
    "people arrested at least once",
    "residents (population)",
    _arrest,
)
_point(
    "eligible",
    "arrest to eligible",
    "eligible arrests",
    "arrests in program areas and times",
    _eligible,
)
_point(
    "diverted",
    "eligible to diverted",
    "diverted arrests",
    "eligible arrests in program areas and times",
    _diverted,
)
_point(
    "intake",
    "diverted to intake within the deadline",
    "intakes completed by the deadline",
    "arrest diversions that created an enrollment",
    _intake,
)
_point(
    "rearrest",
    "participant to re-arrest within 6 months",
    "participants arrested within 6 months of first intake",
    "participants with 6 months of follow-up",
    _rearrest,
)
_point(
    "charge_after_missed_intake",
    "missed intake to charge filed",
    "diverted charges filed after a missed intake",
    "arrest diversions whose intake deadline was missed",
    None,
    needs=(
        "a person_links table (person_id, justice_person_id) from record linkage, to know "
        "whose charge was filed"
    ),
)
