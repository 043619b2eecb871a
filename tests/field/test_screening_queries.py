"""What one screening costs the database: a ceiling on queries, so the hot path stays cheap.

Screening through the API is what officers do most, and every query is a round trip and
CPU on a shared database. The ceilings are what the request needs: the token with its
account, site and roles (1), the person (1), the active policy version (1), their history
and verified activity (2), the screening and the two audited reads, written together in
one transaction (on PostgreSQL: begin, insert, the chain's lock, its end, the entries,
commit). Without a person, three: token, policy, screening.

The tests commit for real, as a server does: inside a test's transaction nothing commits,
and the audit scope would check for rolled-back entries at the end of each request.
"""

import datetime

import pytest
from django.db import connection

from divert.audit.models import AuditEntry
from divert.field.models import Encounter, Offense, Screening
from divert.field.policies import policy_load
from divert.people.models import Person
from divert.records.models import JusticeEvent
from tests.conftest import local_noon, local_today, token_for
from tests.field.conftest import POLICIES, POSSESSION

WITH_PERSON = 11
WITHOUT = 3


def _screen(client, token, person=None):
    suffix = f"?person_id={person.pk}" if person is not None else ""
    return client.post(
        f"/api/v1/screen{suffix}",
        {**POSSESSION, "date": local_today().isoformat()},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


@pytest.fixture(autouse=True)
def _real_commits(committed_db):
    pass


@pytest.fixture
def token(officer, seattle):
    return token_for(officer)


@pytest.fixture
def known(site, officer):
    """A person with a conviction on record and a drug contact last month."""
    person = Person.objects.create(
        jurisdiction=site["site"],
        first_name="Dana",
        last_name="Reyes",
        date_of_birth=datetime.date(1979, 8, 2),
    )
    JusticeEvent.objects.create(
        jurisdiction=site["site"],
        person=person,
        source_system="court",
        source_person_id="C1",
        source_event_id="D1",
        kind="disposition",
        occurred_on=local_today() - datetime.timedelta(days=400),
        nibrs="35A",
        disposition="convicted",
    )
    encounter = Encounter.objects.create(
        jurisdiction=site["site"], person=person, occurred_at=local_noon(30), officer=officer
    )
    Offense.objects.create(encounter=encounter, nibrs="35A", activity="possess", drug="heroin")
    return person


def test_screening_a_known_person_stays_within_its_queries(
    client, token, known, django_assert_max_num_queries
):
    person = known
    _screen(client, token, person)  # the token's first use is recorded: not the steady state
    before = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    with django_assert_max_num_queries(WITH_PERSON):
        response = _screen(client, token, person)
    assert response.status_code == 200, response.content
    screening = Screening.objects.get(pk=response.json()["screening_id"])
    assert screening.person == person
    # History was read and filled in, and both reads are on record.
    assert [h["nibrs"] for h in screening.case["history"]] == ["35A"]
    assert [v["nibrs"] for v in screening.case["verified_activity"]] == ["35A"]
    reads = AuditEntry.objects.filter(id__gt=before, action="view", object_id=str(person.pk))
    assert sorted(reads.values_list("kind", flat=True)) == ["encounter", "justice_event"]


def test_screening_an_unnamed_case_stays_within_its_queries(
    client, token, django_assert_max_num_queries
):
    _screen(client, token)
    with django_assert_max_num_queries(WITHOUT):
        response = _screen(client, token)
    assert response.status_code == 200, response.content


def test_a_newly_loaded_policy_version_is_used_at_once_at_the_same_cost(
    client, token, site, django_assert_max_num_queries
):
    first = _screen(client, token).json()
    assert first["policy"] == {"id": "seattle", "version": "2011.1"}
    policy_load(jurisdiction=site["site"], text=(POLICIES / "seattle-2020.toml").read_text())
    # The new version's text is read once, for the process to parse and keep; then never again.
    with django_assert_max_num_queries(WITHOUT + 1):
        second = _screen(client, token).json()
    with django_assert_max_num_queries(WITHOUT):
        _screen(client, token)
    assert second["policy"]["version"] != "2011.1"
    stored = Screening.objects.get(pk=second["screening_id"]).policy
    assert (stored.policy_id, stored.version) == ("seattle", second["policy"]["version"])
    # And back again: a stored version made active again is in force at once too.
    policy_load(jurisdiction=site["site"], text=(POLICIES / "seattle-2011.toml").read_text())
    assert _screen(client, token).json()["policy"]["version"] == "2011.1"


def test_the_ceiling_counts_what_the_database_sees(client, token, known):
    """The ceiling is not loose: on PostgreSQL the request needs exactly that many."""
    from django.test.utils import CaptureQueriesContext

    _screen(client, token, known)
    with CaptureQueriesContext(connection) as captured:
        _screen(client, token, known)
    # SQLite takes its write lock with the transaction, not with a query of its own.
    expected = WITH_PERSON if connection.vendor == "postgresql" else WITH_PERSON - 1
    assert len(captured) == expected, [q["sql"][:80] for q in captured]
