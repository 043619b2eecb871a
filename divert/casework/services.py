import datetime
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from divert.access import Action, Kind, require
from divert.casework import corrections, lifecycle, once
from divert.casework.exits import exit_reasons_for
from divert.casework.models import CaseNote, Enrollment, StatusChange
from divert.charges.services import charge_hold_intake_completed
from divert.jurisdictions.clock import local_date, site_today

STATUS_REASON_MAX = StatusChange._meta.get_field("reason").max_length


def enrollment_open(*, referral: Any, case_manager: Any, deadline_days: int | None) -> Enrollment:
    """Open the enrollment a referral starts, with the intake deadline the policy sets.

    The caller holds the site's caseload lock (casework.capacity) and has checked that
    the person has no open enrollment; the database refuses a second one regardless.
    """
    today = local_date(referral.jurisdiction, referral.referred_at)
    due = today + datetime.timedelta(days=deadline_days) if deadline_days else None
    return Enrollment.objects.create(
        jurisdiction_id=referral.jurisdiction_id,
        person=referral.person,
        referral=referral,
        case_manager=case_manager,
        referred_on=today,
        intake_due_on=due,
        status=lifecycle.REFERRED,
    )


def enrollment_open_for(*, person: Any) -> Enrollment | None:
    """The person's open enrollment, if any (at most one exists)."""
    return (
        Enrollment.objects.select_related("case_manager")
        .filter(person=person, status__in=lifecycle.OPEN_STATUSES)
        .first()
    )


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
    if on > site_today(enrollment.jurisdiction):
        raise ValidationError({"on": "A status change cannot be dated in the future."})
    last = enrollment.changes.order_by("-changed_on", "-pk").first()
    if last is not None and on < last.changed_on:
        raise ValidationError(
            {"on": f"A status change cannot precede the last one ({last.changed_on:%Y-%m-%d})."}
        )
    if len(reason) > STATUS_REASON_MAX:
        raise ValidationError({"reason": f"Keep the reason under {STATUS_REASON_MAX} characters."})
    previous = enrollment.status
    enrollment.status = to_status
    if to_status == lifecycle.ACTIVE and enrollment.intake_completed_on is None:
        enrollment.intake_completed_on = on
    if to_status == lifecycle.EXITED:
        reasons = exit_reasons_for(enrollment.jurisdiction)
        if reason not in reasons:
            raise ValidationError({"reason": f"an exit needs one of: {', '.join(reasons)}"})
        if on < (enrollment.intake_completed_on or enrollment.referred_on):
            raise ValidationError({"on": "An exit cannot precede the intake."})
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


def case_note_create(
    *,
    user: Any,
    enrollment: Enrollment,
    text: str,
    topic: str,
    client_id: uuid.UUID | None = None,
) -> tuple[CaseNote, bool]:
    """Write a note; returns it and whether it is new (False: the same form sent again)."""
    require(user, Action.CREATE, Kind.CASE_NOTE, enrollment)
    parent = {"enrollment": enrollment, "author": user}
    found = once.made_before(CaseNote, client_id, parent)
    if found is not None:
        return found, False
    note = CaseNote(
        enrollment=enrollment,
        author=user,
        written_at=timezone.now(),
        topic=topic,
        text=text,
        client_id=client_id,
    )
    note.full_clean(validate_unique=False)
    note._history_user = user
    saved = once.save_once(note, parent)
    return saved, saved is note


def case_note_correct(
    *, user: Any, note: CaseNote, values: dict[str, Any], version: int, reason: str
) -> CaseNote:
    """Correct a note's text or topic (its author or a supervisor), keeping why in history."""
    return corrections.correct(
        user=user, kind=Kind.CASE_NOTE, record=note, values=values, version=version, reason=reason
    )
