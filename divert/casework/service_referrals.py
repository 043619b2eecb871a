"""Closed-loop service referrals: sending one to a service in the directory, the provider's
answers, and what the provider may learn about the participant (only what a release allows)."""

import uuid
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from divert.access import Action, Kind, require, visible
from divert.casework import lifecycle, referral_states
from divert.casework.models import Enrollment, ReleaseOfInformation, ServiceReferral
from divert.casework.once import made_before, save_once
from divert.casework.recipient_classes import in_class
from divert.directory.models import Service
from divert.jurisdictions.clock import site_today


def _timestamps() -> dict[str, str]:
    return {
        referral_states.ACCEPTED: "accepted_at",
        referral_states.IN_PROGRESS: "started_at",
    }


@transaction.atomic
def referral_send(
    *,
    user: Any,
    enrollment_id: int,
    service_id: int,
    note: str = "",
    domain: str = "other",
    client_id: uuid.UUID | None = None,
) -> ServiceReferral:
    """Refer a participant to a service in the site's directory."""
    enrollment = get_object_or_404(Enrollment.objects.select_related("person"), pk=enrollment_id)
    require(user, Action.VIEW, Kind.ENROLLMENT, enrollment, audit=False)
    require(user, Action.CREATE, Kind.SERVICE_REFERRAL, enrollment)
    found = made_before(ServiceReferral, client_id, {"enrollment": enrollment})
    if found is not None:
        return found  # a double submit: the referral already sent
    if enrollment.status not in lifecycle.OPEN_STATUSES:
        raise ValidationError({"enrollment_id": "this enrollment is closed"})
    service = (
        visible(user, Kind.DIRECTORY, Service.objects.select_related("organization__partner"))
        .filter(pk=service_id, jurisdiction_id=enrollment.jurisdiction_id)
        .first()
    )
    if service is None:
        raise ValidationError({"service_id": "no such service in this site's directory"})
    if service.organization is None:
        raise ValidationError({"service_id": "the directory does not say who provides it"})
    if service.status in ("inactive", "defunct"):
        raise ValidationError({"service_id": f"the service is {service.status}"})
    now = timezone.now()
    referral = ServiceReferral(
        enrollment=enrollment,
        provider=service.organization.partner,
        directory_service=service,
        service=service.name[:200],
        domain=domain,
        sent_on=site_today(enrollment.jurisdiction),
        sent_at=now,
        note=note[:500],
        created_by=user,
        client_id=client_id,
    )
    referral.full_clean(exclude=["client_id"])
    return save_once(referral, {"enrollment": enrollment})


def referral_list(*, user: Any, open_only: bool = False) -> QuerySet[ServiceReferral]:
    """The referrals `user` may see: a partner, its own organization's; one list read."""
    require(user, Action.VIEW, Kind.SERVICE_REFERRAL)
    found = visible(
        user,
        Kind.SERVICE_REFERRAL,
        ServiceReferral.objects.select_related(
            "enrollment__person", "provider", "directory_service"
        ),
    )
    if open_only:
        found = found.filter(status__in=referral_states.OPEN)
    return found.order_by("-sent_at", "-pk")


def referral_get(*, user: Any, referral_id: int, action: Action = Action.VIEW) -> ServiceReferral:
    referral = get_object_or_404(
        ServiceReferral.objects.select_related(
            "enrollment__person", "enrollment__jurisdiction", "provider", "directory_service"
        ),
        pk=referral_id,
    )
    require(user, action, Kind.SERVICE_REFERRAL, referral)
    return referral


@transaction.atomic
def referral_move(
    *,
    user: Any,
    referral_id: int,
    status: str,
    reason: str = "",
    outcome: str = "",
    outcome_note: str = "",
) -> ServiceReferral:
    """Move a referral to its next state; out of order is a field error on `status`."""
    referral = referral_get(user=user, referral_id=referral_id, action=Action.CHANGE)
    referral = ServiceReferral.objects.select_for_update().get(pk=referral.pk)
    if status == referral.status:
        return referral  # a double submit changes nothing
    provider_side = user.organization_id == referral.provider_id
    if provider_side and status not in referral_states.PROVIDER_MOVES:
        raise ValidationError({"status": "only the referring case manager may cancel"})
    problems = referral_states.move_problems(
        referral.status, status, reason=reason, outcome=outcome, outcome_note=outcome_note
    )
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    referral.status = status
    if status in _timestamps():
        setattr(referral, _timestamps()[status], now)
    if status in referral_states.CLOSED:
        referral.closed_at = now
        referral.closed_on = site_today(referral.enrollment.jurisdiction)
    referral.reason = reason.strip()[:300] if status == referral_states.DECLINED else ""
    referral.outcome = outcome if status == referral_states.NOT_COMPLETED else ""
    referral.outcome_note = outcome_note.strip()[:300] if referral.outcome else ""
    referral.save()
    return referral


@dataclass(frozen=True)
class ProviderView:
    """What the provider is told about one referral."""

    referral: ServiceReferral
    disclosed: bool  # a release naming the provider is in force today
    participant: str  # the name, or nothing
    note: str
    notice: str  # the §2.32 redisclosure notice, on every disclosure


def release_names_provider(referral: ServiceReferral) -> bool:
    """Whether a release in force today (the site's date) names the provider, or names a class
    of recipients the provider belongs to (divert.casework.recipient_classes)."""
    today = site_today(referral.enrollment.jurisdiction)
    in_force = ReleaseOfInformation.objects.filter(
        ReleaseOfInformation.in_force_q(today),
        person_id=referral.enrollment.person_id,
        shares_participation=True,
    )
    if in_force.filter(recipients=referral.provider_id).exists():
        return True
    classes = set(in_force.exclude(recipient_class="").values_list("recipient_class", flat=True))
    site = referral.enrollment.jurisdiction_id
    return any(in_class(words, referral.provider_id, site) for words in classes)


def provider_view(referral: ServiceReferral) -> ProviderView:
    """Checked at every read, so a release revoked mid-referral stops disclosure at once.
    Without a release the provider learns only that a referral was made."""
    if release_names_provider(referral):
        person = referral.enrollment.person
        return ProviderView(
            referral=referral,
            disclosed=True,
            participant=f"{person.first_name} {person.last_name}".strip(),
            note=referral.note,
            notice=ReleaseOfInformation.REDISCLOSURE_NOTICE,
        )
    return ProviderView(referral=referral, disclosed=False, participant="", note="", notice="")
