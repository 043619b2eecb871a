"""Community referrals: partners refer people with no police involvement (Seattle, 2020)."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from divert.access import Action, Kind, require
from divert.field import capacity
from divert.field.diversion import referral_place
from divert.field.models import Referral
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
        raise ValidationError({"pathway": "This site does not take community referrals."})
    person = person_create(
        user=user, first_name=first_name, last_name=last_name, date_of_birth=date_of_birth
    )
    manager = capacity.case_manager_pick(jurisdiction=user.jurisdiction, pathway="community")
    return referral_place(
        user=user,
        person=person,
        pathway=Referral.Pathway.COMMUNITY,
        manager=manager,
        deadline_days=policy.intake.deadline_days,
        note=note,
    )
