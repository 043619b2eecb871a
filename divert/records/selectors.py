from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from divert.access import Action, Kind, require
from divert.people.models import Person
from divert.records.models import JusticeEvent


def justice_event_list(*, user: Any, person_id: int) -> QuerySet[JusticeEvent]:
    person = get_object_or_404(Person, pk=person_id)
    require(user, Action.VIEW, Kind.JUSTICE_EVENT, person)
    return person.justice_events.all()
