import copy

from divert.field.models import Screening
from tests.field.conftest import POSSESSION


def _screen(client, case, **query):
    suffix = "".join(f"?{k}={v}" for k, v in query.items())
    return client.post(f"/api/v1/screen{suffix}", case, content_type="application/json")


def test_the_published_example_case_is_screened_with_every_reason(client, officer, seattle):
    client.force_login(officer)
    case = {
        **POSSESSION,
        "history": [{"nibrs": "120", "disposition": "convicted", "date": "2019-06-01"}],
        "flags": ["no_contact_order"],
    }
    response = _screen(client, case)
    body = response.json()
    assert response.status_code == 200, body
    assert body["eligible"] is False and body["pathways"] == []
    assert "history.violent" in {r["rule"] for r in body["reasons"]}
    assert body["policy"] == {"id": "seattle", "version": "2011.1"}


def test_every_screening_records_the_policy_version_it_used(client, officer, seattle):
    client.force_login(officer)
    body = _screen(client, POSSESSION).json()
    screening = Screening.objects.get(pk=body["screening_id"])
    assert screening.eligible is True
    assert (screening.policy.policy_id, screening.policy.version) == ("seattle", "2011.1")
    assert screening.screened_by == officer


def test_bad_input_gets_422_with_a_message_per_field(client, officer, seattle):
    client.force_login(officer)
    case = copy.deepcopy(POSSESSION)
    case["date"] = "2026-02-30"
    case["offenses"][0].update(nibrs="99Z", grams=-1)
    del case["person"]
    response = _screen(client, case)
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["detail"]}
    assert {"date", "person", "offenses.0.nibrs", "offenses.0.grams"} <= fields
    assert not Screening.objects.exists()


def test_absurd_grams_are_refused(client, officer, seattle):
    client.force_login(officer)
    case = copy.deepcopy(POSSESSION)
    case["offenses"][0]["grams"] = 50000
    response = _screen(client, case)
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "offenses.0.grams"


def test_screening_without_a_loaded_policy_says_so(client, officer):
    client.force_login(officer)
    response = _screen(client, POSSESSION)
    assert response.status_code == 409
    assert "no eligibility policy" in response.json()["detail"]


def test_roles_without_screening_rights_are_refused(client, site, seattle):
    from divert.staff.roles import Role

    client.force_login(site["users"][Role.PROSECUTOR])
    assert _screen(client, POSSESSION).status_code == 403


def test_the_openapi_document_describes_the_case_shape(client, db):
    doc = client.get("/api/v1/openapi.json").json()
    body = doc["paths"]["/api/v1/screen"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"]["$ref"].endswith("/Case")
    case = doc["components"]["schemas"]["Case"]
    assert {"date", "person", "offenses", "history", "flags"} <= set(case["properties"])
