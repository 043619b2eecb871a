"""Records made once: the client makes the id, so sending the same record twice makes one.

A phone that lost its signal resends; a person taps Save twice. The record carries the
client's `client_id` (unique in the database), and a resend gets back the record already made.
An id already used for another parent's record is refused, so it cannot be used to read one.
A record there is one of per parent (the plan) is its own key: `insert_or_find`.

The services answer whether the record is new, so the API says 201 for the first and 200 for
a resend, and a resend changes nothing.
"""

import uuid
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction


def made_before(
    model: type[models.Model], client_id: uuid.UUID | None, parent: dict[str, Any]
) -> Any:
    """The record `client_id` already made, if any; refused if it belongs to another parent.

    `parent` maps field names to the records the new one hangs from (and, for contacts, the
    staff member logging it): a resend must match them all.
    """
    if client_id is None:
        return None
    found = model._default_manager.filter(client_id=client_id).first()
    if found is None:
        return None
    if any(getattr(found, f"{name}_id") != value.pk for name, value in parent.items()):
        raise ValidationError({"client_id": "This id belongs to another record; make a new one."})
    return found


def save_once(record: models.Model, parent: dict[str, Any]) -> Any:
    """Insert `record`; if a resend racing this one inserted it first, return that one."""
    try:
        with transaction.atomic():
            record.save(force_insert=True)
        return record
    except IntegrityError:
        found = made_before(type(record), record.client_id, parent)
        if found is None:
            raise
        return found


def insert_or_find(record: models.Model, find: Callable[[], Any]) -> tuple[Any, bool]:
    """Insert `record`, or return what `find` finds if a twin (same unique key) got there
    first; with whether it is new. For records unique by their parent, such as the plan."""
    try:
        with transaction.atomic():
            record.save(force_insert=True)
        return record, True
    except IntegrityError:
        found = find()
        if found is None:
            raise
        return found, False
