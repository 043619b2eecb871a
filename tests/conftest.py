"""Personas: one user per role in a site, plus an outsider in another site; a frozen clock."""

import datetime
import os
import zlib

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from divert.audit import guard
from divert.casework.models import CaseNote, Enrollment, InterventionPlan, ReleaseOfInformation
from divert.charges.models import ChargeHold
from divert.field.models import Encounter, Referral
from divert.jurisdictions.clock import day_start, site_today
from divert.jurisdictions.models import Jurisdiction, Organization
from divert.people.models import Person
from divert.records.models import JusticeEvent
from divert.staff.models import User
from divert.staff.roles import Role

ORG_KIND = {
    Role.OFFICER: "police",
    Role.CASE_MANAGER: "case_management",
    Role.SUPERVISOR: "case_management",
    Role.PROSECUTOR: "prosecutor",
    Role.DEFENDER: "defender",
    Role.PROGRAM_MANAGER: "program",
    Role.EVALUATOR: "evaluator",
    Role.ADMINISTRATOR: "program",
    Role.PARTNER: "community",
}


# The hours at which date bugs show: a Pacific site's day differs from the UTC day from
# 16:00 to 24:00 Pacific (00:00-08:00 UTC), and these straddle both edges.
CLOCK_TIMES = ("00:30", "07:59", "16:30", "23:59")


def clock_time(nodeid: str, shift: int | None = None) -> str:
    """The UTC time of day a test runs at: DIVERT_TEST_CLOCK, or one of CLOCK_TIMES by test.

    Spreading tests over the four times makes every run try each hour somewhere. A run with
    DIVERT_TEST_CLOCK_SHIFT=k moves every test k times along, so runs at shifts 0 to 3 put
    each test at each of the four times (`make test-clock`; CI's PostgreSQL run is one of them).
    """
    if os.environ.get("DIVERT_TEST_CLOCK"):
        return os.environ["DIVERT_TEST_CLOCK"]
    if shift is None:
        shift = int(os.environ.get("DIVERT_TEST_CLOCK_SHIFT") or 0)
    return CLOCK_TIMES[(zlib.crc32(nodeid.encode()) + shift) % len(CLOCK_TIMES)]


@pytest.fixture(autouse=True)
def frozen_clock(request):
    """Every test runs on today's UTC date at a chosen time of day; the clock then ticks."""
    hour, minute = (int(part) for part in clock_time(request.node.nodeid).split(":"))
    start = datetime.datetime.now(datetime.UTC).replace(
        hour=hour, minute=minute, second=0, microsecond=0
    )
    with time_machine.travel(start, tick=True) as traveller:
        yield traveller


def local_today() -> datetime.date:
    """Today in the test sites' zone (every test site keeps the default, Pacific time)."""
    return site_today(None)


def local_noon(days_ago: int) -> datetime.datetime:
    """Noon, site time, `days_ago` local days ago: whole days whatever DST did in between."""
    day = local_today() - datetime.timedelta(days=days_ago)
    return day_start(None, day) + datetime.timedelta(hours=12)


def token_for(user: User, *, name: str = "tests", scopes: list[str] | None = None) -> str:
    """A bearer token for `user`, issued by the platform superuser, as wide as its roles."""
    from divert.staff.services import api_token_issue, token_scopes_for

    issuer = User.objects.filter(username="platform-root").first() or User.objects.create_superuser(
        username="platform-root", password="pw-for-tests-only"
    )
    _, secret = api_token_issue(
        issuer=issuer, user=user, name=name, scopes=scopes or token_scopes_for(user)
    )
    return secret


def make_site(name: str) -> dict:
    site = Jurisdiction.objects.create(name=name, slug=name.lower().replace(" ", "-"))
    orgs = {
        kind: Organization.objects.create(jurisdiction=site, name=f"{name} {kind}", kind=kind)
        for kind in sorted(set(ORG_KIND.values()))
    }
    users = {
        role: User.objects.create_user(
            username=f"{site.slug}-{role.value}",
            password="pw-for-tests-only",
            first_name=role.label,
            organization=orgs[ORG_KIND[role]],
            roles=[role.value],
            phone="206-555-0199" if role == Role.CASE_MANAGER else "",
        )
        for role in Role
    }
    return {"site": site, "orgs": orgs, "users": users}


