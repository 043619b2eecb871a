"""Goal 3: fewer people entering the criminal justice system for low-level offenses."""

from __future__ import annotations

import ibis

from divert.evaluation.goals.common import flag
from divert.evaluation.registry import register
from divert.evaluation.source import Source


def _booked_per_100k(src: Source) -> ibis.Table:
    e = src.table("encounters", "person_id", "area_id", "occurred_at", "eligible", "action")
    e = e.filter(e.eligible & (e.action == "booked"))
    people = e.group_by("area_id", period=e.occurred_at.year()).agg(events=e.person_id.nunique())
    pop = src.table("population", "area_id", "residents")
    pop = pop.group_by("area_id").agg(years=pop.residents.sum() / 100000)
    a = src.table("areas", "area_id", "lead_area")
    j = people.join(pop, "area_id").join(a, "area_id")
    return j.select("area_id", "period", "events", "years", program_area=j.lead_area)


def _did(src: Source) -> ibis.Table:
    """Area-years before the launch year and after it (the launch year itself left out)."""
    t = _booked_per_100k(src)
    a = src.table("areas", "lead_launch")
    launch = a.lead_launch.year().min().execute()
    launch = 0 if launch is None or launch != launch else int(launch)  # NULL: None, or NaN
    t = t.filter(t.period != launch)
    return t.mutate(program=t.program_area, after=t.period > launch)


def _intake(src: Source) -> ibis.Table:
    i = src.table("intakes", "due_at", "deadline_met", "deadline_days")
    return i.mutate(at=i.due_at, hit=flag(i.deadline_met))


register(
    key="system.eligible_people_booked",
    title="People booked for eligible offenses",
    kind="rate",
    unit="per 100,000 residents per year",
    definition=(
        "Unique people booked for an offense eligible under the policy in force, per 100,000 "
        "residents per year, by area (program areas against the others) and year."
    ),
    numerator="Unique people with an eligible arrest ending in a booking, per area and year.",
    denominator="Residents of the area (population) / 100,000, per year.",
    inclusion="All areas; n counts area-years.",
    units=_booked_per_100k,
    breakdowns=("program_area", "area_id"),
)
register(
    key="system.eligible_booked_difference_in_differences",
    title="People booked for eligible offenses: program against comparison areas",
    kind="did",
    unit="ratio of rate ratios",
    definition=(
        "Difference in differences on the ratio scale: the change (after / before launch) in "
        "people booked for eligible offenses per 100,000 residents in program areas, divided "
        "by the same change in the other areas. Under 1: fewer people entered the system "
        "where LEAD ran than the trend elsewhere predicts."
    ),
    numerator="Rate after / rate before, program areas.",
    denominator="Rate after / rate before, comparison areas.",
    inclusion=(
        "Area-years as in people booked for eligible offenses; the calendar year of the first "
        "launch is left out; 95% interval on the log scale from the four Poisson counts."
    ),
    units=_did,
)
register(
    key="system.intake_within_deadline",
    title="Intake within the deadline",
    kind="proportion",
    definition="Share of enrollments whose intake was completed by the local deadline (the diverted charge is then not filed).",
    numerator="Intakes with deadline_met.",
    denominator="Enrollments (intakes table), placed by their due date.",
    inclusion="Every row of intakes.",
    units=_intake,
    breakdowns=("deadline_days",),
)
register(
    key="system.charges_after_missed_intake",
    title="Diverted charges filed after a missed intake",
    kind="proportion",
    definition="Share of arrest diversions with a missed intake whose diverted charge the prosecutor filed.",
    numerator="Charges with source = missed_intake and filed.",
    denominator="Arrest diversions whose intake deadline was missed.",
    inclusion="Arrest diversions.",
    units=None,
    needs="a person_links table (person_id, justice_person_id) from record linkage",
)
