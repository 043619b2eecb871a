"""The case manager's inbox: new hand-offs with their clocks, alerts, tasks due, and the
referrals still waiting on their intake.

Two clocks run on a hand-off: the hand-off clock (minutes since the officer referred, against
DIVERT_HANDOFF_TARGET_MINUTES) and the intake-deadline clock (site days left until the
policy's intake deadline, which is when the prosecutor may file the held charge).
"""

import datetime
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from django.conf import settings
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from divert.access import Action, Kind, can, require, visible
from divert.casework.alerts import Alert, alert_list
from divert.casework.attention import PENDING
from divert.casework.models import Enrollment, Task
from divert.casework.tasks import DUE_SOON_DAYS, task_list
from divert.field.models import Referral
from divert.jurisdictions.clock import site_today

NEW_HOURS = 24  # a hand-off is new for a day, and for as long as the hand-off is not done


@dataclass(frozen=True)
class Handoff:
    referral_id: int
    enrollment_id: int | None
    person: str
    pathway: str
    referred_at: datetime.datetime
    handed_off_at: datetime.datetime | None
    handoff_due_at: datetime.datetime
    minutes: int  # since the referral, or until the hand-off was done
    late: bool  # the hand-off took, or is taking, longer than the target
    intake_due_on: datetime.date | None
    intake_days_left: int | None  # negative when the deadline has passed
    intake_done: bool
    target_minutes: int

    @property
    def intake_clock(self) -> str:
        n = self.intake_days_left
        if self.intake_done:
            return "Intake done"
        if n is None:
            return "No deadline"
        if n < 0:
            return f"{-n} day{'s' if n != -1 else ''} overdue"
        return "Due today" if n == 0 else f"{n} day{'s' if n != 1 else ''} left"


@dataclass(frozen=True)
class Inbox:
    handoffs: list[Handoff]
    waiting: list[Enrollment]
    alerts: list[Alert]
    tasks: list[Task]
    newest_referral_id: int
    today: datetime.date
    service_referrals: list = dataclass_field(default_factory=list)
    action_items: list = dataclass_field(default_factory=list)  # from work group meetings


def _mine(user: Any) -> QuerySet[Referral]:
    return visible(user, Kind.REFERRAL, Referral.objects.all()).filter(
        case_manager=user, capacity_refused=False
    )


def newest_referral_id(*, user: Any) -> int:
    """The id of the latest hand-off to `user`: no person in it, so the poll can ask cheaply."""
    return _mine(user).aggregate(newest=Max("pk"))["newest"] or 0


def handoff_list(*, user: Any, now: datetime.datetime | None = None) -> list[Handoff]:
    require(user, Action.VIEW, Kind.REFERRAL)
    now = now or timezone.now()
    today = site_today(user.jurisdiction)
    target = datetime.timedelta(minutes=settings.DIVERT_HANDOFF_TARGET_MINUTES)
    recent = now - datetime.timedelta(hours=NEW_HOURS)
    referrals = (
        _mine(user)
        .filter(Q(referred_at__gte=recent) | Q(handed_off_at__isnull=True))
        .exclude(enrollment__status="exited")
        .select_related("person", "enrollment", "routed_to")
        .order_by("-referred_at", "-pk")[:50]
    )
    out = []
    for r in referrals:
        enrollment = getattr(r, "enrollment", None) or r.routed_to
        end = r.handed_off_at or now
        due = enrollment.intake_due_on if enrollment else None
        done = bool(enrollment and enrollment.intake_completed_on)
        out.append(
            Handoff(
                referral_id=r.pk,
                enrollment_id=enrollment.pk if enrollment else None,
                person=str(r.person),
                pathway=r.get_pathway_display(),
                referred_at=r.referred_at,
                handed_off_at=r.handed_off_at,
                handoff_due_at=r.referred_at + target,
                minutes=max(0, int((end - r.referred_at).total_seconds() // 60)),
                late=end - r.referred_at > target,
                intake_due_on=due,
                intake_days_left=(due - today).days if due and not done else None,
                intake_done=done,
                target_minutes=settings.DIVERT_HANDOFF_TARGET_MINUTES,
            )
        )
    return out


def waiting_list(*, user: Any) -> list[Enrollment]:
    """The user's participants whose intake is still to do, deadline first."""
    require(user, Action.VIEW, Kind.ENROLLMENT)
    rows = visible(user, Kind.ENROLLMENT, Enrollment.objects.all()).filter(
        case_manager=user, status__in=PENDING, intake_completed_on__isnull=True
    )
    return list(rows.select_related("person").order_by("intake_due_on", "referred_on", "pk")[:100])


def service_referrals_waiting(*, user: Any) -> list:
    """The user's participants' service referrals still open: the loops to close."""
    from divert.casework.service_referrals import referral_list

    if not can(user, Action.VIEW, Kind.SERVICE_REFERRAL):
        return []
    found = referral_list(user=user, open_only=True).filter(enrollment__case_manager=user)
    return list(found[:100])


def meeting_actions_due(*, user: Any, due_by: datetime.date) -> list:
    """The user's open action items from work group meetings due by `due_by`, as the user
    may read them (a description failing the health-word check is withheld from enforcement)."""
    from divert.meetings.selectors import actions_as_read
    from divert.meetings.services import action_list

    if not can(user, Action.VIEW, Kind.ACTION_ITEM):
        return []
    found = action_list(user=user, owner_id=user.pk).filter(due_on__lte=due_by)[:100]
    return actions_as_read(user, found)


def inbox_get(*, user: Any, now: datetime.datetime | None = None) -> Inbox:
    today = site_today(user.jurisdiction)
    due_by = today + datetime.timedelta(days=DUE_SOON_DAYS)
    tasks = task_list(user=user, owner_id=user.pk, due_by=due_by)
    return Inbox(
        handoffs=handoff_list(user=user, now=now),
        waiting=waiting_list(user=user),
        alerts=alert_list(user=user, today=today),
        tasks=list(tasks[:100]),
        newest_referral_id=newest_referral_id(user=user),
        today=today,
        service_referrals=service_referrals_waiting(user=user),
        action_items=meeting_actions_due(user=user, due_by=due_by),
    )
