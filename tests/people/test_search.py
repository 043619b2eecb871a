"""The officer's lookup: candidates from name keys and the date of birth, in the engine's order."""

import datetime

from django.utils import timezone

from divert.casework.models import Enrollment
from divert.field.models import Encounter
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


def _met(site, person, days_ago):
    Encounter.objects.create(
        jurisdiction=site["site"],
        person=person,
        occurred_at=timezone.now() - datetime.timedelta(days=days_ago),
        outcome="released",
    )


def test_people_who_fit_equally_come_enrolled_first_then_most_recently_met(site):
    never, long_ago, lately, enrolled = (_add(site, "Maria", "Lopez", None) for _ in range(4))
    assert _found(site, "Maria Lopez") == [never.pk, long_ago.pk, lately.pk, enrolled.pk]
    _met(site, long_ago, 400)
    _met(site, lately, 400)
    _met(site, lately, 3)
    assert _found(site, "Maria Lopez") == [lately.pk, long_ago.pk, never.pk, enrolled.pk]
    Enrollment.objects.create(
        jurisdiction=site["site"],
        person=enrolled,
        status="active",
        referred_on=datetime.date(2026, 1, 5),
    )
    assert _found(site, "Maria Lopez") == [enrolled.pk, lately.pk, long_ago.pk, never.pk]
    Enrollment.objects.filter(person=enrolled).update(
        status="exited", exit_reason="completed_goals", exited_on=datetime.date(2026, 6, 1)
    )
    assert _found(site, "Maria Lopez")[0] == lately.pk


def test_a_better_fit_still_comes_before_a_tie_break(site):
    enrolled = _add(site, "Maria", "Lopes", None)
    Enrollment.objects.create(
        jurisdiction=site["site"],
        person=enrolled,
        status="active",
        referred_on=datetime.date(2026, 1, 5),
    )
    exact = _add(site, "Maria", "Lopez", None)
    assert _found(site, "Maria Lopez")[:2] == [exact.pk, enrolled.pk]
