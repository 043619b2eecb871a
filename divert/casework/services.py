import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from divert.access import Action, Kind, require
from divert.casework import lifecycle
from divert.casework.models import CaseNote, Enrollment, StatusChange
from divert.charges.services import charge_hold_intake_completed


@transaction.atomic
def enrollment_move(
    *, user: Any, enrollment: Enrollment, to_status: str, on: datetime.date, reason: str = ""
) -> Enrollment:
    """Move an enrollment along its life cycle, keeping the change and its reason."""
    require(user, Action.CHANGE, Kind.ENROLLMENT, enrollment)
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if to_status not in lifecycle.STATUSES:
        raise ValidationError({"to_status": f"unknown status {to_status!r}"})
    if not lifecycle.can_move(enrollment.status, to_status):
        raise ValidationError({"to_status": f"cannot move from {enrollment.status} to {to_status}"})
    if on < enrollment.referred_on:
        raise ValidationError({"on": "A status change cannot precede the referral."})
    previous = enrollment.status
    enrollment.status = to_status
    if to_status == lifecycle.ACTIVE and enrollment.intake_completed_on is None:
        enrollment.intake_completed_on = on
    if to_status == lifecycle.EXITED:
        if reason not in lifecycle.EXIT_REASONS:
            raise ValidationError(
                {"reason": f"an exit needs one of: {', '.join(lifecycle.EXIT_REASONS)}"}
            )
        enrollment.exited_on = on
        enrollment.exit_reason = reason
    enrollment.full_clean()
    enrollment.save()
    if to_status == lifecycle.ACTIVE and enrollment.referral_id:
        charge_hold_intake_completed(referral_id=enrollment.referral_id)
    StatusChange.objects.create(
        enrollment=enrollment,
        from_status=previous,
        to_status=to_status,
        changed_on=on,
        reason=reason,
        changed_by=user,
    )
    return enrollment


@transaction.atomic
def case_note_create(*, user: Any, enrollment: Enrollment, text: str, topic: str) -> CaseNote:
    require(user, Action.CREATE, Kind.CASE_NOTE, enrollment)
    note = CaseNote(
        enrollment=enrollment, author=user, written_at=timezone.now(), topic=topic, text=text
    )
    note.full_clean()
    note.save()
    return note
