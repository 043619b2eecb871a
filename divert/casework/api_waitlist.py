"""The capacity waitlist in the API: the supervisor's page, same services."""

import datetime

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from divert.casework import selectors
from divert.casework.waitlist import (
    REASON_MAX,
    waitlist_add,
    waitlist_assign,
    waitlist_get,
    waitlist_list,
    waitlist_remove,
)
from divert.field.models import Referral

router = Router(tags=["waitlist"])


class RoomOut(Schema):
    case_manager_id: int
    name: str
    open: int
    limit: int


class WaitingOut(Schema):
    id: int
    person_id: int
    person: str
    pathway: str
    referral_id: int | None
    previous_id: int | None
    turned_away_at: datetime.datetime
    added_at: datetime.datetime
    added_by: str
    reason: str
    waited_days: int
    waited_hours: int
    intake_due_on: datetime.date | None
    intake_days_left: int | None
    room: list[RoomOut] = Field(description="Case managers with room for this person now")


class EntryOut(Schema):
    id: int
    person_id: int
    status: str
    reason: str
    closed_reason: str
    enrollment_id: int | None


class WaitlistIn(Schema):
    referral_id: int | None = Field(None, description="A referral turned away for capacity")
    previous_id: int | None = Field(None, description="An exited enrollment, returning")
    reason: str = Field(min_length=1, max_length=REASON_MAX)


class AssignIn(Schema):
    case_manager_id: int


class RemoveIn(Schema):
    reason: str = Field(min_length=1, max_length=REASON_MAX)


class AssignedOut(Schema):
    id: int
    case_manager_id: int | None
    status: str
    intake_due_on: datetime.date | None


def _out(w) -> dict:
    e = w.entry
    return {
        "id": e.pk,
        "person_id": e.person_id,
        "person": str(e.person),
        "pathway": e.pathway,
        "referral_id": e.referral_id,
        "previous_id": e.previous_id,
        "turned_away_at": e.turned_away_at,
        "added_at": e.added_at,
        "added_by": e.added_by.get_full_name() or e.added_by.get_username(),
        "reason": e.reason,
        "waited_days": w.waited_days,
        "waited_hours": w.waited_hours,
        "intake_due_on": e.intake_due_on,
        "intake_days_left": w.intake_days_left,
        "room": w.room,
    }


@router.get(
    "/waitlist",
    response=list[WaitingOut],
    summary="Everyone waiting for a place, longest first, with who has room for each now",
)
def waitlist(request):
    return [_out(w) for w in waitlist_list(user=request.user)]


@router.post(
    "/waitlist",
    response={201: EntryOut, 200: EntryOut},
    summary="Put someone turned away for capacity on the waitlist (the same again: 200)",
)
def waitlist_put(request, payload: WaitlistIn):
    referral = previous = None
    if payload.referral_id is not None:
        referral = get_object_or_404(Referral, pk=payload.referral_id)
    if payload.previous_id is not None:
        previous = selectors.enrollment_get(user=request.user, enrollment_id=payload.previous_id)
    if referral is None and previous is None:
        raise ValidationError({"referral_id": "Name the refused referral or the exited case."})
    entry, new = waitlist_add(
        user=request.user, reason=payload.reason, referral=referral, previous=previous
    )
    return Status(201 if new else 200, entry)


@router.post("/waitlist/{int:waitlist_entry_id}/assign", response=AssignedOut)
def waitlist_assign_api(request, waitlist_entry_id: int, payload: AssignIn):
    entry = waitlist_get(user=request.user, entry_id=waitlist_entry_id)
    return waitlist_assign(user=request.user, entry=entry, case_manager_id=payload.case_manager_id)


@router.post("/waitlist/{int:waitlist_entry_id}/remove", response=EntryOut)
def waitlist_remove_api(request, waitlist_entry_id: int, payload: RemoveIn):
    entry = waitlist_get(user=request.user, entry_id=waitlist_entry_id)
    return waitlist_remove(user=request.user, entry=entry, reason=payload.reason)
