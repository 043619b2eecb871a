"""A county's worth of live rows in one site, and a second site beside it."""

import datetime

import pytest
from django.utils import timezone

from divert.casework.models import Contact, Enrollment
from divert.demo import SCENARIO, SEED
from divert.field.models import Encounter, Referral
from divert.jurisdictions.models import Area
from divert.people.models import Person
from divert.seeding import county_load
from divert.synth import load_scenario, small_county
from tests.conftest import make_site
from tests.seeding.helpers import loaded_once


@pytest.fixture(scope="module")
def county():
    return small_county(seed=SEED, scenario=load_scenario(SCENARIO))


@pytest.fixture(scope="module")
def loaded(county, django_db_setup, django_db_blocker):
    def load():
        today = timezone.localdate()
        site = county_load(county, jurisdiction_name="Loaded", slug="loaded", today=today)
        return site, _elsewhere(today)

    with loaded_once(django_db_blocker, load) as both:
        yield both


def _elsewhere(today: datetime.date) -> dict:
    """A second site with a row in every table the export reads."""
    other = make_site("Elsewhere")
    site, users = other["site"], other["users"]
    area = Area.objects.create(jurisdiction=site, name="Far", lead_since=today)
    person = Person.objects.create(jurisdiction=site, first_name="Other", last_name="Site")
    when = timezone.now() - datetime.timedelta(days=3)
    officer = next(u for r, u in users.items() if r.value == "officer")
    cm = next(u for r, u in users.items() if r.value == "case_manager")
    enc = Encounter.objects.create(
        jurisdiction=site, person=person, occurred_at=when, area=area, officer=officer,
        outcome="diverted",
    )  # fmt: skip
    ref = Referral.objects.create(
        jurisdiction=site, person=person, encounter=enc, pathway="arrest_diversion",
        referred_by=officer, referring_organization=other["orgs"]["police"], referred_at=when,
    )  # fmt: skip
    day = when.date()
    en = Enrollment.objects.create(
        jurisdiction=site, person=person, referral=ref, case_manager=cm, status="active",
        referred_on=day, intake_due_on=day + datetime.timedelta(days=30), intake_completed_on=day,
    )  # fmt: skip
    Contact.objects.create(enrollment=en, staff=cm, occurred_at=when, kind="in_person")
    return other | {"ids": {"person": person.pk, "encounter": enc.pk, "enrollment": en.pk}}
