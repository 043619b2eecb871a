"""Intake, exit reasons, undo and re-engagement in the API: the same services as the pages."""

from ninja import Field, Router, Schema, Status

from divert.access import Action, Kind, require
from divert.apitypes import Day
from divert.casework import selectors, status
from divert.casework.api import EnrollmentOut
from divert.casework.exits import exit_reasons_for

router = Router(tags=["casework"])


class IntakeIn(Schema):
    on: Day


class UndoIn(Schema):
    reason: str = Field(min_length=1, max_length=300)


class ReengageIn(Schema):
    on: Day
    case_manager_id: int | None = None


class ExitReasonOut(Schema):
    code: str
    label: str


@router.get("/exit-reasons", response=list[ExitReasonOut], summary="This site's exit reasons")
def exit_reason_list(request):
    require(request.user, Action.VIEW, Kind.ENROLLMENT, audit=False)  # no person in it
    reasons = exit_reasons_for(request.user.jurisdiction)
    return [{"code": code, "label": label} for code, label in reasons.items()]


@router.post(
    "/enrollments/{int:enrollment_id}/intake",
    response=EnrollmentOut,
    summary="Record intake: referred to active in one step",
)
def enrollment_intake(request, enrollment_id: int, payload: IntakeIn):
    enrollment = selectors.enrollment_get(user=request.user, enrollment_id=enrollment_id)
    return status.enrollment_intake(user=request.user, enrollment=enrollment, on=payload.on)


@router.post("/enrollments/{int:enrollment_id}/undo", response=EnrollmentOut)
def status_change_undo(request, enrollment_id: int, payload: UndoIn):
    enrollment = selectors.enrollment_get(user=request.user, enrollment_id=enrollment_id)
    return status.status_change_undo(
        user=request.user, enrollment=enrollment, reason=payload.reason
    )


@router.post(
    "/enrollments/{int:enrollment_id}/reengage",
    response={201: EnrollmentOut},
    summary="Re-engage someone who exited: a new enrollment linked to this one",
)
def enrollment_reengage(request, enrollment_id: int, payload: ReengageIn):
    previous = selectors.enrollment_get(user=request.user, enrollment_id=enrollment_id)
    enrollment = status.enrollment_reengage(
        user=request.user, previous=previous, on=payload.on, case_manager=payload.case_manager_id
    )
    return Status(201, enrollment)
