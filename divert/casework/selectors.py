from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from divert.access import Action, Kind, require, visible
from divert.casework.models import (
    CaseNote,
    Contact,
    Enrollment,
    Goal,
    GoalStep,
    InterventionPlan,
    ReleaseOfInformation,
    ServiceReferral,
)
from divert.jurisdictions.clock import local_date, site_today
from divert.meetings.legal_words import as_shown
from divert.staff.roles import Role


def _enrollment(enrollment_id: int) -> Enrollment:
    return get_object_or_404(
        Enrollment.objects.select_related("person", "case_manager"), pk=enrollment_id
    )


def enrollment_get(*, user: Any, enrollment_id: int) -> Enrollment:
    enrollment = _enrollment(enrollment_id)
    require(user, Action.VIEW, Kind.ENROLLMENT, enrollment)
    return enrollment


def enrollment_list(*, user: Any) -> QuerySet[Enrollment]:
    require(user, Action.VIEW, Kind.ENROLLMENT)  # a list is a read too: audited
    return visible(user, Kind.ENROLLMENT, Enrollment.objects.select_related("person"))


def case_note_list(*, user: Any, enrollment_id: int) -> QuerySet[CaseNote]:
    enrollment = _enrollment(enrollment_id)
    require(user, Action.VIEW, Kind.CASE_NOTE, enrollment)
    return enrollment.notes.select_related("author")


def case_note_get(*, user: Any, note_id: int) -> CaseNote:
    note = get_object_or_404(
        CaseNote.objects.select_related("author", "enrollment__person"), pk=note_id
    )
    require(user, Action.VIEW, Kind.CASE_NOTE, note)
    return note


def contact_list(*, user: Any, enrollment_id: int) -> QuerySet[Contact]:
    enrollment = _enrollment(enrollment_id)
    require(user, Action.VIEW, Kind.CONTACT, enrollment)
    return enrollment.contacts.select_related("staff")


def service_referral_list(*, user: Any, enrollment_id: int) -> QuerySet[ServiceReferral]:
    enrollment = _enrollment(enrollment_id)
    # The case first: a partner reaches referrals, never the enrollment they hang from.
    require(user, Action.VIEW, Kind.ENROLLMENT, enrollment, audit=False)
    require(user, Action.VIEW, Kind.SERVICE_REFERRAL, enrollment)
    return enrollment.services.select_related("provider")


def plan_get(*, user: Any, enrollment_id: int) -> InterventionPlan | None:
    """The plan, or None before the case manager has made one (reading never makes one)."""
    enrollment = _enrollment(enrollment_id)
    require(user, Action.VIEW, Kind.PLAN, enrollment)
    return (
        InterventionPlan.objects.filter(enrollment=enrollment)
        .prefetch_related(Prefetch("goals", Goal.objects.prefetch_related("steps")))
        .first()
    )


def goal_get(*, user: Any, goal_id: int) -> Goal:
    goal = get_object_or_404(
        Goal.objects.select_related("plan__enrollment__jurisdiction"), pk=goal_id
    )
    require(user, Action.VIEW, Kind.PLAN, goal)
    return goal


def step_get(*, user: Any, step_id: int) -> GoalStep:
    step = get_object_or_404(
        GoalStep.objects.select_related("goal__plan__enrollment__jurisdiction"), pk=step_id
    )
    require(user, Action.VIEW, Kind.PLAN, step)
    return step


def contact_get(*, user: Any, contact_id: int) -> Contact:
    contact = get_object_or_404(
        Contact.objects.select_related("staff", "enrollment__jurisdiction", "enrollment__person"),
        pk=contact_id,
    )
    require(user, Action.VIEW, Kind.CONTACT, contact)
    return contact


def release_list(*, user: Any, enrollment_id: int) -> QuerySet[ReleaseOfInformation]:
    enrollment = _enrollment(enrollment_id)
    require(user, Action.VIEW, Kind.RELEASE, enrollment)
    return enrollment.person.releases.prefetch_related("recipients").select_related("discloser")


# Plan domains enforcement may learn are being worked on: never health or treatment.
PROGRESS_DOMAINS_HIDDEN = frozenset({Goal.Domain.HEALTH, Goal.Domain.TREATMENT})


def progress_get(*, user: Any, enrollment_id: int) -> dict[str, Any]:
    """General progress, the one thing a release lets justice partners see.

    Status, intake attended, the last contact's date and which plan domains have open goals
    (health and treatment left out). Barriers are included only when the release covering
    this viewer shares them. No notes, plan text or health detail.
    """
    enrollment = _enrollment(enrollment_id)
    require(user, Action.VIEW, Kind.PROGRESS, enrollment)
    plan = InterventionPlan.objects.filter(enrollment=enrollment).first()
    goals = list(plan.goals.values_list("status", "domain")) if plan else []
    statuses = [status for status, _ in goals]
    open_domains = {domain for status, domain in goals if status == Goal.Status.OPEN}
    shares_barriers = _shares_barriers(user, enrollment)
    last = (
        enrollment.contacts.exclude(kind=Contact.Kind.ATTEMPTED)
        .order_by("-occurred_at")
        .values_list("occurred_at", flat=True)
        .first()
    )
    return {
        "enrollment_id": enrollment.pk,
        "status": enrollment.status,
        "intake_completed": enrollment.intake_completed_on is not None,
        "intake_completed_on": enrollment.intake_completed_on,
        "intake_due_on": enrollment.intake_due_on,
        "last_contact_on": local_date(enrollment.jurisdiction, last) if last else None,
        "domains_in_progress": [
            d for d in Goal.Domain.values if d in open_domains and d not in PROGRESS_DOMAINS_HIDDEN
        ],
        "goals_met": statuses.count("met"),
        "goals_open": statuses.count("open"),
        "barriers": _barriers_for(user, enrollment, plan) if plan and shares_barriers else "",
        "notice": ReleaseOfInformation.REDISCLOSURE_NOTICE,
    }


def _barriers_for(user: Any, enrollment: Enrollment, plan: InterventionPlan) -> str:
    """The barriers as this reader may see them: the case team reads them as written; anyone
    else (prosecutor, defender) never gets text that fails the health-word check now."""
    if user.has_role(Role.CASE_MANAGER) or user.has_role(Role.SUPERVISOR):
        return plan.barriers
    return as_shown(plan.barriers, enrollment.jurisdiction.slug)


def _shares_barriers(user: Any, enrollment: Enrollment) -> bool:
    if user.has_role(Role.CASE_MANAGER) or user.has_role(Role.SUPERVISOR):
        return True
    return enrollment.person.releases.filter(
        ReleaseOfInformation.in_force_q(site_today(enrollment.jurisdiction)),
        recipients=user.organization_id,
        shares_barriers=True,
    ).exists()
