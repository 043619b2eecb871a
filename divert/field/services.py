import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from divert.access import Action, Kind, require
from divert.field.models import Encounter, Offense
from divert.people.models import Person


def _check_person(user: Any, person: Person | None) -> None:
    if person is not None and person.jurisdiction_id != user.jurisdiction_id:
        raise ValidationError({"person_id": "No such person in your jurisdiction."})


@transaction.atomic
def encounter_create(
    *,
    user: Any,
    person: Person | None,
    occurred_at: datetime.datetime,
    offenses: list[dict[str, Any]],
    area_id: int | None = None,
    location: str = "",
    outcome: str = Encounter.Outcome.PENDING,
    outcome_reason: str = "",
) -> Encounter:
    """Record a police contact and its offenses, all or nothing."""
    require(user, Action.CREATE, Kind.ENCOUNTER)
    _check_person(user, person)
    encounter = Encounter(
        jurisdiction_id=user.jurisdiction_id,
        person=person,
        occurred_at=occurred_at,
        area_id=area_id,
        location=location,
        officer=user,
        outcome=outcome,
        outcome_reason=outcome_reason,
    )
    encounter.full_clean()
    if encounter.area_id and encounter.area.jurisdiction_id != user.jurisdiction_id:
        raise ValidationError({"area_id": "No such area in your jurisdiction."})
    encounter.save()
    for index, fields in enumerate(offenses):
        offense = Offense(encounter=encounter, **fields)
        try:
            offense.full_clean(exclude=["encounter"])
        except ValidationError as exc:
            raise ValidationError(
                {f"offenses.{index}.{name}": errs for name, errs in exc.message_dict.items()}
            ) from None
        offense.save()
    return encounter
