"""Goal 2: public health and public safety, as participants' own figures after entry.

The program's effect against a comparison group is the comparison design's job
(divert.evaluation.compare); these are the continuous monitoring figures.
"""

from __future__ import annotations

import ibis

from divert.evaluation.goals.common import (
    YEAR,
    arrests,
    end_seconds,
    flag,
    participants,
    rearrest_6m,
)
from divert.evaluation.registry import register
from divert.evaluation.source import Source

COHORT = "Participants: people with a completed intake; index = their first intake."


def _rearrest(src: Source) -> ibis.Table:
    p = rearrest_6m(src)
    return p.mutate(at=p.index_at)


def _after_entry(src: Source, booked_only: bool) -> ibis.Table:
    p = participants(src)
    end = end_seconds(src)
    p = p.mutate(t0=p.index_at.epoch_seconds())
    a = arrests(src)
    if booked_only:
        a = a.filter(a.action == "booked")
    a = a.mutate(t=a.occurred_at.epoch_seconds())
    j = p.left_join(a, (p.person_id == a.person_id) & (a.t > p.t0))
    per = j.group_by("person_id", "index_at", "t0").agg(events=j.t.count())
    return per.mutate(at=per.index_at, years=(end - per.t0) / YEAR).filter(ibis._.years > 0)


def _housed(src: Source, follow_up: bool) -> ibis.Table:
    m = src.table("monthly_status", "enrollment_id", "months_since_intake", "housing", "month")
    start = m.filter(m.months_since_intake == -1).select("enrollment_id", at=m.month)
    later = m.filter(m.months_since_intake >= 0)
    per = later.group_by("enrollment_id").agg(follow=flag(later.housing == "permanent").max())
    base = m.filter(m.months_since_intake == -1).select(
        "enrollment_id", base=flag(m.housing == "permanent")
    )
    j = start.join(per, "enrollment_id").join(base, "enrollment_id")
    return j.select("enrollment_id", "at", hit=j.follow if follow_up else j.base)


register(
    key="safety.rearrest_6m",
    title="Participants re-arrested within 6 months",
    kind="proportion",
    definition="Share of participants arrested (probable cause) within 6 months after their first intake.",
    numerator="Participants with an arrest in the 6 months after first intake.",
    denominator="Participants with 6 months of follow-up before the end of the data.",
    inclusion=COHORT,
    units=_rearrest,
)
register(
    key="safety.arrests_after_entry",
    title="Arrests per person-year after entry",
    kind="rate",
    unit="per person-year",
    definition="Arrests (probable cause, any outcome) per person-year after first intake.",
    numerator="Arrests after first intake.",
    denominator="Person-years from first intake to the end of the data.",
    inclusion=COHORT,
    units=lambda src: _after_entry(src, booked_only=False),
)
register(
    key="safety.bookings_after_entry",
    title="Bookings per person-year after entry",
    kind="rate",
    unit="per person-year",
    definition="Arrests ending in a booking per person-year after first intake.",
    numerator="Arrests with action = booked after first intake.",
    denominator="Person-years from first intake to the end of the data.",
    inclusion=COHORT,
    units=lambda src: _after_entry(src, booked_only=True),
)
register(
    key="safety.housed_baseline",
    title="Permanently housed in the month before referral",
    kind="proportion",
    definition="Share of participants in permanent housing in the month before referral.",
    numerator="Participants whose baseline month is permanent housing.",
    denominator="Participants with a baseline month and at least one follow-up month.",
    inclusion="monthly_status rows of completed intakes.",
    units=lambda src: _housed(src, follow_up=False),
)
register(
    key="safety.housed_any_followup_month",
    title="Permanently housed in any follow-up month",
    kind="proportion",
    definition=(
        "Share of participants in permanent housing in any month from intake on; compare "
        "with the baseline figure (the Seattle within-person measure)."
    ),
    numerator="Participants with any follow-up month in permanent housing.",
    denominator="Participants with a baseline month and at least one follow-up month.",
    inclusion="monthly_status rows of completed intakes.",
    units=lambda src: _housed(src, follow_up=True),
)
register(
    key="safety.health_events",
    title="Emergency health events",
    kind="rate",
    definition="Emergency department visits and overdoses per person-year before and after entry.",
    numerator="Health events.",
    denominator="Person-years.",
    inclusion=COHORT,
    units=None,
    needs="a health_events table (person_id, occurred_at, kind) imported under a data-sharing agreement",
)
