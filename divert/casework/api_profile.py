"""The participant's profile and who opened their record, in the API."""

import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from divert.casework.models import Enrollment
from divert.casework.profile import profile_get
from divert.casework.record_access import record_access_list

router = Router(tags=["profile"])


class DeadlineOut(Schema):
    on: datetime.date
    label: str


class ProfileGoalOut(Schema):
    id: int
    domain: str
    description: str
    status: str
    target_on: datetime.date | None


class ProfileContactOut(Schema):
    id: int
    occurred_at: datetime.datetime
    kind: str
    minutes: int | None


class ProfileTaskOut(Schema):
    id: int
    title: str
    due_on: datetime.date
    owner_id: int


class ProfileReleaseOut(Schema):
    id: int
    recipients: list[str]
    recipient_class: str
    purpose: str
    expires_on: datetime.date | None
    expires_upon: str

    @staticmethod
    def resolve_recipients(release) -> list[str]:
        return [o.name for o in release.recipients.all()]


class ProfileServiceOut(Schema):
    id: int
    service: str
    provider: str
    status: str
    sent_on: datetime.date

    @staticmethod
    def resolve_provider(service) -> str:
        return service.provider.name


class ProfileOut(Schema):
    enrollment_id: int
    person_id: int
    person: str
    status: str
    case_manager_id: int | None
    referred_on: datetime.date
    intake_due_on: datetime.date | None
    intake_completed_on: datetime.date | None
    exited_on: datetime.date | None
    next_deadline: DeadlineOut | None
    plan_summary: str | None
    goals: list[ProfileGoalOut]
    contacts: list[ProfileContactOut]
    tasks: list[ProfileTaskOut]
    releases_in_force: list[ProfileReleaseOut]
    service_referrals: list[ProfileServiceOut]


@router.get("/enrollments/{int:enrollment_id}/profile", response=ProfileOut)
def profile(request, enrollment_id: int):
    p = profile_get(user=request.user, enrollment_id=enrollment_id)
    e = p.enrollment
    return {
        "enrollment_id": e.pk,
        "person_id": e.person_id,
        "person": str(e.person),
        "status": e.status,
        "case_manager_id": e.case_manager_id,
        "referred_on": e.referred_on,
        "intake_due_on": e.intake_due_on,
        "intake_completed_on": e.intake_completed_on,
        "exited_on": e.exited_on,
        "next_deadline": p.next_deadline,
        "plan_summary": p.plan.summary if p.plan else None,
        "goals": p.goals,
        "contacts": p.contacts,
        "tasks": p.tasks,
        "releases_in_force": p.releases,
        "service_referrals": p.services,
    }


class AccessOut(Schema):
    id: int
    at: datetime.datetime
    actor: str
    action: str
    kind: str
    outcome: str
    purpose: str
    component: str


@router.get("/enrollments/{int:enrollment_id}/access-log", response=list[AccessOut])
def access_log(request, enrollment_id: int):
    enrollment = get_object_or_404(Enrollment, pk=enrollment_id)
    return list(record_access_list(user=request.user, enrollment=enrollment))
