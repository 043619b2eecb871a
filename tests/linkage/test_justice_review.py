"""Justice records decided as one person, and undone: the links a "same" gave go with it."""

import datetime

import pytest

from divert.audit.models import AuditEntry
from divert.linkage.justice_dedupe import (
    justice_dedupe,
    justice_pair_decide,
    justice_pair_undo,
    justice_review_queue,
)
from divert.linkage.models import Link, PairDecision
from divert.linkage.services import link_decide, model_load
from divert.people.models import Person
from divert.records.models import JusticeEvent
from divert.staff.roles import Role
from tests.linkage.conftest import court_person, jail_person

BORN = datetime.date(1979, 8, 2)


@pytest.fixture
def tonya(site):
    """A participant linked to her jail record, a court record of hers, and its one case."""
    s = site["site"]
    person = Person.objects.create(
        jurisdiction=s, first_name="Tonya", last_name="Butler", date_of_birth=BORN
    )
    jail = jail_person(s, "J7", "Tonya", "Butler", BORN)
    court = court_person(s, "C7", "Toni", "Buttler", None)
    Link.objects.create(
        jurisdiction=s,
        person=person,
        justice_person=jail,
        match_probability=0.99,
        match_weight=12,
        model_version="m",
        status="auto",
    )
    case = JusticeEvent.objects.create(
        jurisdiction=s,
        source_system="county-court",
        source_person_id="C7",
        source_event_id="case-7",
        kind="charge",
        occurred_on=datetime.date(2026, 3, 1),
    )
    return {"person": person, "jail": jail, "court": court, "case": case}


def same(user, a, b):
    return justice_pair_decide(user=user, first_id=a.pk, second_id=b.pk, decision="same")


def test_undoing_a_same_withdraws_the_link_it_gave_and_the_bookings_with_it(site, tonya):
    manager = site["users"][Role.PROGRAM_MANAGER]
    label = same(manager, tonya["jail"], tonya["court"])
    tonya["case"].refresh_from_db()
    assert tonya["case"].person == tonya["person"]
    assert Link.objects.get(justice_person=tonya["court"]).via_pair == label

    undone = justice_pair_undo(user=manager, decision_id=label.pk)
    assert (undone.decision, undone.decided_by) == ("undone", manager)
    assert not Link.objects.filter(justice_person=tonya["court"]).exists()
    assert Link.objects.filter(justice_person=tonya["jail"], status="auto").exists()
    tonya["case"].refresh_from_db()
    assert tonya["case"].person is None
    entry = AuditEntry.objects.filter(kind="link", action="change").latest("pk")
    assert entry.detail["decision"] == "undone" and entry.detail["links_withdrawn"] == 1
    # A double submit changes nothing more.
    assert justice_pair_undo(user=manager, decision_id=label.pk).decided_at == undone.decided_at


def test_a_link_a_reviewer_confirmed_since_stays_when_the_pair_is_undone(site, tonya):
    manager = site["users"][Role.PROGRAM_MANAGER]
    label = same(manager, tonya["jail"], tonya["court"])
    shared = Link.objects.get(justice_person=tonya["court"])
    link_decide(user=manager, link_id=shared.pk, decision="confirm")
    justice_pair_undo(user=manager, decision_id=label.pk)
    shared.refresh_from_db()
    assert shared.status == "confirmed"
    tonya["case"].refresh_from_db()
    assert tonya["case"].person == tonya["person"]


def test_a_link_waiting_for_review_goes_back_to_waiting(site, tonya):
    manager = site["users"][Role.PROGRAM_MANAGER]
    waiting = Link.objects.create(
        jurisdiction=site["site"],
        person=tonya["person"],
        justice_person=tonya["court"],
        match_probability=0.6,
        match_weight=2,
        model_version="m",
        status="review",
    )
    label = same(manager, tonya["jail"], tonya["court"])
    waiting.refresh_from_db()
    assert (waiting.status, waiting.before_pair) == ("auto", "review")
    justice_pair_undo(user=manager, decision_id=label.pk)
    waiting.refresh_from_db()
    assert (waiting.status, waiting.via_pair, waiting.before_pair) == ("review", None, "")


