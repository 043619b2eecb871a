from typing import Any

from django.db import transaction

from divert.access import Action, Kind, require
from divert.people.models import Person, PersonIdentifier, PersonName


@transaction.atomic
def person_create(
    *,
    user: Any,
    first_name: str,
    last_name: str,
    aliases: list[tuple[str, str]] = (),
    identifiers: list[tuple[str, str]] = (),
    **fields: Any,
) -> Person:
    """Create a person in the user's jurisdiction, with aliases and outside identifiers."""
    require(user, Action.CREATE, Kind.PERSON)
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
    return person
