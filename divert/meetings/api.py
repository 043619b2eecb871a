"""Work group meetings in the API: the same services, selector and checks as the pages.

A meeting reads differently for each role (divert.meetings.selectors): fields a reader may
not see come back as null, and `fields` names those shown.
"""

import datetime
import uuid

from ninja import Field, Router, Schema, Status

from divert.access import Action
from divert.apitypes import Day
from divert.casework.corrections import REASON_MAX
from divert.meetings import selectors, services
from divert.meetings.models import ACTION_MAX, GUESTS_MAX, SUMMARY_MAX

router = Router(tags=["meetings"])

ONCE = "a resend with the same client_id returns the stored one (200)"


class MeetingSummaryOut(Schema):
    id: int
    held_on: datetime.date
    status: str
    closed_on: datetime.date | None


class CorrectionOut(Schema):
    on: datetime.date
    by: str
    reason: str | None = Field(description="Null for a reader who does not see the whole item")
    fields: list[str]


class ActionOut(Schema):
    id: int
    description: str
    owner_id: int
    owner: str
    due_on: datetime.date
    done_on: datetime.date | None
    version: int
    corrections: list[CorrectionOut] = Field(default_factory=list)


class ItemOut(Schema):
    id: int
    person: str
    case_manager: str
    phone: str
    fields: list[str]
    enrollment_id: int | None
    reason: str | None
    summary: str | None
    decisions: str | None
    legal: str | None
    actions: list[ActionOut] | None
    version: int | None = Field(description="Send it back to correct the item once closed")
    corrections: list[CorrectionOut]

    @staticmethod
    def resolve_fields(row) -> list[str]:
        return sorted(row.fields)


class CountsOut(Schema):
    participants: int
    actions: int
    done: int
    overdue: int


class MeetingOut(Schema):
    id: int
    held_on: datetime.date
    status: str
    closed_on: datetime.date | None
    attendees: list[str]
    guests: str
    items: list[ItemOut]
    counts: CountsOut | None = Field(
        description="Participants discussed and action items done and overdue; for those who "
        "may run a meeting"
    )


class MeetingIn(Schema):
    held_on: Day
    attendee_ids: list[int] = Field(default_factory=list, max_length=200)
    guests: str = Field("", max_length=GUESTS_MAX)
    seed: bool = Field(True, description="Start with one item per participant on the agenda")
    client_id: uuid.UUID | None = Field(None, description="Made by the client: a resend is one")


class MeetingChangeIn(Schema):
    attendee_ids: list[int] | None = Field(None, max_length=200)
    guests: str | None = Field(None, max_length=GUESTS_MAX)


class ItemIn(Schema):
    enrollment_id: int
    summary: str = Field(max_length=SUMMARY_MAX)
    decisions: str = Field("", max_length=SUMMARY_MAX)
    legal: str = Field("", max_length=SUMMARY_MAX, description="Legal coordination only")
    client_id: uuid.UUID | None = None


class ItemRecordIn(Schema):
    summary: str = Field(max_length=SUMMARY_MAX)
    decisions: str = Field("", max_length=SUMMARY_MAX)
    legal: str = Field("", max_length=SUMMARY_MAX, description="Legal coordination only")


class ItemCorrectionIn(ItemRecordIn):
    version: int = Field(ge=1, description="The version you read; a newer one answers 409")
    reason: str = Field(min_length=1, max_length=REASON_MAX)


class ActionCorrectionIn(Schema):
    description: str = Field(max_length=ACTION_MAX)
    owner_id: int
    due_on: Day
    version: int = Field(ge=1, description="The version you read; a newer one answers 409")
    reason: str = Field(min_length=1, max_length=REASON_MAX)


class ItemCreatedOut(Schema):
    id: int
    meeting_id: int
    enrollment_id: int


class ActionIn(Schema):
    description: str = Field(max_length=ACTION_MAX)
    owner_id: int
    due_on: Day
    client_id: uuid.UUID | None = None


class MyActionOut(ActionOut):
    meeting_id: int
    held_on: datetime.date
    participant: str

    @staticmethod
    def resolve_owner(action) -> str:
        return action.owner.get_full_name() or action.owner.username

    @staticmethod
    def resolve_meeting_id(action) -> int:
        return action.item.meeting_id

    @staticmethod
    def resolve_held_on(action) -> datetime.date:
        return action.item.meeting.held_on

    @staticmethod
    def resolve_participant(action) -> str:
        return str(action.item.enrollment.person)


@router.get("", response=list[MeetingSummaryOut], summary="The site's meetings, newest first")
def meeting_list(request):
    return list(services.meeting_list(user=request.user)[:200])