def test_a_chain_loses_only_what_the_undone_pair_carried(site, tonya):
    manager = site["users"][Role.PROGRAM_MANAGER]
    police = jail_person(site["site"], "P7", "T.", "Butler", BORN)
    police.source_system = "city-police"
    police.save()
    first = same(manager, tonya["jail"], tonya["court"])
    second = same(manager, tonya["court"], police)
    assert Link.objects.filter(justice_person=police, person=tonya["person"]).exists()

    justice_pair_undo(user=manager, decision_id=second.pk)
    assert Link.objects.filter(justice_person=tonya["court"]).exists()
    assert not Link.objects.filter(justice_person=police).exists()

    second = same(manager, tonya["court"], police)
    justice_pair_undo(user=manager, decision_id=first.pk)
    # The police record came through the court record, which came through the jail's.
    assert not Link.objects.filter(justice_person__in=[tonya["court"], police]).exists()


def test_an_undone_pair_is_queued_again_and_the_engine_leaves_it_to_a_reviewer(site):
    s = site["site"]
    manager = site["users"][Role.PROGRAM_MANAGER]
    jail = jail_person(s, "J5", "Marcus", "Oyelaran", BORN, sex="male", race="black")
    court = court_person(s, "C5", "Marcus", "Oyelaran", BORN, sex="male", race="black")
    justice_dedupe(jurisdiction_id=s.pk, model=model_load())
    engine_same = PairDecision.objects.get(side="justice")
    assert engine_same.decided_by is None
    justice_pair_undo(user=manager, decision_id=engine_same.pk)
    justice_dedupe(jurisdiction_id=s.pk, model=model_load())
    assert PairDecision.objects.get(side="justice").decision == "undone"
    assert [(d["first_id"], d["second_id"]) for d in justice_review_queue(user=manager)] == [
        (jail.pk, court.pk)
    ]


def test_the_review_page_decides_and_undoes_a_pair(site, client):
    s = site["site"]
    jail = jail_person(s, "J9", "Denise", "Okafor", BORN, sex="female")
    court = court_person(s, "C9", "Denise", "Okafor", None, sex="female")
    client.force_login(site["users"][Role.PROGRAM_MANAGER])
    page = client.get("/links/justice-duplicates/").content.decode()
    assert "county-jail J9" in page and "county-court C9" in page and "0.908" in page
    body = {"first_id": court.pk, "second_id": jail.pk, "decision": "same"}
    decided = client.post("/links/justice-duplicates/decide/", body, HTTP_HX_REQUEST="true")
    assert decided.status_code == 200 and "The same person" in decided.content.decode()
    label = PairDecision.objects.get(side="justice", first_id=jail.pk, second_id=court.pk)
    assert label.decided_by == site["users"][Role.PROGRAM_MANAGER]
    undone = client.post(f"/links/justice-duplicates/{label.pk}/undo/", HTTP_HX_REQUEST="true")
    assert undone.status_code == 200 and "Same person?" in undone.content.decode()
    label.refresh_from_db()
    assert label.decision == "undone"
    # The probability and model version a label keeps are the server's, whatever is posted.
    forged = {**body, "match_probability": "0.0001", "model_version": "<script>x</script>"}
    assert client.post("/links/justice-duplicates/decide/", forged).status_code == 302
    label.refresh_from_db()
    assert label.match_probability == pytest.approx(0.908, abs=5e-4)
    assert label.model_version == model_load().version
    assert (
        client.post("/links/justice-duplicates/decide/", {**body, "first_id": "x"}).status_code
        == 422
    )


def test_the_page_is_closed_to_an_officer_and_to_another_site(site, other_site, client):
    s = site["site"]
    manager = site["users"][Role.PROGRAM_MANAGER]
    jail = jail_person(s, "J9", "Denise", "Okafor", BORN)
    court = court_person(s, "C9", "Denise", "Okafor", BORN)
    label = same(manager, jail, court)
    client.force_login(site["users"][Role.OFFICER])
    assert client.get("/links/justice-duplicates/").status_code == 403
    assert client.post(f"/links/justice-duplicates/{label.pk}/undo/").status_code == 403
    client.force_login(other_site["users"][Role.PROGRAM_MANAGER])
    assert client.post(f"/links/justice-duplicates/{label.pk}/undo/").status_code == 403
    assert client.post(f"/links/duplicates/{label.pk}/undo/").status_code == 404
    label.refresh_from_db()
    assert label.decision == "same"


