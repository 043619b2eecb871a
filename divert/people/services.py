from typing import Any

from django.db import transaction

from divert.access import Action, Kind, can, require
from divert.people.models import Person, PersonIdentifier, PersonName


@transaction.atomic
def person_create(
    *,
    user: Any,
    first_name: str,
    last_name: str,
    aliases: list[tuple[str, str]] = (),
    identifiers: list[tuple[str, str]] = (),
    create_anyway: bool | None = None,
    **fields: Any,
) -> Person:
    """Create a person in the user's jurisdiction, with aliases and outside identifiers.

    With `create_anyway=False` the linkage engine looks for the person first and raises
    PossibleDuplicate naming who it found; `True` creates regardless and records that
    choice when there was someone to warn about; None (loaders) does not look.
    """
    require(user, Action.CREATE, Kind.PERSON)
    candidates = []
    if create_anyway is not None:
        from divert.linkage.duplicates import PossibleDuplicate, possible_duplicates

        candidates = possible_duplicates(
            jurisdiction_id=user.jurisdiction_id,
            first_name=first_name,
            last_name=last_name,
            date_of_birth=fields.get("date_of_birth"),
            dob_precision=fields.get("dob_precision", "day"),
            sex=fields.get("sex", ""),
            race=fields.get("race", ""),
        )
        if candidates and not create_anyway:
            # Only those who may look people up (officers, case workers) are told who.
            named = can(user, Action.VIEW, Kind.ENROLLMENT_STATUS)
            raise PossibleDuplicate(candidates, named=named)
    person = Person(
        jurisdiction_id=user.jurisdiction_id, first_name=first_name, last_name=last_name, **fields
    )
    person.full_clean()
    person.save()
    for first, last in aliases:
        name = PersonName(person=person, first_name=first, last_name=last)
        name.full_clean()
        name.save()
    for system, value in identifiers:
        identifier = PersonIdentifier(person=person, system=system, value=value)
        identifier.full_clean()
        identifier.save()
    if candidates:
        from divert.linkage.duplicates import duplicate_choice_record

        duplicate_choice_record(user=user, choice="new", person=person, candidates=candidates)
    return person
