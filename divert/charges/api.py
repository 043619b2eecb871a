import datetime
import uuid

from django.core.exceptions import ValidationError
from ninja import Field, Router, Schema, Status

from divert.access import Action
from divert.apitypes import Day
from divert.charges import legal, selectors
from divert.charges.models import ChargeHold, LegalMatter
from divert.jurisdictions.clock import site_today

router = Router(tags=["charges"])


class ChargeHoldOut(Schema):
    id: int
    person: str
    held_on: datetime.date
    due_on: datetime.date
    intake_completed: bool
    status: ChargeHold.Status

    @staticmethod
    def resolve_person(hold) -> str:
        return str(hold.referral.person)

    @staticmethod
    def resolve_intake_completed(hold) -> bool:
        enrollment = getattr(hold.referral, "enrollment", None)
        return bool(enrollment and enrollment.intake_completed_on)


@router.get("/holds", response=list[ChargeHoldOut], summary="The liaison prosecutor's queue")
def charge_hold_queue(request, show: str = "all", search: str = "", page: int = 1):
    """Needing a decision first, then holding by soonest due, then the rest; 500 a page.

    `show` narrows it: open, awaiting_decision, holding, intake_done, decided or all.
    """
    if show not in selectors.QUEUE_FILTERS:
        raise ValidationError({"show": f"Choose one of: {', '.join(selectors.QUEUE_FILTERS)}."})
    holds = selectors.charge_hold_queue(user=request.user, show=show, search=search[:100])
    start = (min(max(page, 1), 10_000) - 1) * 500
    return list(holds[start : start + 500])


@router.get("/holds/{int:hold_id}", response=ChargeHoldOut)
def charge_hold_detail(request, hold_id: int):
    return selectors.charge_hold_get(user=request.user, hold_id=hold_id)


class DecisionIn(Schema):
    decision: ChargeHold.Status
    reason: str = Field("", max_length=300)
    on: Day | None = None


@router.post(
    "/holds/{int:hold_id}/decision",
    response=ChargeHoldOut,
    summary="The prosecutor's decision, with its reason, on a hold whose deadline passed",
)
def charge_hold_decide(request, hold_id: int, payload: DecisionIn):
    from divert.charges.services import charge_hold_decide as decide

    hold = selectors.charge_hold_get(user=request.user, hold_id=hold_id)
    return decide(
        user=request.user,
        hold=hold,
        decision=payload.decision,
        reason=payload.reason,
        on=payload.on or site_today(request.user.jurisdiction),
    )


class LegalMatterOut(Schema):
    id: int
    kind: LegalMatter.Kind
    summary: str
    court: str
    next_date: datetime.date | None
    from_records: bool
    entered_on: datetime.date
    liaison_position: LegalMatter.Position
    liaison_note: str
    defender_position: LegalMatter.Position
    defender_note: str
    coordinated: bool

    @staticmethod
    def resolve_from_records(matter) -> bool:
        return matter.justice_event_id is not None


class LegalMatterIn(Schema):
    kind: LegalMatter.Kind
    summary: str = Field(..., min_length=1, max_length=200)
    court: str = Field("", max_length=120)
    next_date: Day | None = None
    client_id: uuid.UUID | None = None


class PositionIn(Schema):
    position: LegalMatter.Position
    note: str = Field("", max_length=300)


@router.get(
    "/enrollments/{int:enrollment_id}/legal",
    response=list[LegalMatterOut],
    summary="A participant's other pending cases, warrants and new charges, under a release",
)
def legal_matter_list(request, enrollment_id: int):
    _, matters = legal.legal_matter_list(user=request.user, enrollment_id=enrollment_id)
    return legal.matters_as_read(request.user, matters)


@router.post(
    "/enrollments/{int:enrollment_id}/legal",
    response={201: LegalMatterOut},
    summary="The liaison prosecutor enters a pending case, warrant or new charge",
)
def legal_matter_create(request, enrollment_id: int, payload: LegalMatterIn):
    enrollment = legal._enrollment(enrollment_id)
    matter = legal.legal_matter_create(user=request.user, enrollment=enrollment, **payload.dict())
    return Status(201, legal.matters_as_read(request.user, [matter])[0])


@router.post(
    "/enrollments/{int:enrollment_id}/legal/from-records",
    response=list[LegalMatterOut],
    summary="Add pending charges found in the participant's imported justice records",
)
def legal_matters_from_records(request, enrollment_id: int):
    enrollment = legal._enrollment(enrollment_id)
    made = legal.legal_matters_from_records(user=request.user, enrollment=enrollment)
    return legal.matters_as_read(request.user, made)


@router.post(
    "/legal/{int:legal_matter_id}/position",
    response=LegalMatterOut,
    summary="The liaison's or the defender's position on a legal matter (each its own)",
)
def legal_matter_position(request, legal_matter_id: int, payload: PositionIn):
    matter = legal.legal_matter_get(
        user=request.user, matter_id=legal_matter_id, action=Action.CHANGE
    )
    saved = legal.legal_matter_position(
        user=request.user, matter=matter, position=payload.position, note=payload.note
    )
    return legal.matters_as_read(request.user, [saved])[0]