@pytest.fixture
def _audit_guard_after_flush(django_db_setup, django_db_blocker):
    """Set up before `transactional_db`, so torn down after its flush: put the guard back."""
    yield
    with django_db_blocker.unblock():
        guard.install(connection)


@pytest.fixture
def committed_db(_audit_guard_after_flush, transactional_db):
    """Real commits and rollbacks, with no test transaction around them.

    `transactional_db` empties every table afterwards, which the audit guard refuses: it is
    lifted for that flush and put back once it is done.
    """
    guard.install(connection)
    yield
    guard.remove(connection)


@pytest.fixture
def site(db) -> dict:
    return make_site("Cascadia")


@pytest.fixture
def other_site(db) -> dict:
    return make_site("Elsewhere")


@pytest.fixture
def participant(site) -> dict:
    """An enrolled participant with a plan, a note, an arrest diversion, a hold and a release."""
    users, orgs = site["users"], site["orgs"]
    today = local_today()
    person = Person.objects.create(
        jurisdiction=site["site"],
        first_name="Robert",
        last_name="Jones",
        date_of_birth=datetime.date(1980, 5, 1),
    )
    encounter = Encounter.objects.create(
        jurisdiction=site["site"],
        person=person,
        occurred_at=timezone.now(),
        officer=users[Role.OFFICER],
        outcome="diverted",
    )
    referral = Referral.objects.create(
        jurisdiction=site["site"],
        person=person,
        encounter=encounter,
        pathway="arrest_diversion",
        referred_by=users[Role.PARTNER],
        referring_organization=orgs["community"],
        referred_at=timezone.now(),
    )
    enrollment = Enrollment.objects.create(
        jurisdiction=site["site"],
        person=person,
        referral=referral,
        case_manager=users[Role.CASE_MANAGER],
        status="active",
        referred_on=today,
        intake_completed_on=today,
    )
    InterventionPlan.objects.create(enrollment=enrollment, barriers="No ID yet")
    note = CaseNote.objects.create(
        enrollment=enrollment,
        author=users[Role.CASE_MANAGER],
        written_at=timezone.now(),
        topic="substance_use",
        text="Using daily; wants buprenorphine.",
    )
    hold = ChargeHold.objects.create(
        jurisdiction=site["site"],
        referral=referral,
        held_on=today,
        due_on=today + datetime.timedelta(days=30),
    )
    release = ReleaseOfInformation.objects.create(
        person=person,
        discloser=orgs["case_management"],
        purpose="coordinate cases",
        signed_on=today,
        expires_on=today + datetime.timedelta(days=365),
        shares_progress=True,
        signature="Robert Jones",
    )
    release.recipients.set([orgs["prosecutor"], orgs["defender"]])
    event = JusticeEvent.objects.create(
        jurisdiction=site["site"],
        person=person,
        source_system="jail",
        source_person_id="J1",
        source_event_id="E1",
        kind="booking",
        occurred_on=today - datetime.timedelta(days=400),
    )
    return {
        "person": person,
        "encounter": encounter,
        "referral": referral,
        "enrollment": enrollment,
        "note": note,
        "hold": hold,
        "release": release,
        "event": event,
    }


@pytest.fixture(scope="session")
def spark_session():
    """One local Spark session for the whole run (starting Java takes seconds), stopped at
    the end. Spark tests are slow tests, and run once: not again when DATABASE_URL names
    PostgreSQL, since nothing in them reads that database."""
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("Spark runs in the SQLite pass only: this pass's DATABASE_URL is PostgreSQL")
    from divert import spark

    session = spark.session()
    yield session
    session.stop()
