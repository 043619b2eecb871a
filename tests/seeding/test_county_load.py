import datetime

import pytest
from django.utils.timezone import localdate

from divert.casework import lifecycle
from divert.casework.models import Contact, Enrollment, ServiceReferral, StatusChange
from divert.charges.models import ChargeHold
from divert.demo import SCENARIO, SEED
from divert.field.models import Encounter, Offense, Referral
from divert.jurisdictions.models import Area
from divert.people.models import Person
from divert.people.search import person_search
from divert.records.models import JusticeEvent
from divert.seeding import county_load
from divert.seeding.casework import DECISION_DAYS
from divert.staff.models import User
from divert.synth import load_scenario, small_county
from tests.seeding.helpers import loaded_once

TODAY = datetime.date(2026, 3, 15)


@pytest.fixture(scope="module")
def county():
    # The demo's own county: it has capacity refusals and all three pathways.
    return small_county(seed=SEED, scenario=load_scenario(SCENARIO))


@pytest.fixture(scope="module")
def site(county, django_db_setup, django_db_blocker):
    load = lambda: county_load(county, jurisdiction_name="Loaded", slug="loaded", today=TODAY)  # noqa: E731
    with loaded_once(django_db_blocker, load) as site:
        yield site


def test_it_creates_one_row_per_synthetic_row(db, county, site):
    t = county.tables
    events = JusticeEvent.objects.filter(jurisdiction=site)
    assert Person.objects.filter(jurisdiction=site).count() == len(t["persons"])
    assert Encounter.objects.filter(jurisdiction=site).count() == len(t["encounters"])
    assert Offense.objects.filter(encounter__jurisdiction=site).count() == len(
        t["encounter_offenses"]
    )
    assert Referral.objects.filter(jurisdiction=site).count() == len(t["referrals"])
    assert Enrollment.objects.filter(jurisdiction=site).count() == len(t["enrollments"])
    assert StatusChange.objects.filter(enrollment__jurisdiction=site).count() == len(
        t["enrollment_status"]
    )
    assert Contact.objects.filter(enrollment__jurisdiction=site).count() == len(t["contacts"])
    assert ServiceReferral.objects.filter(enrollment__jurisdiction=site).count() == len(
        t["service_referrals"]
    )
    for kind, table in [
        ("booking", "bookings"),
        ("charge", "charges"),
        ("disposition", "dispositions"),
        ("jail_stay", "jail_stays"),
    ]:
        assert events.filter(kind=kind).count() == len(t[table]), kind
    assert User.objects.filter(organization__jurisdiction=site).count() == len(t["officers"]) + len(
        t["case_managers"]
    )


def test_every_enrollment_status_is_a_lifecycle_status(db, site):
    enrollments = Enrollment.objects.filter(jurisdiction=site)
    assert set(enrollments.values_list("status", flat=True)) <= set(lifecycle.STATUSES)
    assert not enrollments.filter(status=lifecycle.EXITED, exit_reason="").exists()
    assert set(
        StatusChange.objects.filter(enrollment__jurisdiction=site).values_list(
            "to_status", flat=True
        )
    ) <= set(lifecycle.STATUSES)


def test_holds_exist_exactly_for_accepted_arrest_diversions(db, site):
    referrals = Referral.objects.filter(jurisdiction=site)
    accepted = set(
        referrals.filter(pathway="arrest_diversion", capacity_refused=False).values_list(
            "pk", flat=True
        )
    )
    held = set(ChargeHold.objects.filter(jurisdiction=site).values_list("referral_id", flat=True))
    assert held == accepted
    assert referrals.filter(capacity_refused=True).exists()
    holds = ChargeHold.objects.filter(jurisdiction=site)
    assert set(holds.values_list("status", flat=True)) <= {
        "holding",
        "intake_done",
        "awaiting_decision",
        "filed",
        "declined",
    }
    # Only a recently missed deadline still waits on the prosecutor; older ones were decided.
    waiting = holds.filter(status="awaiting_decision")
    assert waiting.exists()
    assert not waiting.filter(due_on__lt=TODAY - datetime.timedelta(days=DECISION_DAYS)).exists()
    assert not holds.filter(status="holding", due_on__lt=TODAY).exists()
    assert not holds.filter(
        status="intake_done", referral__enrollment__intake_completed_on=None
    ).exists()


def test_name_search_finds_a_loaded_person(db, site):
    person = Person.objects.filter(jurisdiction=site).order_by("pk")[10]
    found = person_search(
        jurisdiction_id=site.pk, query=f"{person.first_name} {person.last_name}", limit=50
    )
    assert person in [p for p, _ in found]


def test_justice_events_are_linked_to_persons(db, site):
    events = JusticeEvent.objects.filter(jurisdiction=site)
    assert not events.filter(person__isnull=True).exists()
    assert set(events.values_list("source_system", flat=True)) == {"county-jail"}


def test_dates_end_at_today(db, site):
    last = Encounter.objects.filter(jurisdiction=site).latest("occurred_at").occurred_at
    last_referral = Referral.objects.filter(jurisdiction=site).latest("referred_at").referred_at
    # The synthetic period [start, end) ends where today begins: the data is as of this morning.
    assert TODAY - datetime.timedelta(days=3) <= localdate(last) < TODAY
    assert localdate(last_referral) < TODAY
    last_contact = Contact.objects.filter(enrollment__jurisdiction=site).latest("occurred_at")
    assert TODAY - datetime.timedelta(days=7) <= localdate(last_contact.occurred_at) < TODAY
    launch = Area.objects.filter(jurisdiction=site, lead_since__isnull=False).first().lead_since
    assert launch < TODAY - datetime.timedelta(days=2 * 365)


def test_the_demo_scenario_makes_a_lively_program(county):
    t = county.tables
    referrals = t["referrals"]
    assert 4 <= len(t["case_managers"]) <= 6
    assert 150 <= len(referrals) <= 400
    assert set(referrals.pathway) == {"arrest_diversion", "social_contact", "community"}
    assert referrals.capacity_refused.sum() > 0
    assert (~t["intakes"].deadline_met).sum() > 0


def test_every_loaded_case_record_has_its_created_version(db, site):
    # The correction pages show a record's versions; a bulk load must leave the first one.
    from divert.casework.models import CaseNote, Goal, InterventionPlan

    for model in (Contact, InterventionPlan, Goal, CaseNote):
        field = (
            "enrollment" if model in (Contact, CaseNote, InterventionPlan) else "plan__enrollment"
        )
        records = model.objects.filter(**{f"{field}__jurisdiction": site})
        assert records.exists(), model
        history = model.history.filter(id__in=records.values("pk"), history_type="+")
        assert history.count() == records.count(), model
