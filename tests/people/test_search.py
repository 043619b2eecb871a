"""The officer's lookup: candidates from name keys and the date of birth, in the engine's order."""

import datetime

from divert.people.models import Person
from divert.people.search import person_search

BORN = datetime.date(1984, 3, 11)


def _add(site, first, last, born):
    return Person.objects.create(
        jurisdiction=site["site"], first_name=first, last_name=last, date_of_birth=born
    )


def _found(site, query, dob=None):
    return [p.pk for p, _ in person_search(jurisdiction_id=site["site"].pk, query=query, dob=dob)]


def test_a_slip_that_changes_the_name_key_is_still_found_by_the_date_of_birth(site):
    tonya = _add(site, "Tonya", "Butler", BORN)
    _add(site, "Tanya", "Butler", datetime.date(1990, 1, 1))
    # "Vutler" keys apart from "Butler" (V346, B346): only the date of birth meets it.
    assert tonya.pk not in _found(site, "Tonya Vutler")
    assert _found(site, "Tonya Vutler", BORN)[0] == tonya.pk
    # Day and month swapped at the keyboard.
    assert _found(site, "Tonya Vutler", datetime.date(1984, 11, 3))[0] == tonya.pk


def test_the_engine_orders_people_of_one_name_by_their_date_of_birth(site):
    older = _add(site, "Robert", "Kowalski", datetime.date(1951, 5, 24))
    right = _add(site, "Robert", "Kowalski", datetime.date(1971, 5, 24))
    nickname = _add(site, "Bobby", "Kowalski", datetime.date(1971, 5, 24))
    found = _found(site, "Bob Kowalski", datetime.date(1971, 5, 24))
    # A nickname with the exact date beats the same spelling with another date.
    assert found.index(nickname.pk) < found.index(older.pk)
    assert found.index(right.pk) < found.index(older.pk)
    assert _found(site, "Robert Kowalski", datetime.date(1971, 5, 24))[0] == right.pk
    assert _found(site, "Robert Kowalski", datetime.date(1951, 5, 24))[0] == older.pk
