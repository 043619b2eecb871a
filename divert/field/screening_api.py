"""POST /api/v1/screen and the officer's next steps, over the API."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from divert.access import Action, Kind, require
from divert.apitypes import Day, idempotency_key
from divert.eligibility import Case
from divert.field import community, diversion
from divert.field.models import Encounter, Referral, Screening
from divert.field.selectors import decision_shown_to
from divert.people.models import Person
from divert.people.search import person_search
from divert.people.selectors import enrollment_status_get

router = Router(tags=["field"])


class ReasonOut(Schema):
    rule: str
    message: str
    effect: str


class IntakeOut(Schema):
    deadline_days: int | None
    due: datetime.date | None


class PolicyOut(Schema):
    id: str
    version: str | int


class DecisionOut(Schema):
    screening_id: int
    eligible: bool
    pathways: list[str]
    reasons: list[ReasonOut]
    needs_approval: list[str]
    intake: IntakeOut
    policy: PolicyOut


class DiversionIn(Schema):
    screening_id: int
    pathway: Referral.Pathway
    location: str = Field("", max_length=200)
    area_id: int | None = None


class DiversionOut(Schema):
    referral_id: int
    pathway: Referral.Pathway
    capacity_refused: bool
    case_manager: str
    case_manager_phone: str
    intake_due: datetime.date | None
    handoff_target_minutes: int


class CloseIn(Schema):
    outcome: Encounter.Outcome = Field(description="declined, booked, cited or released")
    reason: str = Field(min_length=1, max_length=300)
    referral_id: int | None = Field(None, description="The capacity-refused referral, if any")


class CloseOut(Schema):
    encounter_id: int
    outcome: Encounter.Outcome
    reason: str


@router.post(
    "/screen",
    response=DecisionOut,
    summary="Screen a case against the jurisdiction's active eligibility policy",
    description=(
        "Returns whether the case is eligible, the open referral pathways, every rule that "
        "fired, who must approve, and the policy id and version used. With `person_id`, the "
        "person's date of birth, history and verified activity are filled from divert's records."
    ),
)
def screen_case(request, payload: Case, person_id: int | None = None):
    person = get_object_or_404(Person, pk=person_id) if person_id else None
    screening = diversion.screening_run(
        user=request.user,
        case=payload.model_dump(mode="json", exclude_none=True, exclude_unset=True),
        person=person,
    )
    return {"screening_id": screening.pk, **decision_shown_to(request.user, screening.decision)}


@router.post("/field/diversions", response={201: DiversionOut}, summary="Divert a screened person")
def diversion_create(request, payload: DiversionIn):
    screening = get_object_or_404(Screening, pk=payload.screening_id)
    referral = diversion.diversion_create(
        user=request.user,
        screening=screening,
        pathway=payload.pathway,
        location=payload.location,
        area_id=payload.area_id,
        idempotency_key=idempotency_key(request),
    )
    return Status(201, _diversion_out(referral))


def _diversion_out(referral: Referral) -> dict:
    manager = referral.case_manager
    enrollment = getattr(referral, "enrollment", None) or referral.routed_to
    return {
        "referral_id": referral.pk,
        "pathway": referral.pathway,
        "capacity_refused": referral.capacity_refused,
        "case_manager": (manager.get_full_name() or manager.get_username()) if manager else "",
        "case_manager_phone": manager.phone if manager else "",
        "intake_due": enrollment.intake_due_on if enrollment else None,
        "handoff_target_minutes": settings.DIVERT_HANDOFF_TARGET_MINUTES,
    }


@router.post(
    "/field/screenings/{int:screening_id}/close",
    response={201: CloseOut},
    summary="Record what happened instead of a diversion, and why",
)
def encounter_close(request, screening_id: int, payload: CloseIn):
    screening = get_object_or_404(Screening, pk=screening_id)
    referral = get_object_or_404(Referral, pk=payload.referral_id) if payload.referral_id else None
    encounter = diversion.encounter_close(
        user=request.user,
        screening=screening,
        outcome=payload.outcome,
        reason=payload.reason,
        referral=referral,
    )
    return Status(
        201,
        {
            "encounter_id": encounter.pk,
            "outcome": encounter.outcome,
            "reason": encounter.outcome_reason,
        },
    )


@router.post(
    "/field/referrals/{int:referral_id}/handoff",
    response=DiversionOut,
    summary="The person is with the case manager: stop the hand-off clock",
)
def handoff_complete(request, referral_id: int):
    referral = get_object_or_404(Referral, pk=referral_id)
    return _diversion_out(diversion.handoff_complete(user=request.user, referral=referral))


class CommunityReferralIn(Schema):
    first_name: str = Field("", max_length=100)
    last_name: str = Field("", max_length=100)
    date_of_birth: Day | None = None
    person_id: int | None = Field(
        None, description="A person already known (case management staff only)"
    )
    note: str = Field("", max_length=500)


class CommunityReferralOut(Schema):
    referral_id: int
    capacity_refused: bool
    status: str


@router.post(
    "/field/community-referrals",
    response={201: CommunityReferralOut},
    summary="A partner refers a person with no police involvement",
)
def community_referral_create(request, payload: CommunityReferralIn):
    data = payload.dict()
    person = None
    if (person_id := data.pop("person_id")) is not None:
        person = get_object_or_404(Person, pk=person_id)
    elif not (data["first_name"].strip() and data["last_name"].strip()):
        raise ValidationError({"first_name": "Give the person's first and last name."})
    referral = community.community_referral_create(
        user=request.user, person=person, idempotency_key=idempotency_key(request), **data
    )
    status = "program full" if referral.capacity_refused else "awaiting contact"
    return Status(
        201,
        {
            "referral_id": referral.pk,
            "capacity_refused": referral.capacity_refused,
            "status": status,
        },
    )


class LookupOut(Schema):
    person_id: int
    name: str
    born: int | None
    enrolled: bool
    case_manager: str
    phone: str


@router.get(
    "/field/lookup",
    response=list[LookupOut],
    summary="Find a person: enrolled or not, and whom to call, nothing more",
)
def lookup(
    request,
    q: str = Query(..., min_length=2, max_length=100),
    dob: datetime.date | None = None,
):
    require(request.user, Action.VIEW, Kind.ENROLLMENT_STATUS, audit=False)
    found = person_search(jurisdiction_id=request.user.jurisdiction_id, query=q, dob=dob)
    return [
        {
            "person_id": person.pk,
            "name": str(person),
            "born": person.date_of_birth.year if person.date_of_birth else None,
            **enrollment_status_get(user=request.user, person_id=person.pk),
        }
        for person, _ in found
    ]
