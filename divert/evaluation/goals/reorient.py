"""Goal 1: reorient the response to disorder (are officers diverting?)."""

from __future__ import annotations

import ibis

from divert.evaluation.goals.common import area_months, eligible_in_program, flag, month
from divert.evaluation.registry import register
from divert.evaluation.source import Source

PROGRAM = (
    "Arrests (probable cause) that the policy in force made eligible, in a LEAD area while "
    "the program ran there, on a green-light shift (encounters: probable_cause, eligible, "
    "lead_active, green_light)."
)
BY = ("officer_id", "area_id", "shift", "month")


def _eligible(src: Source) -> ibis.Table:
    e = eligible_in_program(src)
    return e.mutate(at=e.occurred_at, month=month(e.occurred_at))


def _diverted(src: Source) -> ibis.Table:
    e = _eligible(src)
    return e.mutate(hit=flag(e.action == "diverted"))


def _missed(src: Source) -> ibis.Table:
    e = _eligible(src)
    reason = (
        ibis.cases(
            (e.amenable, "judged amenable, not offered"),
            (~e.amenable, "judged not amenable by the officer"),
            else_="the officer's judgment was not recorded",
        )
        if "amenable" in e.columns
        else ibis.literal("the officer's judgment was not recorded")
    )
    return e.mutate(hit=flag(e.action == "booked"), reason=reason)


def _officers(src: Source) -> ibis.Table:
    """LEAD-area officers by program year, hit = made at least one referral that year."""
    o = src.table("officers", "officer_id", "area_id")
    a = src.table("areas", "area_id", "lead_area")
    o = o.join(a.filter(a.lead_area), "area_id").select("officer_id", "area_id", "shift")
    e = src.table("encounters", "lead_active", "occurred_at")
    years = e.filter(e.lead_active).select(period=e.occurred_at.year()).distinct()
    r = src.table("referrals", "officer_id", "referred_at", "pathway")
    r = r.filter(r.officer_id.notnull())
    made = r.group_by(r.officer_id, period=r.referred_at.year()).agg(events=r.count())
    oy = o.cross_join(years)
    j = oy.left_join(made, ["officer_id", "period"])
    events = j.events.fill_null(0)
    return j.select(
        "officer_id",
        "area_id",
        "shift",
        "period",
        unit_id=j.officer_id,
        events=events,
        hit=flag(events > 0),
    )


def _officer_months(src: Source) -> ibis.Table:
    """LEAD-area officers by calendar month while LEAD ran, hit = a referral that month: the
    monthly early warning."""
    o = src.table("officers", "officer_id", "area_id")
    a = src.table("areas", "area_id", "lead_area")
    o = o.join(a.filter(a.lead_area), "area_id").select("officer_id")
    e = src.table("encounters", "lead_active", "occurred_at")
    e = e.filter(e.lead_active)
    months = e.group_by(month=month(e.occurred_at)).agg(at=e.occurred_at.min())
    r = src.table("referrals", "officer_id", "referred_at")
    r = r.filter(r.officer_id.notnull())
    made = r.group_by(r.officer_id, month=month(r.referred_at)).agg(events=r.count())
    j = o.cross_join(months).left_join(made, ["officer_id", "month"])
    return j.select("officer_id", "at", hit=flag(j.events.fill_null(0) > 0))


def _handoff(src: Source) -> ibis.Table:
    r = src.table("referrals", "pathway", "handoff_minutes", "referred_at", "officer_id")
    r = r.filter((r.pathway == "arrest_diversion") & r.handoff_minutes.notnull())
    return r.mutate(
        at=r.referred_at,
        month=month(r.referred_at),
        hit=flag(r.handoff_minutes <= 30),
    )


def _pathways(src: Source) -> ibis.Table:
    r = src.table("referrals", "pathway", "referred_at")
    return r.mutate(at=r.referred_at, hit=flag(r.pathway == "arrest_diversion"))


register(
    key="reorient.diversion_rate",
    title="Diversion rate",
    kind="proportion",
    definition="Share of eligible arrests in program areas and times that officers diverted to LEAD.",
    numerator="Eligible arrests with action = diverted.",
    denominator="Eligible arrests in program areas and times.",
    inclusion=PROGRAM,
    units=_diverted,
    breakdowns=BY,
    monthly=True,
)
register(
    key="reorient.missed_diversions",
    title="Missed diversions",
    kind="proportion",
    definition=(
        "Share of eligible arrests in program areas and times that were booked anyway, with "
        "the officer's recorded judgment as the reason; the count is the list supervisors review."
    ),
    numerator="Eligible arrests with action = booked.",
    denominator="Eligible arrests in program areas and times.",
    inclusion=PROGRAM,
    units=_missed,
    breakdowns=(*BY, "reason"),
    monthly=True,
)
register(
    key="reorient.officer_participation",
    title="Officer participation",
    kind="proportion",
    definition=(
        "Share of officers assigned to LEAD areas who made at least one referral in the year: "
        "the early warning New Haven and Albany lacked."
    ),
    numerator="Officer-years with at least one referral (arrest diversion or social contact).",
    denominator="Officers assigned to a LEAD area, times the years the program ran.",
    inclusion="Officers whose assigned area is a LEAD area; years with any encounter while LEAD was active.",
    units=_officers,
    breakdowns=("area_id", "shift"),
    monthly=_officer_months,
)
register(
    key="reorient.officer_concentration",
    title="Referral concentration",
    kind="top_share",
    definition=(
        "Share of all referrals made by the top 10% of LEAD-area officers (by referrals); "
        "near 1 means the program rests on a few officers."
    ),
    numerator="Referrals by the top 10% of officers (at least one officer).",
    denominator="All referrals by LEAD-area officers.",
    inclusion="Officer-years as in officer participation, summed per officer.",
    units=_officers,
)
register(
    key="reorient.handoff_30min",
    title="Hand-off within 30 minutes",
    kind="proportion",
    definition="Share of arrest diversions handed off to a case manager within the 30-minute target.",
    numerator="Arrest-diversion referrals with handoff_minutes <= 30.",
    denominator="Arrest-diversion referrals with a recorded hand-off time.",
    inclusion="referrals.pathway = arrest_diversion and handoff_minutes not null.",
    units=_handoff,
    breakdowns=("officer_id", "month"),
)
register(
    key="reorient.pathway_mix",
    title="Arrest diversions among referrals",
    kind="proportion",
    definition="Share of referrals that came by arrest diversion (the rest: social contact, community).",
    numerator="Referrals with pathway = arrest_diversion.",
    denominator="All referrals, including those refused for capacity.",
    inclusion="Every row of referrals.",
    units=_pathways,
    breakdowns=("pathway",),
)
register(
    key="reorient.calls_for_service",
    title="Calls for service in program areas against comparison areas",
    kind="did",
    unit="ratio of rate ratios",
    definition=(
        "Difference in differences on the ratio scale: the change (after / before launch) in "
        "calls for service about disorder, drugs and sex work per area-month in program "
        "areas, divided by the same change in the other areas. Under 1: fewer calls where "
        "LEAD ran than the trend elsewhere predicts."
    ),
    numerator="Calls per area-month after / before launch, program areas.",
    denominator="The same, comparison areas.",
    inclusion=(
        "Every area and every month the calls table covers (months without calls count 0); "
        "the month of the first launch is left out; 95% interval on the log scale from the "
        "four Poisson counts."
    ),
    units=lambda src: area_months(src, "calls_for_service"),
    needs="a calls_for_service table (call_id, area_id, received_at, kind) from the dispatch system",
)
