"""Legal coordination: other pending cases, warrants and new charges, under a release."""

import datetime
import uuid

import pytest

from divert.audit.models import AuditEntry
from divert.charges.models import LegalMatter
from divert.records.models import JusticeEvent
from divert.staff.roles import Role
from tests.conftest import local_today


@pytest.fixture
def url(participant) -> str:
    return f"/charges/enrollments/{participant['enrollment'].pk}/legal/"


def _add(client, url, **extra):
    form = {"kind": "warrant", "summary": "FTA warrant, theft 3", "court": "Muni 24-001"}
    return client.post(url, {**form, **extra})


def test_the_liaison_enters_a_warrant_once_and_both_sides_agree(client, site, participant, url):
    client.force_login(site["users"][Role.PROSECUTOR])
    once = str(uuid.uuid4())
    assert _add(client, url, client_id=once).status_code == 302
    assert _add(client, url, client_id=once).status_code == 302  # a double submit
    [matter] = LegalMatter.objects.all()
    assert matter.entered_by == site["users"][Role.PROSECUTOR]
    position = f"/charges/legal/{matter.pk}/position/"
    client.post(position, {f"m{matter.pk}-position": "quash", f"m{matter.pk}-note": "will move"})
    client.force_login(site["users"][Role.DEFENDER])
    page = client.get(url).content.decode()
    assert "FTA warrant" in page and "will move" in page and "Not yet" in page
    client.post(position, {f"m{matter.pk}-position": "quash"})
    matter.refresh_from_db()
    assert matter.liaison_position == matter.defender_position == "quash"
    assert matter.liaison_note == "will move" and matter.coordinated
    assert "Add a case" not in client.get(url).content.decode()  # the defender does not enter


def test_bad_input_is_refused_by_field(client, site, participant, url):
    client.force_login(site["users"][Role.PROSECUTOR])
    response = _add(client, url, kind="parking", summary="")
    assert response.status_code == 422
    assert LegalMatter.objects.count() == 0
    api = f"/api/v1/charges/enrollments/{participant['enrollment'].pk}/legal"
    far = (local_today() + datetime.timedelta(days=5000)).isoformat()
    reply = client.post(
        api, {"kind": "warrant", "summary": "x", "next_date": far}, content_type="application/json"
    )
    assert reply.status_code == 422 and reply.json()["detail"][0]["field"] == "next_date"
    reply = client.post(api, {"kind": "nope", "summary": "x"}, content_type="application/json")
    assert reply.status_code == 422 and reply.json()["detail"][0]["field"] == "kind"


def test_without_a_release_naming_the_office_nothing_is_shown_or_written(
    client, site, participant, url
):
    client.force_login(site["users"][Role.PROSECUTOR])
    _add(client, url)
    participant["release"].recipients.set([site["orgs"]["prosecutor"]])
    client.force_login(site["users"][Role.DEFENDER])
    assert client.get(url).status_code == 403
    matter = LegalMatter.objects.get()
    assert (
        client.post(f"/charges/legal/{matter.pk}/position/", {f"m{matter.pk}-position": "hold"})
    ).status_code == 403
    api = client.get(f"/api/v1/charges/enrollments/{participant['enrollment'].pk}/legal")
    assert api.status_code == 403
    matter.refresh_from_db()
    assert matter.defender_position == ""
    assert AuditEntry.objects.filter(kind="legal_matter", outcome="denied").count() >= 3


def test_officers_and_partners_are_refused(client, site, participant, url):
    for role in (Role.OFFICER, Role.PARTNER, Role.PROGRAM_MANAGER):
        client.force_login(site["users"][role])
        assert client.get(url).status_code == 403
        assert _add(client, url).status_code == 403
    assert not LegalMatter.objects.exists()


def test_the_case_manager_reads_but_does_not_write(client, site, participant, url):
    client.force_login(site["users"][Role.PROSECUTOR])
    _add(client, url)
    client.force_login(site["users"][Role.CASE_MANAGER])
    assert "FTA warrant" in client.get(url).content.decode()
    assert AuditEntry.objects.filter(
        action="view",
        kind="legal_matter",
        outcome="allowed",
        object_id=str(participant["enrollment"].pk),
        actor_id=site["users"][Role.CASE_MANAGER].pk,
    ).exists()
    assert _add(client, url, summary="another").status_code == 403


def test_new_charges_are_read_from_justice_records_once(client, site, participant, url):
    person = participant["person"]
    for n, (ago, disposition) in enumerate([(5, ""), (900, ""), (3, "dismissed")]):
        JusticeEvent.objects.create(
            jurisdiction=site["site"],
            person=person,
            source_system="court",
            source_person_id="J1",
            source_event_id=f"C{n}",
            kind="charge",
            level="misdemeanor",
            occurred_on=local_today() - datetime.timedelta(days=ago),
            disposition=disposition,
        )
    participant["enrollment"].referred_on = local_today() - datetime.timedelta(days=30)
    participant["enrollment"].save()
    client.force_login(site["users"][Role.PROSECUTOR])
    client.post(url + "from-records/")
    client.post(url + "from-records/")
    kinds = sorted(LegalMatter.objects.values_list("kind", "court"))
    assert kinds == [("new_charge", "court C0"), ("pending_case", "court C1")]
    assert AuditEntry.objects.filter(
        action="view",
        kind="justice_event",
        outcome="allowed",
        object_id=str(person.pk),
        detail__read_for="legal coordination",
    ).exists()
    assert "Misdemeanor charge" in client.get(url).content.decode()


def test_legal_matters_refuse_health_words_naming_field_and_word(client, site, participant, url):
    client.force_login(site["users"][Role.PROSECUTOR])
    api = f"/api/v1/charges/enrollments/{participant['enrollment'].pk}/legal"
    reply = client.post(
        api,
        {"kind": "warrant", "summary": "FTA while in psych ward"},
        content_type="application/json",
    )
    assert reply.status_code == 422
    [error] = reply.json()["detail"]
    assert error["field"] == "summary" and '"psych ward"' in error["message"]
    assert _add(client, url, court="Muni 24-001 (treatment court)").status_code == 302
    [matter] = LegalMatter.objects.all()
    position = f"/charges/legal/{matter.pk}/position/"
    client.force_login(site["users"][Role.DEFENDER])
    refused = client.post(
        position,
        {f"m{matter.pk}-position": "hold", f"m{matter.pk}-note": "client in rehab"},
        follow=True,
    )
    assert "leave out &quot;rehab&quot;" in refused.content.decode()
    matter.refresh_from_db()
    assert matter.defender_note == "" and matter.defender_position == ""
