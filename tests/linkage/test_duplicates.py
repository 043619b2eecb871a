"""Before a person is created, the engine warns about someone the site already has."""

import datetime

import pytest

from divert.audit.models import AuditEntry
from divert.field.models import Referral
from divert.linkage.duplicates import possible_duplicates
from divert.people.models import Person
from divert.staff.roles import Role
from tests.conftest import make_site

BORN = datetime.date(1984, 3, 11)


@pytest.fixture
def tonya(site):
    return Person.objects.create(
        jurisdiction=site["site"], first_name="Tonya", last_name="Butler", date_of_birth=BORN
    )


def _post(client, **data):
    return client.post("/field/people/new/", {"date_of_birth": BORN.isoformat(), **data})


def test_a_second_tonya_butler_with_the_same_birthday_gets_the_warning(client, site, tonya):
    client.force_login(site["users"][Role.OFFICER])
    response = _post(client, first_name="Tonya", last_name="Butler")
    page = response.content.decode()
    assert response.status_code == 200
    assert "This may be the same person as" in page and "Tonya Butler" in page
    assert Person.objects.filter(last_name="Butler").count() == 1


def test_using_the_existing_person_creates_nobody_and_is_recorded(client, site, tonya):
    client.force_login(site["users"][Role.OFFICER])
    response = _post(
        client, first_name="Tonya", last_name="Butler", action="existing", person_id=tonya.pk
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"/field/people/{tonya.pk}/screen/")
    assert Person.objects.filter(last_name="Butler").count() == 1
    entry = AuditEntry.objects.get(action="duplicate_choice", kind="person", outcome="success")
    assert entry.detail["choice"] == "existing" and entry.object_id == str(tonya.pk)


def test_creating_anyway_creates_and_is_recorded(client, site, tonya):
    client.force_login(site["users"][Role.OFFICER])
    response = _post(client, first_name="Tonya", last_name="Butler", action="new")
    assert response.status_code == 302
    assert Person.objects.filter(last_name="Butler").count() == 2
    entry = AuditEntry.objects.get(action="duplicate_choice", kind="person")
    assert entry.detail["choice"] == "new"
    assert entry.detail["candidates"][0]["person"] == tonya.pk


def test_a_person_id_the_engine_did_not_offer_is_refused(client, site, tonya):
    other = Person.objects.create(jurisdiction=site["site"], first_name="Ann", last_name="Lee")
    client.force_login(site["users"][Role.OFFICER])
    response = _post(
        client, first_name="Tonya", last_name="Butler", action="existing", person_id=other.pk
    )
    assert response.status_code == 422
    assert not AuditEntry.objects.filter(action="duplicate_choice").exists()


def test_a_nickname_and_a_typo_still_warn_but_a_stranger_does_not(site, tonya):
    s = site["site"].pk
    assert possible_duplicates(
        jurisdiction_id=s, first_name="Tonya", last_name="Buttler", date_of_birth=BORN
    )
    assert not possible_duplicates(
        jurisdiction_id=s, first_name="Marcus", last_name="Hill", date_of_birth=BORN
    )


def test_the_warning_never_names_someone_of_another_site(client, site, tonya):
    other = make_site("Elsewhere")
    client.force_login(other["users"][Role.OFFICER])
    response = _post(client, first_name="Tonya", last_name="Butler")
    assert response.status_code == 302
    assert Person.objects.filter(last_name="Butler").count() == 2


def test_the_api_answers_422_naming_create_anyway_then_creates_when_told(client, site, tonya):
    client.force_login(site["users"][Role.OFFICER])
    body = {"first_name": "Tonya", "last_name": "Butler", "date_of_birth": BORN.isoformat()}
    response = client.post("/api/v1/people/", body, content_type="application/json")
    assert response.status_code == 422
    detail = response.json()["detail"][0]
    assert detail["field"] == "create_anyway" and "Tonya Butler" in detail["message"]
    response = client.post(
        "/api/v1/people/", {**body, "create_anyway": True}, content_type="application/json"
    )
    assert response.status_code == 201
    assert Person.objects.filter(last_name="Butler").count() == 2


@pytest.mark.usefixtures("seattle_2020", "on_call")
def test_a_partner_is_warned_without_a_name_and_may_refer_the_known_person(client, site, tonya):
    client.force_login(site["users"][Role.PARTNER])
    data = {"first_name": "Tonya", "last_name": "Butler", "date_of_birth": BORN.isoformat()}
    response = client.post("/field/community/new/", {**data, "request_id": "r1"})
    page = response.content.decode()
    assert "may already know this person" in page
    assert "born 1984" not in page and 'name="person_id"' not in page
    response = client.post(
        "/field/community/new/", {**data, "request_id": "r1", "duplicate": "existing"}
    )
    assert response.status_code == 200
    assert Person.objects.filter(last_name="Butler").count() == 1
    assert Referral.objects.get().person == tonya
    entry = AuditEntry.objects.get(action="duplicate_choice", outcome="success")
    assert entry.detail["choice"] == "existing"


def test_a_partner_creating_through_the_api_learns_no_name(client, site, tonya):
    client.force_login(site["users"][Role.PARTNER])
    body = {"first_name": "Tonya", "last_name": "Butler", "date_of_birth": BORN.isoformat()}
    response = client.post("/api/v1/people/", body, content_type="application/json")
    assert response.status_code == 422
    assert "Butler" not in response.json()["detail"][0]["message"]