@router.post(
    "",
    response={201: MeetingOut, 200: MeetingOut},
    summary=f"Open a meeting, seeded from the agenda; {ONCE}",
)
def meeting_create(request, payload: MeetingIn):
    meeting, new = services.meeting_create(user=request.user, **payload.dict())
    return Status(
        201 if new else 200, selectors.meeting_view(user=request.user, meeting_id=meeting.pk)
    )


@router.get(
    "/{int:meeting_id}",
    response=MeetingOut,
    summary="A meeting as your role and each participant's release allow (an audited read)",
)
def meeting_detail(request, meeting_id: int):
    return selectors.meeting_view(user=request.user, meeting_id=meeting_id)


@router.patch(
    "/{int:meeting_id}",
    response=MeetingOut,
    summary="Change who attended while the meeting is open (kept in its history)",
)
def meeting_change(request, meeting_id: int, payload: MeetingChangeIn):
    meeting = services.meeting_get(user=request.user, meeting_id=meeting_id, action=Action.CHANGE)
    services.meeting_update(user=request.user, meeting=meeting, **payload.dict(exclude_unset=True))
    return selectors.meeting_view(user=request.user, meeting_id=meeting.pk)


@router.post("/{int:meeting_id}/close", response=MeetingSummaryOut, summary="Close: read-only")
def meeting_close(request, meeting_id: int):
    meeting = services.meeting_get(user=request.user, meeting_id=meeting_id, action=Action.CHANGE)
    return services.meeting_close(user=request.user, meeting=meeting)


@router.post(
    "/{int:meeting_id}/items",
    response={201: ItemCreatedOut, 200: ItemCreatedOut},
    summary=f"Add a participant discussed, with what was said; {ONCE}",
)
def item_add(request, meeting_id: int, payload: ItemIn):
    meeting = services.meeting_get(user=request.user, meeting_id=meeting_id, action=Action.CHANGE)
    item, new = services.item_add(user=request.user, meeting=meeting, **payload.dict())
    return Status(201 if new else 200, item)


@router.put(
    "/items/{int:meeting_item_id}",
    response=ItemCreatedOut,
    summary="Record what was said and decided about a participant on the meeting",
)
def item_record(request, meeting_item_id: int, payload: ItemRecordIn):
    item = services.item_get(
        user=request.user, meeting_item_id=meeting_item_id, action=Action.CHANGE
    )
    return services.item_record(user=request.user, item=item, **payload.dict())


_CONFLICT = {"responses": {409: {"description": "Corrected by someone else since `version`"}}}


@router.put(
    "/items/{int:meeting_item_id}/correction",
    response=ItemCreatedOut,
    summary="Correct a closed meeting's item, with a reason (the version before is kept)",
    openapi_extra=_CONFLICT,
)
def item_correct(request, meeting_item_id: int, payload: ItemCorrectionIn):
    item = services.item_get(
        user=request.user, meeting_item_id=meeting_item_id, action=Action.CHANGE
    )
    return services.item_correct(user=request.user, item=item, **payload.dict())


@router.put(
    "/actions/{int:action_item_id}/correction",
    response=MyActionOut,
    summary="Correct a closed meeting's action item, with a reason (the version before is kept)",
    openapi_extra=_CONFLICT,
)
def action_correct(request, action_item_id: int, payload: ActionCorrectionIn):
    action = services.action_get(
        user=request.user, action_item_id=action_item_id, action=Action.CHANGE
    )
    done = services.action_correct(user=request.user, action=action, **payload.dict())
    return selectors.actions_as_read(request.user, [done])[0]


@router.post(
    "/items/{int:meeting_item_id}/actions",
    response={201: MyActionOut, 200: MyActionOut},
    summary=f"Add an action item: who does what by when; {ONCE}",
)
def action_add(request, meeting_item_id: int, payload: ActionIn):
    item = services.item_get(
        user=request.user, meeting_item_id=meeting_item_id, action=Action.CHANGE
    )
    action, new = services.action_add(user=request.user, item=item, **payload.dict())
    return Status(201 if new else 200, selectors.actions_as_read(request.user, [action])[0])


@router.get("/actions", response=list[MyActionOut], summary="Your open action items")
def action_list(request, include_done: bool = False):
    found = services.action_list(
        user=request.user, owner_id=request.user.pk, include_done=include_done
    )
    return selectors.actions_as_read(request.user, found[:500])


@router.post("/actions/{int:action_item_id}/done", response=MyActionOut, summary="Mark done")
def action_done(request, action_item_id: int):
    action = services.action_get(
        user=request.user, action_item_id=action_item_id, action=Action.CHANGE
    )
    done = services.action_done(user=request.user, action=action)
    return selectors.actions_as_read(request.user, [done])[0]