def test_the_api_undoes_a_pair_and_the_merge_pages_route_does_not(site, tonya, client):
    manager = site["users"][Role.PROGRAM_MANAGER]
    client.force_login(manager)
    label = same(manager, tonya["jail"], tonya["court"])
    url = f"/api/v1/linkage/justice-duplicates/decisions/{label.pk}/undo"
    response = client.post(url)
    assert response.status_code == 200, response.content
    assert response.json()["decision"] == "undone"
    assert not Link.objects.filter(justice_person=tonya["court"]).exists()
    again = same(manager, tonya["jail"], tonya["court"])
    assert Link.objects.filter(justice_person=tonya["court"]).exists()
    # The merge review's undo is for program people only.
    assert client.post(f"/links/duplicates/{again.pk}/undo/").status_code == 404
    assert Link.objects.filter(justice_person=tonya["court"]).exists()


def test_three_undos_at_once_undo_the_pair_once(committed_db, site, tonya):
    import threading

    from django.db import connection

    manager = site["users"][Role.PROGRAM_MANAGER]
    label = same(manager, tonya["jail"], tonya["court"])
    start = threading.Barrier(3)
    done: list = []

    def undo():
        try:
            start.wait()
            done.append(justice_pair_undo(user=manager, decision_id=label.pk).decision)
        except BaseException as exc:  # noqa: BLE001 - reported below
            done.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=undo) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert done == ["undone"] * 3, done
    assert not Link.objects.filter(justice_person=tonya["court"]).exists()
    undos = AuditEntry.objects.filter(kind="link", action="change", detail__decision="undone")
    assert undos.count() == 1


def test_a_decided_pair_takes_no_other_answer_until_undone(site, tonya, client):
    manager = site["users"][Role.PROGRAM_MANAGER]
    client.force_login(manager)
    jail, court = tonya["jail"], tonya["court"]
    body = {"first_id": jail.pk, "second_id": court.pk, "decision": "different"}
    api = "/api/v1/linkage/justice-duplicates/decision"
    assert client.post(api, body, content_type="application/json").status_code == 200
    # A double submit is the same answer: nothing changes, nothing more is audited.
    audited = AuditEntry.objects.filter(kind="link", action="change").count()
    assert client.post(api, body, content_type="application/json").status_code == 200
    assert AuditEntry.objects.filter(kind="link", action="change").count() == audited
    # Another answer, from the API or from a stale page, is refused and shares nothing.
    flipped = client.post(api, {**body, "decision": "same"}, content_type="application/json")
    assert flipped.status_code == 409
    assert "already decided" in flipped.json()["detail"] and "undo" in flipped.json()["detail"]
    page = client.post("/links/justice-duplicates/decide/", {**body, "decision": "same"})
    assert page.status_code == 409 and "undo that decision first" in page.content.decode()
    assert not Link.objects.filter(justice_person=court).exists()
    label = PairDecision.objects.get(side="justice")
    assert label.decision == "different"
    # Undone, the pair takes a new answer.
    justice_pair_undo(user=manager, decision_id=label.pk)
    assert (
        client.post(api, {**body, "decision": "same"}, content_type="application/json").status_code
        == 200
    )
    assert Link.objects.filter(justice_person=court, person=tonya["person"]).exists()


def test_two_different_answers_at_once_one_stands_and_the_other_is_refused(
    committed_db, site, tonya
):
    import threading

    from django.db import connection

    from divert.linkage.labels import AlreadyDecided

    manager = site["users"][Role.PROGRAM_MANAGER]
    start = threading.Barrier(2)
    done: list = []

    def decide(answer):
        try:
            start.wait()
            justice_pair_decide(
                user=manager,
                first_id=tonya["jail"].pk,
                second_id=tonya["court"].pk,
                decision=answer,
            )
            done.append(answer)
        except AlreadyDecided:
            done.append("refused")
        except BaseException as exc:  # noqa: BLE001 - reported below
            done.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(a,)) for a in ("same", "different")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(done) in (["refused", "same"], ["different", "refused"]), done
    stood = PairDecision.objects.get(side="justice").decision
    assert done.count(stood) == 1
    shared = Link.objects.filter(justice_person=tonya["court"]).exists()
    assert shared == (stood == "same")
    decided = AuditEntry.objects.filter(
        kind="link", action="change", detail__has_key="justice_pair"
    )
    assert [e.detail["decision"] for e in decided] == [stood], list(
        decided.values("user_id", "detail")
    )
