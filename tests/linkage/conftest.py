import datetime

import pytest

from divert.linkage.models import JusticePerson
from divert.people.models import Person
from divert.records.models import JusticeEvent
from tests.field.conftest import on_call, seattle_2020  # noqa: F401  (fixtures)


def jail_person(site, source_id: str, first: str, last: str, dob, **extra) -> JusticePerson:
    return JusticePerson.objects.create(
        jurisdiction=site,
        source_system="county-jail",
        source_person_id=source_id,
        first_name=first,
        last_name=last,
        date_of_birth=dob,
        **extra,
    )


def court_person(site, source_id: str, first: str, last: str, dob, **extra) -> JusticePerson:
    person = jail_person(site, source_id, first, last, dob, **extra)
    person.source_system = "county-court"
    person.save()
    return person


@pytest.fixture
def county(site):
    """Program people and jail records: one clear match, one uncertain, one stranger."""
    s = site["site"]
    tonya = Person.objects.create(
        jurisdiction=s,
        first_name="Tonya",
        last_name="Butler",
        date_of_birth=datetime.date(1984, 3, 11),
        sex="female",
        race="black",
    )
    robert = Person.objects.create(
        jurisdiction=s,
        first_name="Robert",
        last_name="Kowalski",
        date_of_birth=datetime.date(1971, 5, 24),
        sex="male",
        race="white",
    )
    clear = jail_person(
        s, "J1", "Tonya", "Butler", datetime.date(1984, 3, 11), sex="female", race="black"
    )
    # A nickname, a typo and no date of birth: the engine is not sure.
    unsure = jail_person(s, "J2", "Bob", "Kowalsky", None, sex="male")
    stranger = jail_person(
        s, "J3", "Denise", "Okafor", datetime.date(1990, 2, 2), sex="female", race="black"
    )
    booking = JusticeEvent.objects.create(
        jurisdiction=s,
        source_system="county-jail",
        source_person_id="J1",
        source_event_id="booking-1",
        kind="booking",
        occurred_on=datetime.date(2024, 1, 5),
    )
    return {
        "tonya": tonya,
        "robert": robert,
        "clear": clear,
        "unsure": unsure,
        "stranger": stranger,
        "booking": booking,
    }
