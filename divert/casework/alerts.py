"""Alerts for case managers: deadlines, silence and new cases among their participants.

A case manager sees alerts for their own caseload; a supervisor sees the whole site.

>>> [a.kind for a in alert_list(user=case_manager, today=datetime.date(2026, 11, 26))]  # doctest: +SKIP
['intake_overdue', 'intake_due', 'no_contact']
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from divert.access import Action, Kind, require, visible
from divert.casework import attention
from divert.casework.models import Enrollment
from divert.jurisdictions.clock import site_today
from divert.records.models import JusticeEvent
from divert.staff.roles import Role

INTAKE_DUE_DAYS = 3
NO_CONTACT_DAYS = 30
NEW_EVENT_DAYS = 7  # alerts are checked daily; the work group covers the longer window

# Most urgent first: a passed deadline lets the prosecutor file the diverted charge.
KINDS = {
    "intake_overdue": "Intake deadline passed",
    "intake_due": "Intake due soon",
    "new_case": "New arrest, booking or charge",
    "no_contact": f"No contact in {NO_CONTACT_DAYS} days",
}


@dataclass(frozen=True)
class Alert:
    kind: str
    person: str
    enrollment_id: int
    detail: str
    on: datetime.date
    case_manager: str = ""

    @property
    def label(self) -> str:
        return KINDS[self.kind]


def _scope(user: Any) -> QuerySet[Enrollment]:
    enrollments = visible(user, Kind.ENROLLMENT, Enrollment.objects.all())
    if user.has_role(Role.SUPERVISOR):
        return enrollments
    return enrollments.filter(case_manager=user)


def _alert(kind: str, e: Enrollment, detail: str, on: datetime.date) -> Alert:
    cm = (e.case_manager.get_full_name() or e.case_manager.username) if e.case_manager else ""
    return Alert(kind, str(e.person), e.pk, detail, on, cm)


def alert_list(*, user: Any, today: datetime.date | None = None) -> list[Alert]:
    """Every alert for the user's participants as of `today`, most urgent first."""
    require(user, Action.VIEW, Kind.ENROLLMENT)
    today = today or site_today(user.jurisdiction)
    enrollments = _scope(user)
    alerts = []
    pending = attention.open_enrollments(enrollments).filter(
        status__in=attention.PENDING, intake_completed_on__isnull=True, intake_due_on__isnull=False
    )
    soon = today + datetime.timedelta(days=INTAKE_DUE_DAYS)
    for e in pending.filter(intake_due_on__lte=soon).order_by("intake_due_on", "pk"):
        if e.intake_due_on < today:
            alerts.append(
                _alert("intake_overdue", e, f"Was due {e.intake_due_on}", e.intake_due_on)
            )
        else:
            alerts.append(_alert("intake_due", e, f"Due {e.intake_due_on}", e.intake_due_on))
    events = visible(user, Kind.JUSTICE_EVENT, JusticeEvent.objects.all())
    since = today - datetime.timedelta(days=NEW_EVENT_DAYS)
    for e, evs in attention.new_cases(enrollments, events, since=since, today=today):
        detail = "; ".join(f"{ev.get_kind_display()} {ev.occurred_on}" for ev in evs)
        alerts.append(_alert("new_case", e, detail, evs[-1].occurred_on))
    for e, last in attention.out_of_contact(enrollments, today=today, days=NO_CONTACT_DAYS):
        detail = f"Last contact {last}" if last else "No contact since intake"
        alerts.append(_alert("no_contact", e, detail, last or e.referred_on))
    order = list(KINDS)
    return sorted(alerts, key=lambda a: (order.index(a.kind), a.on, a.enrollment_id))
