"""Duplicates within the program side: found by the engine, merged, and unmerged exactly."""

import datetime

import pytest

from divert.audit.models import AuditEntry
from divert.linkage.merging import person_duplicates_find, person_merge, person_merge_undo
from divert.people.models import NameKey, Person
from divert.people.search import person_search
from divert.records.models import JusticeEvent
from divert.staff.roles import Role

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
    second.other_names.create(first_name="Toni", last_name="Butler")
    event = JusticeEvent.objects.create(
        jurisdiction=s,
        person=second,
        source_system="jail",
        source_person_id="9",
        source_event_id="booking-9",
        kind="booking",
        occurred_on=datetime.date(2024, 2, 1),
    )
    return first, second, event


def test_the_engine_finds_the_pair(site, twins):
    first, second, _ = twins
    found = person_duplicates_find(user=site["users"][Role.PROGRAM_MANAGER])
    assert [(d["person_id"], d["other_id"]) for d in found] == [(first.pk, second.pk)]


def test_a_merge_moves_every_row_and_an_undo_moves_them_back(site, twins):
    first, second, event = twins
    manager = site["users"][Role.PROGRAM_MANAGER]
    merge = person_merge(
        user=manager, kept_id=first.pk, merged_id=second.pk, reason="same birthday, typo"
    )
    event.refresh_from_db()
    assert event.person == first
    assert first.other_names.filter(first_name="Toni").exists()
    assert not NameKey.objects.filter(person=second).exists()
    assert [p for p, _ in person_search(jurisdiction_id=site["site"].pk, query="Tonya Butler")] == [
        first
    ]
    assert Person.objects.filter(pk=second.pk).exists()  # kept, with its history
    entry = AuditEntry.objects.get(action="merge", kind="person", outcome="success")
    assert entry.detail["merged"] == second.pk
    assert person_duplicates_find(user=manager) == []

    person_merge_undo(user=manager, merge_id=merge.pk)
    person_merge_undo(user=manager, merge_id=merge.pk)  # a double submit: nothing more
    event.refresh_from_db()
    assert event.person == second
    assert second.other_names.filter(first_name="Toni").exists()
    assert not first.other_names.exists()
    assert NameKey.objects.filter(person=second).exists()
    assert (
        AuditEntry.objects.filter(action="merge_undo", kind="person", outcome="success").count()
        == 1
    )


def test_a_person_cannot_be_merged_twice_or_into_themself(site, twins):
    from django.core.exceptions import ValidationError

    first, second, _ = twins
    manager = site["users"][Role.PROGRAM_MANAGER]
    with pytest.raises(ValidationError):
        person_merge(user=manager, kept_id=first.pk, merged_id=first.pk, reason="oops")
    person_merge(user=manager, kept_id=first.pk, merged_id=second.pk, reason="same person")
    with pytest.raises(ValidationError):
        person_merge(user=manager, kept_id=first.pk, merged_id=second.pk, reason="again")


@pytest.mark.parametrize(
    "role", [r for r in Role if r not in (Role.PROGRAM_MANAGER, Role.ADMINISTRATOR)]
)
def test_other_roles_may_not_merge_through_the_api(client, site, twins, role):
    first, second, _ = twins
    client.force_login(site["users"][role])
    body = {"kept_id": first.pk, "merged_id": second.pk, "reason": "same person"}
    response = client.post("/api/v1/linkage/merges", body, content_type="application/json")
    assert response.status_code == 403
    assert client.get("/api/v1/linkage/duplicates").status_code == 403


def test_the_api_merges_and_undoes(client, site, twins):
    first, second, event = twins
    client.force_login(site["users"][Role.ADMINISTRATOR])
    body = {"kept_id": first.pk, "merged_id": second.pk, "reason": "same person"}
    merge = client.post("/api/v1/linkage/merges", body, content_type="application/json").json()
    assert merge["moved"]["records.justiceevent"] == [event.pk]
    undone = client.post(f"/api/v1/linkage/merges/{merge['id']}/undo").json()
    assert undone["undone_at"] is not None
