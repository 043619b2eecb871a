"""Moving an enrollment through its life: intake in one step, undoing a mistaken move, and
re-engaging someone who comes back after an exit.

Each writes a StatusChange, so the history is kept whole; an undo is a change of its own.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from divert.access import Action, Kind, require
from divert.casework import capacity, lifecycle
from divert.casework.models import Enrollment, StatusChange
from divert.casework.services import STATUS_REASON_MAX, enrollment_move, enrollment_open_for
from divert.jurisdictions.clock import site_today
from divert.staff.models import User
from divert.staff.roles import Role
from divert.vocabulary import Pathway

INTAKE_FROM = (lifecycle.REFERRED, lifecycle.INTAKE_PENDING)


def _check_day(enrollment: Enrollment, on: datetime.date, field: str = "on") -> None:
    if on > site_today(enrollment.jurisdiction):
        raise ValidationError({field: "The date cannot be in the future."})
    if on < enrollment.referred_on:
        raise ValidationError(
            {field: f"The date cannot precede the referral ({enrollment.referred_on:%Y-%m-%d})."}
        )


@transaction.atomic
def enrollment_intake(*, user: Any, enrollment: Enrollment, on: datetime.date) -> Enrollment:
    """Record intake: referred -> intake pending -> active in one step, dated `on`.

    Activation records the intake date, which clears the charge hold (enrollment_move).
    """
    require(user, Action.CHANGE, Kind.ENROLLMENT, enrollment)
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if enrollment.status not in INTAKE_FROM:
        raise ValidationError(
            {"on": f"Intake is done already (status: {enrollment.get_status_display()})."}
        )
    _check_day(enrollment, on)
    steps = [lifecycle.ACTIVE]
    if enrollment.status == lifecycle.REFERRED:
        steps.insert(0, lifecycle.INTAKE_PENDING)
    for step in steps:
        enrollment = enrollment_move(
            user=user, enrollment=enrollment, to_status=step, on=on, reason="intake"
        )
    return enrollment


@transaction.atomic
def status_change_undo(*, user: Any, enrollment: Enrollment, reason: str) -> Enrollment:
    """Undo the latest status move, recording why. The mistaken change stays in the history.

    Undoing an intake clears the intake date; a charge hold the intake cleared is left as it
    is (an undo never puts a charge back before a prosecutor). An exit cannot be undone once
    the person has re-engaged: the later enrollment is theirs now.
    """
    require(user, Action.CHANGE, Kind.ENROLLMENT, enrollment)
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the move was a mistake."})
    if len(reason) > STATUS_REASON_MAX:
        raise ValidationError({"reason": f"Keep the reason under {STATUS_REASON_MAX} characters."})
    last = enrollment.changes.order_by("-changed_on", "-pk").first()
    if last is None or not last.from_status:
        raise ValidationError({"reason": "There is no status move to undo."})
    if last.undoes_id is not None:
        raise ValidationError({"reason": "That was an undo already; make the move again instead."})
    if last.to_status != enrollment.status:
        raise ValidationError({"reason": "The history does not end in the current status."})
    restored = last.from_status
    reopens = restored in lifecycle.OPEN_STATUSES and enrollment.status == lifecycle.EXITED
    if reopens and enrollment_open_for(person=enrollment.person) is not None:
        raise ValidationError(
            {"reason": "The person has an open enrollment now; undo that one instead."}
        )
    current = enrollment.status
    enrollment.status = restored
    if current == lifecycle.EXITED:
        enrollment.exited_on, enrollment.exit_reason = None, ""
    if restored in (lifecycle.REFERRED, lifecycle.INTAKE_PENDING):
        enrollment.intake_completed_on = None
    enrollment.full_clean()
    enrollment.save()
    StatusChange.objects.create(
        enrollment=enrollment,
        from_status=current,
        to_status=restored,
        changed_on=max(site_today(enrollment.jurisdiction), last.changed_on),
        reason=f"undo: {reason}"[:STATUS_REASON_MAX],
        changed_by=user,
        undoes=last,
    )
    return enrollment


@transaction.atomic
def enrollment_reengage(
    *, user: Any, previous: Enrollment, on: datetime.date, case_manager: Any = None
) -> Enrollment:
    """Someone who exited comes back: a new enrollment, linked to the last, awaiting intake.

    The case manager is the one re-engaging them (a supervisor names one), within the caps:
    the site's caseload lock is held while checking room.
    """
    require(user, Action.CREATE, Kind.ENROLLMENT, previous)
    capacity.caseload_lock(previous.jurisdiction)
    previous = Enrollment.objects.select_for_update().get(pk=previous.pk)
    if previous.status != lifecycle.EXITED:
        raise ValidationError({"previous": "Only someone who has exited can re-engage."})
    if hasattr(previous, "next"):
        raise ValidationError({"previous": "This enrollment was re-engaged already."})
    if enrollment_open_for(person=previous.person) is not None:
        raise ValidationError({"previous": "The person has an open enrollment already."})
    if on > site_today(previous.jurisdiction):
        raise ValidationError({"on": "The date cannot be in the future."})
    if on < previous.exited_on:
        raise ValidationError(
            {"on": f"Re-engagement cannot precede the exit ({previous.exited_on:%Y-%m-%d})."}
        )
    manager = _manager_for(user, previous, case_manager)
    if not capacity.has_room(
        jurisdiction=previous.jurisdiction, case_manager=manager, pathway=Pathway.ARREST_DIVERSION
    ):
        raise ValidationError(
            {"case_manager_id": f"{manager.get_full_name() or manager} has no room under the cap."}
        )
    try:
        with transaction.atomic():
            enrollment = Enrollment.objects.create(
                jurisdiction_id=previous.jurisdiction_id,
                person=previous.person,
                case_manager=manager,
                status=lifecycle.REFERRED,
                referred_on=on,
                previous=previous,
            )
    except IntegrityError:
        raise ValidationError({"previous": "The person has an open enrollment already."}) from None
    StatusChange.objects.create(
        enrollment=enrollment,
        from_status="",
        to_status=lifecycle.REFERRED,
        changed_on=on,
        reason="re-engaged",
        changed_by=user,
    )
    return enrollment


def _manager_for(user: Any, previous: Enrollment, case_manager: Any) -> Any:
    if case_manager is None:
        if not user.has_role(Role.CASE_MANAGER):
            raise ValidationError({"case_manager_id": "Name the case manager who takes them."})
        return user
    if isinstance(case_manager, int):
        case_manager = User.objects.filter(pk=case_manager).first()
    loads = capacity.caseloads(jurisdiction=previous.jurisdiction)
    if case_manager is None or case_manager.pk not in loads:
        raise ValidationError({"case_manager_id": "No such case manager at this site."})
    if case_manager.pk != user.pk and not user.has_role(Role.SUPERVISOR):
        raise ValidationError({"case_manager_id": "Only a supervisor assigns someone else."})
    return case_manager
