"""Goal 4: undo racial disparities: the OJJDP Relative Rate Index at each decision point.

Each decision point's units carry `group` (Hispanic of any race, otherwise race; the
reference is non-Hispanic White), `hits` (reached the next point) and `total` (at this one).
"""

from __future__ import annotations

import ibis

from divert.evaluation.goals.common import age_band, flag, group_of, in_program, rearrest_6m
from divert.evaluation.registry import register
from divert.evaluation.source import Source

GROUPS = (
    "Groups: Hispanic of any race, otherwise race; reference non-Hispanic White; groups under "
    "1% of the decision point's base are not analysed; the same by sex and by age group (age at "
    "the unit's date; at the arrest for population to arrest)."
)


def _persons(src: Source) -> ibis.Table:
    p = src.table("persons", "person_id", "race", "ethnicity", "sex", "dob")
    return p.select("person_id", "sex", "dob", group=group_of(p))


def _units(t: ibis.Table, src: Source, at: str, hits: ibis.Deferred) -> ibis.Table:
    """One row per unit: group, sex and age band (at `at`) of its person, hit or not."""
    j = t.join(_persons(src), "person_id")
    return j.select(
        "group", "sex", at=j[at], age_band=age_band(j.dob, j[at]), hits=hits.resolve(j), total=1
    )


def _arrest(src: Source) -> ibis.Table:
    pop = src.table("population", "race", "ethnicity", "sex", "age_band", "residents")
    pop = pop.group_by("sex", "age_band", group=group_of(pop)).agg(total=pop.residents.sum())
    e = src.table("encounters", "person_id", "probable_cause", "occurred_at")
    e = e.filter(e.probable_cause)
    first = e.group_by("person_id").agg(at=e.occurred_at.min())  # a person counts once
    people = _units(first, src, "at", ibis._.person_id.notnull())
    hits = people.group_by("group", "sex", "age_band").agg(hits=people.count())
    # Stacked, not joined: a person whose age the data lacks, or whose band the population
    # table has not, still counts in the group's index; rri() sums per group and band.
    hits = hits.semi_join(pop, ["group", "sex"])
    zero = ibis.literal(0, "int64")
    return pop.select("group", "sex", "age_band", total=pop.total.cast("int64"), hits=zero).union(
        hits.select("group", "sex", "age_band", total=zero, hits=hits.hits.cast("int64"))
    )


def _eligible(src: Source) -> ibis.Table:
    return _units(in_program(src), src, "occurred_at", flag(ibis._.eligible))


def _diverted(src: Source) -> ibis.Table:
    e = in_program(src)
    return _units(e.filter(e.eligible), src, "occurred_at", flag(ibis._.action == "diverted"))


def _intake(src: Source) -> ibis.Table:
    r = src.table("referrals", "referral_id", "pathway", "enrollment_id", "referred_at")
    r = r.filter((r.pathway == "arrest_diversion") & r.enrollment_id.notnull())
    i = src.table("intakes", "enrollment_id", "deadline_met")
    return _units(r.join(i, "enrollment_id"), src, "referred_at", flag(ibis._.deadline_met))


def _rearrest(src: Source) -> ibis.Table:
    return _units(rearrest_6m(src), src, "index_at", ibis._.hit)


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
