"""Reading assessments. Health answers are left out for anyone the access policy does not
let see health detail, and reading them is an audited read of its own (kind `health`)."""

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from divert.access import Action, Kind, can, require
from divert.assessment.models import Answer, Assessment, Reassessment
from divert.casework.models import Enrollment


def _enrollment(enrollment_id: int) -> Enrollment:
    return get_object_or_404(Enrollment.objects.select_related("person"), pk=enrollment_id)


def assessment_list(*, user: Any, enrollment_id: int) -> QuerySet[Assessment]:
    enrollment = _enrollment(enrollment_id)
    require(user, Action.VIEW, Kind.ASSESSMENT, enrollment)
    return enrollment.assessments.select_related("instrument", "recorded_by")


def assessment_get(*, user: Any, assessment_id: int) -> Assessment:
    assessment = get_object_or_404(
        Assessment.objects.select_related("instrument", "recorded_by", "enrollment__person"),
        pk=assessment_id,
    )
    # Rules are written from the enrollment (as for progress), so checks go through it.
    require(user, Action.VIEW, Kind.ASSESSMENT, assessment.enrollment)
    return assessment


def answers_for(*, user: Any, assessment: Assessment) -> list[Answer]:
    """The answers this user may read: health answers only where the policy allows."""
    answers = assessment.answers.all()
    if can(user, Action.VIEW, Kind.HEALTH, assessment.enrollment):
        if any(a.health for a in answers):
            require(user, Action.VIEW, Kind.HEALTH, assessment.enrollment)  # an audited read
        return list(answers)
    return [a for a in answers if not a.health]


def reassessment_list(*, user: Any, enrollment_id: int) -> QuerySet[Reassessment]:
    enrollment = _enrollment(enrollment_id)
    require(user, Action.VIEW, Kind.ASSESSMENT, enrollment)
    return enrollment.reassessments.select_related("recorded_by")
