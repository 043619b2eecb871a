"""Deduplication within the justice side: the same person under two ids shares their links."""

import datetime

from divert.audit.models import AuditEntry
from divert.linkage.justice_dedupe import justice_dedupe, justice_pair_decide, justice_pairs
from divert.linkage.models import Link, PairDecision
from divert.linkage.services import link_decide, linkage_run, model_load
from divert.people.models import Person
from divert.records.models import JusticeEvent
from divert.staff.roles import Role
from tests.linkage.conftest import court_person, jail_person

BORN = datetime.date(1979, 8, 2)


def test_the_same_person_booked_twice_is_one_justice_person_above_the_link_threshold(site):
    s = site["site"]
    jail = jail_person(s, "J5", "Marcus", "Oyelaran", BORN, sex="male", race="black")
    court = court_person(s, "C5", "Marcus", "Oyelaran", BORN, sex="male", race="black")
    jail_person(s, "J6", "Denise", "Okafor", datetime.date(1990, 2, 2), sex="female")
    pairs = justice_pairs(jurisdiction_id=s.pk, model=model_load())
    assert [(a, b) for a, b, _ in pairs] == [(jail.pk, court.pk)]
    assert justice_dedupe(jurisdiction_id=s.pk, model=model_load())["same"] == 1
    label = PairDecision.objects.get(side="justice")
    assert (label.decision, label.decided_by) == ("same", None)
    assert justice_dedupe(jurisdiction_id=s.pk, model=model_load())["same"] == 0


def test_a_run_gives_the_second_record_the_first_ones_link_and_its_bookings(site):
    s = site["site"]
    person = Person.objects.create(
        jurisdiction=s, first_name="Marcus", last_name="Oyelaran", date_of_birth=BORN
    )
    person.identifiers.create(system="county-jail", value="J5")
    jail_person(s, "J5", "Marcus", "Oyelaran", BORN, sex="male", race="black")
    # The court spelt him differently and knows only his birth year's neighbour: the
    # program record alone would not link it, the jail record does.
    court = court_person(s, "C5", "Marcus", "Oyelaran", BORN, sex="male", race="black")
    booking = JusticeEvent.objects.create(
        jurisdiction=s,
        source_system="county-court",
        source_person_id="C5",
        source_event_id="case-5",
        kind="charge",
        occurred_on=datetime.date(2024, 3, 1),
    )
    linkage_run(jurisdiction=s)
    assert Link.objects.get(justice_person=court).status in ("auto", "confirmed")
    booking.refresh_from_db()
    assert booking.person == person
    entry = AuditEntry.objects.filter(kind="link", action="create").latest("pk")
    assert entry.detail["justice_same"] == 1


def test_a_reviewer_decides_a_pair_and_its_links_are_shared(site, client):
    s = site["site"]
    manager = site["users"][Role.PROGRAM_MANAGER]
    person = Person.objects.create(
        jurisdiction=s, first_name="Tonya", last_name="Butler", date_of_birth=BORN
    )
    first = jail_person(s, "J7", "Tonya", "Butler", BORN)
    second = court_person(s, "C7", "Toni", "Buttler", None)
    link = Link.objects.create(
        jurisdiction=s,
        person=person,
        justice_person=first,
        match_probability=0.99,
        match_weight=12,
        model_version="m",
        status="auto",
    )
    client.force_login(manager)
    body = {"first_id": second.pk, "second_id": first.pk, "decision": "same"}
    response = client.post(
        "/api/v1/linkage/justice-duplicates/decision", body, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["first_id"] == first.pk  # stored in order
    shared = Link.objects.get(justice_person=second)
    assert (shared.person, shared.status) == (person, "auto")
    # A reviewer's rejection of the shared link stands through a later run and a new "same".
    link_decide(user=manager, link_id=shared.pk, decision="reject")
    justice_pair_decide(
        user=manager,
        first_id=first.pk,
        second_id=second.pk,
        decision="same",
    )
    linkage_run(jurisdiction=s)
    shared.refresh_from_db()
    assert shared.status == "rejected"
    assert link.pk != shared.pk
    assert AuditEntry.objects.filter(kind="link", action="change", outcome="success").exists()


def test_a_reviewers_different_is_never_overwritten_by_the_engine(site):
    s = site["site"]
    manager = site["users"][Role.PROGRAM_MANAGER]
    jail = jail_person(s, "J5", "Marcus", "Oyelaran", BORN, sex="male", race="black")
    court = court_person(s, "C5", "Marcus", "Oyelaran", BORN, sex="male", race="black")
    justice_pair_decide(
        user=manager,
        first_id=jail.pk,
        second_id=court.pk,
        decision="different",
    )
    justice_dedupe(jurisdiction_id=s.pk, model=model_load())
    assert PairDecision.objects.get(side="justice").decision == "different"


def test_other_roles_are_refused(site, client):
    s = site["site"]
    jail = jail_person(s, "J5", "Marcus", "Oyelaran", BORN)
    court = court_person(s, "C5", "Marcus", "Oyelaran", BORN)
    for role in (Role.OFFICER, Role.CASE_MANAGER, Role.SUPERVISOR, Role.PROSECUTOR):
        client.force_login(site["users"][role])
        assert client.get("/api/v1/linkage/justice-duplicates").status_code == 403
        body = {"first_id": jail.pk, "second_id": court.pk, "decision": "same"}
        response = client.post(
            "/api/v1/linkage/justice-duplicates/decision", body, content_type="application/json"
        )
        assert response.status_code == 403
    assert not PairDecision.objects.exists()
