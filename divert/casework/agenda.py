"""The Operational Work Group agenda: what the group coordinates on at each meeting.

Names participants and links their enrollment; never carries case-note content. The group
meets weekly or every other week (lead.md), so "since the last meeting" defaults to 14 days.

>>> agenda = workgroup_agenda(user=supervisor, today=datetime.date(2026, 11, 26))  # doctest: +SKIP
>>> [item.person for item in agenda.holds]  # doctest: +SKIP
['Robert Jones']
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from divert.access import Action, Kind, require, visible
from divert.casework import attention
from divert.casework.models import Enrollment
from divert.charges.models import ChargeHold
from divert.field.models import Referral
from divert.jurisdictions.clock import day_start, local_date, site_today
from divert.records.models import JusticeEvent

MEETING_INTERVAL_DAYS = 14
HOLD_WARNING_DAYS = 7
MISSING_AFTER_DAYS = 30


@dataclass(frozen=True)
class AgendaItem:
    person: str
    detail: str
    on: datetime.date
    enrollment_id: int | None = None  # None for a capacity refusal: nobody was enrolled
    case_manager: str = ""


@dataclass
class Agenda:
    today: datetime.date
    since: datetime.date
    new_cases: list[AgendaItem] = field(default_factory=list)
    holds: list[AgendaItem] = field(default_factory=list)
    missing: list[AgendaItem] = field(default_factory=list)
    new_referrals: list[AgendaItem] = field(default_factory=list)
    capacity_refusals: list[AgendaItem] = field(default_factory=list)


def _cm(user: Any) -> str:
    return (user.get_full_name() or user.username) if user else ""


def _item(e: Enrollment, detail: str, on: datetime.date) -> AgendaItem:
    return AgendaItem(str(e.person), detail, on, e.pk, _cm(e.case_manager))


def workgroup_agenda(
    *, user: Any, today: datetime.date | None = None, since: datetime.date | None = None
) -> Agenda:
    """The agenda for the user's jurisdiction as of `today`, covering events since `since`."""
    require(user, Action.VIEW, Kind.ENROLLMENT)
    today = today or site_today(user.jurisdiction)
    since = since or today - datetime.timedelta(days=MEETING_INTERVAL_DAYS)
    enrollments = visible(user, Kind.ENROLLMENT, Enrollment.objects.all())
    events = visible(user, Kind.JUSTICE_EVENT, JusticeEvent.objects.all())
    agenda = Agenda(today=today, since=since)
    for e, evs in attention.new_cases(enrollments, events, since=since, today=today):
        detail = "; ".join(f"{ev.get_kind_display()} {ev.occurred_on}" for ev in evs)
        agenda.new_cases.append(_item(e, detail, evs[-1].occurred_on))
    agenda.holds = _holds(user, today)
    for e, last in attention.out_of_contact(enrollments, today=today, days=MISSING_AFTER_DAYS):
        detail = f"Last contact {last}" if last else "No contact since intake"
        agenda.missing.append(_item(e, detail, last or e.referred_on))
    agenda.new_referrals, agenda.capacity_refusals = _referrals(user, since, today)
    return agenda


def _holds(user: Any, today: datetime.date) -> list[AgendaItem]:
    """Holds awaiting the prosecutor's decision, or due within a week without intake."""
    soon = today + datetime.timedelta(days=HOLD_WARNING_DAYS)
    holds = visible(user, Kind.CHARGE_HOLD, ChargeHold.objects.all()).select_related(
        "referral__enrollment__person", "referral__enrollment__case_manager", "referral__person"
    )
    due = holds.filter(status=ChargeHold.Status.HOLDING, due_on__lte=soon).exclude(
        referral__enrollment__intake_completed_on__isnull=False
    )
    items = []
    for hold in (holds.filter(status=ChargeHold.Status.AWAITING_DECISION) | due).order_by(
        "due_on", "pk"
    ):
        e = getattr(hold.referral, "enrollment", None)
        if hold.status == ChargeHold.Status.AWAITING_DECISION:
            detail = f"Deadline {hold.due_on} passed without intake: prosecutor to decide"
        else:
            detail = f"Intake due {hold.due_on}, not done yet"
        items.append(
            _item(e, detail, hold.due_on)
            if e
            else AgendaItem(str(hold.referral.person), detail, hold.due_on)
        )
    return items


def _referrals(
    user: Any, since: datetime.date, today: datetime.date
) -> tuple[list[AgendaItem], list[AgendaItem]]:
    referrals = (
        visible(user, Kind.REFERRAL, Referral.objects.all())
        .filter(
            referred_at__gte=day_start(user.jurisdiction, since),
            referred_at__lt=day_start(user.jurisdiction, today + datetime.timedelta(days=1)),
        )
        .select_related("person", "enrollment__case_manager", "enrollment__person")
        .order_by("referred_at", "pk")
    )
    new, refused = [], []
    for r in referrals:
        on = local_date(user.jurisdiction, r.referred_at)
        if r.capacity_refused:
            refused.append(
                AgendaItem(str(r.person), f"{r.get_pathway_display()}: caseloads full", on)
            )
            continue
        e = getattr(r, "enrollment", None)
        detail = r.get_pathway_display()
        if e:
            new.append(_item(e, f"{detail} · {e.get_status_display()}", on))
        else:
            new.append(AgendaItem(str(r.person), detail, on))
    return new, refused
