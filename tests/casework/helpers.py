"""Participants made quickly for case-work tests: dates in the site's local days."""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone

from divert.casework.models import Contact, Enrollment
from divert.field import diversion
from divert.field.models import Referral
from divert.field.policies import policy_load
from divert.people.models import Person
from divert.staff.roles import Role
from tests.conftest import local_noon, local_today


def days(n: int) -> datetime.date:
    return local_today() + datetime.timedelta(days=n)


def enroll(site, name, *, manager=None, status="active", referred=-60, due=None, intake=-55):
    """An enrollment referred `referred` days from today, intake due `due` days from today."""
    first, last = name.split()
    person = Person.objects.create(jurisdiction=site["site"], first_name=first, last_name=last)
    referral = Referral.objects.create(
        jurisdiction=site["site"],
        person=person,
        pathway="social_contact",
        referred_at=timezone.now() + datetime.timedelta(days=referred),
    )
    return Enrollment.objects.create(
        jurisdiction=site["site"],
        person=person,
        referral=referral,
        case_manager=manager or site["users"][Role.CASE_MANAGER],
        status=status,
        referred_on=days(referred),
        intake_due_on=days(due if due is not None else referred + 30),
        intake_completed_on=days(intake) if intake is not None else None,
        exited_on=days(-1) if status == "exited" else None,
        exit_reason="moved_away" if status == "exited" else "",
    )


def seen(enrollment, ago: int, kind: str = "in_person") -> Contact:
    return Contact.objects.create(
        enrollment=enrollment, staff=enrollment.case_manager, occurred_at=local_noon(ago), kind=kind
    )


POLICY = Path(__file__).resolve().parents[2] / "policies" / "seattle-2011.toml"
POSSESSION = {
    "area": "West",
    "person": {"date_of_birth": "1984-02-29"},
    "offenses": [{"nibrs": "35A", "activity": "possess", "drug": "heroin", "grams": 2.5}],
}


@pytest.fixture
def on_call(site):
    policy_load(jurisdiction=site["site"], text=POLICY.read_text(), source=POLICY.name)
    manager = site["users"][Role.CASE_MANAGER]
    manager.on_call = True
    manager.save()
    return manager


def hand_off(site, first: str):
    """An officer diverts someone now: the on-call case manager gets the hand-off."""
    officer = site["users"][Role.OFFICER]
    person = Person.objects.create(jurisdiction=site["site"], first_name=first, last_name="Arrival")
    case = {**POSSESSION, "date": local_today().isoformat()}
    screening = diversion.screening_run(user=officer, case=case, person=person)
    return diversion.diversion_create(user=officer, screening=screening, pathway="arrest_diversion")
