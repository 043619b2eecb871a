import datetime

from ninja import Router, Schema

from divert.apitypes import Day
from divert.charges import selectors
from divert.charges.models import ChargeHold
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
def charge_hold_queue(request):
    return list(selectors.charge_hold_queue(user=request.user)[:500])


@router.get("/holds/{int:hold_id}", response=ChargeHoldOut)
def charge_hold_detail(request, hold_id: int):
    return selectors.charge_hold_get(user=request.user, hold_id=hold_id)


class DecisionIn(Schema):
    decision: ChargeHold.Status
    on: Day | None = None


@router.post(
    "/holds/{int:hold_id}/decision",
    response=ChargeHoldOut,
    summary="The prosecutor's decision on a hold whose deadline passed without intake",
)
def charge_hold_decide(request, hold_id: int, payload: DecisionIn):
    from divert.charges.services import charge_hold_decide as decide

    hold = selectors.charge_hold_get(user=request.user, hold_id=hold_id)
    return decide(
        user=request.user,
        hold=hold,
        decision=payload.decision,
        on=payload.on or site_today(request.user.jurisdiction),
    )
