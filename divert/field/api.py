import datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from divert.apitypes import Moment
from divert.field import selectors, services
from divert.field.models import Encounter, Referral
from divert.people.models import Person

router = Router(tags=["field"])


class OffenseIO(Schema):
    nibrs: str = Field(description="NIBRS offense code, e.g. 35A", max_length=4)
    statute: str = Field("", max_length=60)
    activity: str = Field("", max_length=30)
    drug: str = Field("", max_length=30)
    grams: Decimal | None = Field(None, ge=0, le=1000)


# One encounter is one contact: a handful of offenses, never thousands.
MAX_OFFENSES = 20


class EncounterIn(Schema):
    person_id: int | None = None
    occurred_at: Moment
    area_id: int | None = None
    location: str = Field("", max_length=200)
    offenses: list[OffenseIO] = Field(min_length=1, max_length=MAX_OFFENSES)


class EncounterOut(Schema):
    id: int
    person_id: int | None
    occurred_at: datetime.datetime
    area_id: int | None
    outcome: Encounter.Outcome
    offenses: list[OffenseIO]

    @staticmethod
    def resolve_offenses(encounter) -> list:
        return list(encounter.offenses.all())


class ReferralOut(Schema):
    id: int
    person_id: int
    pathway: Referral.Pathway
    referred_at: datetime.datetime
    handed_off_at: datetime.datetime | None
    capacity_refused: bool
    enrolled: bool

    @staticmethod
    def resolve_enrolled(referral) -> bool:
        return hasattr(referral, "enrollment")


@router.get("/encounters", response=list[EncounterOut], summary="Encounters you may see")
def encounter_list(request):
    return list(selectors.encounter_list(user=request.user)[:500])


@router.post("/encounters", response={201: EncounterOut}, summary="Record a police contact")
def encounter_create(request, payload: EncounterIn):
    person = get_object_or_404(Person, pk=payload.person_id) if payload.person_id else None
    data = payload.dict()
    encounter = services.encounter_create(
        user=request.user,
        person=person,
        occurred_at=data["occurred_at"],
        area_id=data["area_id"],
        location=data["location"],
        offenses=data["offenses"],
    )
    return Status(201, encounter)


@router.get("/referrals", response=list[ReferralOut], summary="Referrals you may see")
def referral_list(request):
    return list(selectors.referral_list(user=request.user)[:500])


@router.get("/referrals/{int:referral_id}", response=ReferralOut)
def referral_detail(request, referral_id: int):
    return selectors.referral_get(user=request.user, referral_id=referral_id)
