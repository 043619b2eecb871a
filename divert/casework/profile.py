"""One participant on one page: what a case manager needs before walking up to them.

Each part is read through the access policy for its own kind, so each read is checked and
audited as it would be on its own page.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from divert.access import Action, Kind, can, require
from divert.casework import lifecycle, selectors
from divert.casework.attention import PENDING
from divert.casework.models import (
    Contact,
    Enrollment,
    Goal,
    InterventionPlan,
    ReleaseOfInformation,
    ServiceReferral,
    StatusChange,
    Task,
)
from divert.casework.tasks import task_list
from divert.jurisdictions.clock import site_today

RECENT_CONTACTS = 5


@dataclass(frozen=True)
class Deadline:
    on: datetime.date
    label: str

    def days_left(self, today: datetime.date) -> int:
        return (self.on - today).days


@dataclass
class Profile:
    enrollment: Enrollment
    today: datetime.date
    next_deadline: Deadline | None
    plan: InterventionPlan | None
    goals: list[Goal]
    contacts: list[Contact]
    tasks: list[Task]
    releases: list[ReleaseOfInformation]
    services: list[ServiceReferral]
    changes: list[StatusChange]
    may_reassign: bool


def _deadlines(enrollment: Enrollment, tasks: list[Task], hold: Any) -> list[Deadline]:
    found = []
    pending = enrollment.status in PENDING and not enrollment.intake_completed_on
    if pending and enrollment.intake_due_on:
        found.append(Deadline(enrollment.intake_due_on, "Intake due"))
    if hold is not None and hold.status == hold.Status.HOLDING:
        found.append(Deadline(hold.due_on, "Charge hold ends"))
    found += [Deadline(t.due_on, f"Task: {t.title}") for t in tasks if t.done_on is None]
    return sorted(found, key=lambda d: d.on)


def _releases_in_force(user: Any, enrollment: Enrollment, today: datetime.date) -> QuerySet:
    releases = selectors.release_list(user=user, enrollment_id=enrollment.pk)
    return releases.filter(ReleaseOfInformation.in_force_q(today)).order_by("expires_on")


def profile_get(*, user: Any, enrollment_id: int) -> Profile:
    enrollment = selectors.enrollment_get(user=user, enrollment_id=enrollment_id)
    today = site_today(enrollment.jurisdiction)
    require(user, Action.VIEW, Kind.PLAN, enrollment)
    # Opening the page never creates a plan: it exists once a case manager writes one.
    plan = InterventionPlan.objects.filter(enrollment=enrollment).first()
    goals = list(plan.goals.order_by("status", "target_on", "pk")) if plan else []
    contacts = list(
        selectors.contact_list(user=user, enrollment_id=enrollment.pk)[:RECENT_CONTACTS]
    )
    tasks = list(task_list(user=user, enrollment_id=enrollment.pk))
    referral = enrollment.referral
    hold = getattr(referral, "charge_hold", None) if referral is not None else None
    if hold is not None and can(user, Action.VIEW, Kind.CHARGE_HOLD, hold):
        require(user, Action.VIEW, Kind.CHARGE_HOLD, hold)
    else:
        hold = None
    deadlines = (
        _deadlines(enrollment, tasks, hold) if enrollment.status in lifecycle.OPEN_STATUSES else []
    )
    return Profile(
        enrollment=enrollment,
        today=today,
        next_deadline=deadlines[0] if deadlines else None,
        plan=plan,
        goals=goals,
        contacts=contacts,
        tasks=tasks,
        releases=list(_releases_in_force(user, enrollment, today)),
        services=list(selectors.service_referral_list(user=user, enrollment_id=enrollment.pk)),
        changes=list(enrollment.changes.select_related("changed_by")),
        may_reassign=can(user, Action.CHANGE, Kind.ASSIGNMENT, enrollment)
        and enrollment.status in lifecycle.OPEN_STATUSES,
    )
