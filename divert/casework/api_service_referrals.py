"""Service referrals in the API: the case manager sends and follows them; the provider's staff
(partner role) answer their own organization's, seeing only what a release allows."""

import datetime
import uuid
from typing import Any

from ninja import Field, Query, Router, Schema, Status

from divert.casework import service_referrals as services
from divert.casework.models import Goal, ServiceReferral

router = Router(tags=["service referrals"])


class ReferralOut(Schema):
    id: int
    service: str
    service_id: int | None
    provider: str
    status: str
    sent_at: datetime.datetime | None
    accepted_at: datetime.datetime | None
    started_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    reason: str
    outcome: str
    outcome_note: str
    enrollment_id: int | None = Field(description="Empty for the provider")
    participant: str = Field(description="For the provider: only under a release naming it")
    note: str
    disclosed: bool = Field(description="Whether a release naming the provider is in force")
    notice: str = Field(description="The 42 CFR §2.32 notice that goes with every disclosure")


class ReferralIn(Schema):
    enrollment_id: int
    service_id: int
    note: str = Field("", max_length=500)
    domain: Goal.Domain = Goal.Domain.OTHER
    client_id: uuid.UUID | None = None


class MoveIn(Schema):
    status: ServiceReferral.Status
    reason: str = Field("", max_length=300)
    outcome: str = Field("", max_length=30)
    outcome_note: str = Field("", max_length=300)


class ListFilter(Schema):
    open_only: bool = False


def as_seen_by(user: Any, referral: ServiceReferral) -> dict:
    """The referral as `user` may see it: the provider's side hears only what a release allows."""
    row = {
        "id": referral.pk,
        "service": referral.service,
        "service_id": referral.directory_service_id,
        "provider": referral.provider.name,
        "status": referral.status,
        "sent_at": referral.sent_at,
        "accepted_at": referral.accepted_at,
        "started_at": referral.started_at,
        "closed_at": referral.closed_at,
        "reason": referral.reason,
        "outcome": referral.outcome,
        "outcome_note": referral.outcome_note,
    }
    if user.organization_id == referral.provider_id:
        seen = services.provider_view(referral)
        return {
            **row,
            "enrollment_id": None,
            "participant": seen.participant,
            "note": seen.note,
            "disclosed": seen.disclosed,
            "notice": seen.notice,
        }
    person = referral.enrollment.person
    return {
        **row,
        "enrollment_id": referral.enrollment_id,
        "participant": f"{person.first_name} {person.last_name}",
        "note": referral.note,
        "disclosed": services.release_names_provider(referral),
        "notice": "",
    }


@router.get("", response=list[ReferralOut], summary="Service referrals you may see")
def referral_list(request, filters: Query[ListFilter]):
    found = services.referral_list(user=request.user, open_only=filters.open_only)
    return [as_seen_by(request.user, r) for r in found[:500]]


@router.post("", response={201: ReferralOut}, summary="Refer a participant to a directory service")
def referral_send(request, payload: ReferralIn):
    referral = services.referral_send(user=request.user, **payload.dict())
    return Status(201, as_seen_by(request.user, referral))


@router.get("/{int:service_referral_id}", response=ReferralOut)
def referral_get(request, service_referral_id: int):
    referral = services.referral_get(user=request.user, referral_id=service_referral_id)
    return as_seen_by(request.user, referral)


@router.post(
    "/{int:service_referral_id}/status",
    response=ReferralOut,
    summary="Move a referral on: accepted, declined (reason), in progress, completed, "
    "not completed (outcome), cancelled",
)
def referral_move(request, service_referral_id: int, payload: MoveIn):
    referral = services.referral_move(
        user=request.user, referral_id=service_referral_id, **payload.dict()
    )
    return as_seen_by(request.user, referral)
