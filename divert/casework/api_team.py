"""The team's loads and reassignment in the API: the supervisor's page, same services."""

from ninja import Field, Router, Schema

from divert.casework import selectors
from divert.casework.assignment import REASON_MAX, enrollment_reassign, team_loads

router = Router(tags=["team"])


class LoadOut(Schema):
    case_manager_id: int
    name: str
    open: int
    target: int
    cap: int
    on_call: bool
    state: str


class ReassignIn(Schema):
    case_manager_id: int
    reason: str = Field(min_length=1, max_length=REASON_MAX)


class ReassignedOut(Schema):
    id: int
    case_manager_id: int | None
    status: str


@router.get("/team", response=list[LoadOut], summary="Each case manager's load against the caps")
def team(request):
    return team_loads(user=request.user)


@router.post("/enrollments/{int:enrollment_id}/reassign", response=ReassignedOut)
def reassign(request, enrollment_id: int, payload: ReassignIn):
    enrollment = selectors.enrollment_get(user=request.user, enrollment_id=enrollment_id)
    return enrollment_reassign(
        user=request.user,
        enrollment=enrollment,
        case_manager_id=payload.case_manager_id,
        reason=payload.reason,
    )
