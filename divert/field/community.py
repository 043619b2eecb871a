"""Community referrals: partners refer people with no police involvement (Seattle, 2020)."""

import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from divert.access import Action, Kind, require
from divert.field import capacity
from divert.field.diversion import enrollment_open
from divert.field.models import Referral
from divert.field.notify import Handoff, notify_handoff
from divert.field.policies import policy_active
from divert.people.services import person_create


@transaction.atomic
def community_referral_create(
    *,
    user: Any,
    first_name: str,
    last_name: str,
    date_of_birth: datetime.date | None = None,
    note: str = "",
) -> Referral:
    """Refer a person into LEAD from a partner organization.

    Community referrals are taken only while capacity remains below the caseload target;
    otherwise the referral is kept as a capacity refusal so the program can see the demand.
    """
    require(user, Action.CREATE, Kind.REFERRAL)
    _, policy = policy_active(jurisdiction_id=user.jurisdiction_id)
    if "community" not in policy.pathways.open:
        from django.core.exceptions import ValidationError

        raise ValidationError({"pathway": "This site does not take community referrals."})
    person = person_create(
        user=user, first_name=first_name, last_name=last_name, date_of_birth=date_of_birth
    )
    manager = capacity.case_manager_pick(jurisdiction=user.jurisdiction, pathway="community")
    now = timezone.now()
    referral = Referral.objects.create(
        jurisdiction_id=user.jurisdiction_id,
        person=person,
        pathway=Referral.Pathway.COMMUNITY,
        referred_by=user,
        referring_organization_id=user.organization_id,
        referred_at=now,
        case_manager=manager,
        notified_at=now if manager else None,
        capacity_refused=manager is None,
        note=note,
    )
    if manager is not None:
        enrollment_open(referral, manager, policy.intake.deadline_days)
        handoff = Handoff(
            referral_id=referral.pk,
            pathway="community",
            area="",
            officer=user.organization.name,
            officer_phone=user.phone or user.organization.phone,
            case_manager=manager.get_full_name() or manager.get_username(),
            case_manager_email=manager.email,
            target_minutes=settings.DIVERT_HANDOFF_TARGET_MINUTES,
        )
        transaction.on_commit(lambda: notify_handoff(handoff))
    return referral
