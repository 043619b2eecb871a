"""The merge review page: likely duplicates side by side, merged or not, undone, audited."""

import datetime

import pytest

from divert.audit.models import AuditEntry
from divert.casework.models import Enrollment
from divert.linkage.labels import pair_score
from divert.linkage.models import PairDecision, PersonMerge
from divert.people.models import Person
from divert.records.models import JusticeEvent
from divert.staff.roles import Role

REVIEWERS = [Role.PROGRAM_MANAGER, Role.ADMINISTRATOR]
OTHERS = [r for r in Role if r not in REVIEWERS]
BORN = datetime.date(1984, 3, 11)


@pytest.fixture
def twins(site):
    s = site["site"]
    first = Person.objects.create(
        jurisdiction=s, first_name="Tonya", last_name="Butler", date_of_birth=BORN
    )
    second = Person.objects.create(
        jurisdiction=s, first_name="Tonya", last_name="Buttler", date_of_birth=BORN
    )
    second.identifiers.create(system="county-jail", value="J77")
    Enrollment.objects.create(
        jurisdiction=s, person=second, status="active", referred_on=datetime.date(2024, 1, 5)
    )
    event = JusticeEvent.objects.create(
        jurisdiction=s,
        person=first,
        source_system="jail",
        source_person_id="9",
        source_event_id="booking-9",
        kind="booking",
        occurred_on=datetime.date(2024, 2, 1),
    )
    return first, second, event


def _decide(client, first, second, decision, **headers):
    return client.post(
        "/links/duplicates/decide/",
        {
            "first_id": first.pk,
            "second_id": second.pk,
            "decision": decision,
            "match_probability": "0.97",
            "model_version": "person-test",
        },
        **headers,
    )


@pytest.mark.parametrize("role", REVIEWERS)
def test_the_pair_is_shown_side_by_side_without_casework(client, site, twins, role):
    first, second, _ = twins
    client.force_login(site["users"][role])
    page = client.get("/links/duplicates/").content.decode()
    assert f'id="pair-{first.pk}-{second.pk}"' in page
    assert "Buttler" in page and "county-jail:J77" in page and "Active, referred 2024-01-05" in page
    # The enrolled record is the one kept.
    assert f"keeping person {second.pk}" in page
    assert 'data-key="m"' in page and 'data-key="n"' in page
    reads = AuditEntry.objects.filter(action="view", kind="person", outcome="allowed")
    assert {int(e.object_id) for e in reads} == {first.pk, second.pk}


def test_merge_then_undo_from_the_page(client, site, twins):
    first, second, event = twins
    manager = site["users"][Role.PROGRAM_MANAGER]
    client.force_login(manager)
    score = pair_score(side="program", jurisdiction_id=site["site"].pk, pair=(first.pk, second.pk))
    response = _decide(client, first, second, "same", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert f"Merged into divert person {second.pk}" in response.content.decode()
    event.refresh_from_db()
    assert event.person == second  # the enrolled record kept, the other's rows moved
    merge = PersonMerge.objects.get()
    label = PairDecision.objects.get()
    assert (label.decision, label.merge, label.decided_by) == ("same", merge, manager)
    # The posted probability and model version are ignored: the label keeps the server's.
    assert (label.match_probability, label.model_version) == score
    assert label.match_probability != pytest.approx(0.97)
    assert f'id="pair-{first.pk}' not in client.get("/links/duplicates/").content.decode()

    # A double submit changes nothing.
    assert _decide(client, first, second, "same").status_code == 302
    assert PersonMerge.objects.count() == 1

    undone = client.post(f"/links/duplicates/{label.pk}/undo/", HTTP_HX_REQUEST="true")
    assert 'data-key="m"' in undone.content.decode()
    event.refresh_from_db()
    merge.refresh_from_db()
    label.refresh_from_db()
    assert event.person == first and merge.undone_at is not None
    assert label.decision == "undone"
    assert f'id="pair-{first.pk}-{second.pk}"' in client.get("/links/duplicates/").content.decode()
    assert AuditEntry.objects.filter(action="merge_undo", outcome="success").count() == 1


def test_not_the_same_leaves_the_queue_and_is_audited(client, site, twins):
    first, second, _ = twins
    client.force_login(site["users"][Role.PROGRAM_MANAGER])
    assert _decide(client, first, second, "different").status_code == 302
    label = PairDecision.objects.get()
    assert label.decision == "different" and label.merge is None
    assert not PersonMerge.objects.exists()
    assert "No likely duplicates waiting" in client.get("/links/duplicates/").content.decode()
    assert AuditEntry.objects.filter(
        action="not_duplicate", kind="person", object_id=str(first.pk), outcome="success"
    ).exists()
    client.post(f"/links/duplicates/{label.pk}/undo/")
    label.refresh_from_db()
    assert label.decision == "undone"
    assert AuditEntry.objects.filter(
        action="not_duplicate_undo", kind="person", object_id=str(first.pk), outcome="success"
    ).exists()
    assert "Tonya" in client.get("/links/duplicates/").content.decode()


def test_an_unknown_decision_or_another_sites_person_is_refused(client, site, twins):
    from tests.conftest import make_site

    first, second, _ = twins
    client.force_login(site["users"][Role.PROGRAM_MANAGER])
    assert _decide(client, first, second, "maybe").status_code == 422
    stranger = Person.objects.create(
        jurisdiction=make_site("Elsewhere")["site"],
        first_name="Tonya",
        last_name="Butler",
        date_of_birth=BORN,
    )
    assert _decide(client, first, stranger, "same").status_code in (403, 422)
    assert not PairDecision.objects.exists() and not PersonMerge.objects.exists()


@pytest.mark.parametrize("role", OTHERS)
def test_everyone_else_is_refused(client, site, twins, role):
    first, second, _ = twins
    client.force_login(site["users"][role])
    assert client.get("/links/duplicates/").status_code == 403
    assert _decide(client, first, second, "same").status_code == 403
    assert not PersonMerge.objects.exists()


def test_a_pair_decided_not_the_same_is_merged_by_no_path_until_undone(client, site, twins):
    first, second, event = twins
    client.force_login(site["users"][Role.PROGRAM_MANAGER])
    assert _decide(client, first, second, "different").status_code == 302
    stale = _decide(client, first, second, "same")
    assert stale.status_code == 409 and "undo that decision first" in stale.content.decode()
    direct = client.post(
        "/api/v1/linkage/merges",
        {"kept_id": second.pk, "merged_id": first.pk, "reason": "same person"},
        content_type="application/json",
    )
    assert direct.status_code == 409, direct.content
    assert not PersonMerge.objects.exists()
    event.refresh_from_db()
    assert event.person == first
    label = PairDecision.objects.get()
    assert client.post(f"/links/duplicates/{label.pk}/undo/").status_code == 302
    assert _decide(client, first, second, "same").status_code == 302
    assert PersonMerge.objects.count() == 1
