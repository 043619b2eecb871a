"""Community referrals: partners refer people with no police involvement (Seattle, 2020)."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from divert.access import Action, Kind, require
from divert.casework.capacity import caseload_lock
from divert.field.diversion import referral_already_placed, referral_place
from divert.field.models import Referral
from divert.field.policies import policy_active
from divert.people.models import Person
from divert.people.services import person_create
from divert.vocabulary import Pathway


@transaction.atomic
def community_referral_create(
    *,
    user: Any,
    first_name: str = "",
    last_name: str = "",
    date_of_birth: datetime.date | None = None,
    person: Person | None = None,
    note: str = "",
    idempotency_key: str = "",
    duplicate: str | None = None,
) -> Referral:
    """Refer a person into LEAD from a partner organization, or a case manager's own contact.

    Partners name the person (they cannot look people up); case management staff may refer
    a person already known by passing `person`. Community referrals are taken only while
    capacity remains below the caseload target; otherwise the referral is kept as a capacity
    refusal so the program can see the demand. A resend with the same `idempotency_key`
    returns the first referral and creates nobody twice.

    `duplicate` answers the engine's warning that the program may know the person already:
    "" asks (PossibleDuplicate is raised if so), "existing" refers the person the engine
    found, "new" creates a person anyway; both choices are recorded. None does not ask.
    """
    require(user, Action.CREATE, Kind.REFERRAL)
    _, policy = policy_active(jurisdiction_id=user.jurisdiction_id)
    if Pathway.COMMUNITY not in policy.pathways.open:
        raise ValidationError({"pathway": "This site does not take community referrals."})
    caseload_lock(user.jurisdiction)  # a resend waits here for the first, then finds it
    if idempotency_key and (done := referral_already_placed(user, idempotency_key)):
        return done
    if person is not None:
        require(user, Action.VIEW, Kind.PERSON, person)
    elif duplicate == "existing":
        person = _known_person(user, first_name, last_name, date_of_birth)
    else:
        person = person_create(
            user=user,
            first_name=first_name,
            last_name=last_name,
            date_of_birth=date_of_birth,
            create_anyway=None if duplicate is None else duplicate == "new",
        )
    return referral_place(
        user=user,
        person=person,
        pathway=Pathway.COMMUNITY,
        deadline_days=policy.intake.deadline_days,
        note=note,
        idempotency_key=idempotency_key,
    )


def _known_person(user: Any, first_name: str, last_name: str, date_of_birth) -> Person:
    """The engine's most likely match for what was typed, the choice recorded."""
    from divert.linkage.duplicates import duplicate_choice_record, possible_duplicates

    candidates = possible_duplicates(
        jurisdiction_id=user.jurisdiction_id,
        first_name=first_name,
        last_name=last_name,
        date_of_birth=date_of_birth,
    )
    if not candidates:
        raise ValidationError({"duplicate": "No known person matches; refer someone new."})
    person = candidates[0][0]
    duplicate_choice_record(user=user, choice="existing", person=person, candidates=candidates)
    return person
