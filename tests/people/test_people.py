import datetime

from divert.people.models import Person
from divert.staff.roles import Role
from tests.conftest import local_today


def _post(client, payload):
    return client.post("/api/v1/people/", payload, content_type="application/json")


def test_a_case_manager_creates_a_person_with_aliases_and_identifiers(client, site):
    client.force_login(site["users"][Role.CASE_MANAGER])
    response = _post(
        client,
        {
            "first_name": "Robert",
            "last_name": "Smith",
            "date_of_birth": "1979-01-01",
            "dob_precision": "year",
            "aliases": [{"first_name": "Bobby", "last_name": "Smith"}],
            "identifiers": [{"system": "county-jail", "value": "CJ1"}],
        },
    )
    assert response.status_code == 201, response.content
    person = Person.objects.get(pk=response.json()["id"])
    assert person.jurisdiction == site["site"] and person.dob_precision == "year"
    assert response.json()["aliases"] == ["Bobby Smith"]
    assert [str(i) for i in person.identifiers.all()] == ["county-jail:CJ1"]


def test_a_date_of_birth_in_the_future_is_refused_naming_the_field(client, site):
    client.force_login(site["users"][Role.CASE_MANAGER])
    tomorrow = local_today() + datetime.timedelta(days=1)
    response = _post(
        client, {"first_name": "A", "last_name": "B", "date_of_birth": tomorrow.isoformat()}
    )
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"field": "date_of_birth", "message": "A date of birth cannot be in the future."}
    ]
    assert not Person.objects.exists()


def test_a_malformed_date_and_an_unknown_code_are_refused_naming_the_fields(client, site):
    client.force_login(site["users"][Role.CASE_MANAGER])
    response = _post(
        client, {"first_name": "A", "last_name": "B", "date_of_birth": "1980-02-30", "race": "x"}
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["detail"]}
    assert fields == {"date_of_birth", "race"}


def test_a_bad_identifier_leaves_nothing_half_written(client, site):
    client.force_login(site["users"][Role.CASE_MANAGER])
    response = _post(
        client,
        {
            "first_name": "A",
            "last_name": "B",
            "identifiers": [{"system": "jail", "value": "x" * 500}],
        },
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "identifiers.0.value"
    assert not Person.objects.exists()
