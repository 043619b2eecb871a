"""Inputs PostgreSQL refuses but Python accepts get a 422 naming the field, on every database."""

import pytest

from divert.people.models import Person
from divert.staff.roles import Role


def test_a_nul_character_is_refused_naming_the_field(client, site):
    client.force_login(site["users"][Role.CASE_MANAGER])
    response = client.post(
        "/api/v1/people/",
        '{"first_name": "A", "last_name": "B\\u0000", "aliases": []}',
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "field": "last_name",
                "message": "text may not contain NUL characters or unpaired surrogates",
            }
        ]
    }
    assert not Person.objects.exists()


def test_a_far_utc_offset_is_stored_in_utc(client, site, participant):
    client.force_login(site["users"][Role.OFFICER])
    response = client.post(
        "/api/v1/field/encounters",
        {"occurred_at": "2026-03-14T10:00:00+16:00", "offenses": [{"nibrs": "35A"}]},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["occurred_at"].startswith("2026-03-13T18:00:00")


@pytest.mark.parametrize(
    "moment", ["4600-01-01T00:00:00Z", "9999-12-31T00:00:00", "2026-03-14T10:00:00"]
)
def test_an_encounter_far_in_the_future_or_without_an_offset_is_refused(
    client, site, participant, moment
):
    client.force_login(site["users"][Role.OFFICER])
    response = client.post(
        "/api/v1/field/encounters",
        {"occurred_at": moment, "offenses": [{"nibrs": "35A"}]},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "occurred_at"
    assert client.get("/api/v1/field/encounters").status_code == 200


def test_a_lone_surrogate_in_json_is_refused_naming_the_field(client, site):
    client.force_login(site["users"][Role.CASE_MANAGER])
    response = client.post(
        "/api/v1/people/",
        '{"first_name": "Ann", "last_name": "\\ud800"}',
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "last_name"


def test_a_nul_in_the_stated_purpose_is_refused(client, site, participant):
    client.force_login(site["users"][Role.CASE_MANAGER])
    api = client.get(f"/api/v1/people/{participant['person'].pk}?purpose=a%00b")
    assert api.status_code == 422 and api.json()["detail"][0]["field"] == "purpose"
    assert client.get("/casework/?purpose=a%00b").status_code == 400


def test_a_status_reason_over_300_characters_is_refused_naming_it(client, site, participant):
    client.force_login(site["users"][Role.CASE_MANAGER])
    response = client.post(
        f"/api/v1/casework/enrollments/{participant['enrollment'].pk}/status",
        {
            "to_status": "inactive",
            "on": str(participant["enrollment"].referred_on),
            "reason": "x" * 301,
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "reason"


def test_a_referral_id_that_is_not_a_number_on_the_close_page_is_not_found(
    client, site, participant
):
    from pathlib import Path

    from divert.field import diversion
    from divert.field.policies import policy_load
    from tests.conftest import local_today

    policy_load(jurisdiction=site["site"], text=Path("policies/seattle-2011.toml").read_text())
    officer = site["users"][Role.OFFICER]
    screening = diversion.screening_run(
        user=officer,
        case={
            "date": local_today().isoformat(),
            "person": {"date_of_birth": "1980"},
            "offenses": [{"nibrs": "35A", "activity": "possess", "grams": 1}],
        },
    )
    client.force_login(officer)
    response = client.post(
        f"/field/screenings/{screening.pk}/close/",
        {"referral": "abc", "outcome": "booked", "reason": "x"},
    )
    assert response.status_code == 404


def test_ten_thousand_offenses_are_refused_before_any_work(client, site):
    from divert.audit.models import AuditEntry

    client.force_login(site["users"][Role.OFFICER])
    before = AuditEntry.objects.count()
    response = client.post(
        "/api/v1/field/encounters",
        {"occurred_at": "2026-03-14T10:00:00-07:00", "offenses": [{"nibrs": "35A"}] * 10_000},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "offenses"
    assert AuditEntry.objects.count() - before <= 1


def test_five_thousand_aliases_are_refused_naming_the_field(client, site):
    client.force_login(site["users"][Role.CASE_MANAGER])
    response = client.post(
        "/api/v1/people/",
        {"first_name": "Ann", "last_name": "Lee", "aliases": [{"first_name": "A"}] * 5_000},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "aliases"


@pytest.mark.parametrize("number", [2**63, -(2**63) - 1, 10**40])
def test_a_number_beyond_64_bits_in_a_json_body_is_refused_naming_the_field(
    client, site, participant, number
):
    from divert.casework.models import ReleaseOfInformation

    client.force_login(site["users"][Role.CASE_MANAGER])
    discloser, recipient = site["orgs"]["case_management"].pk, site["orgs"]["prosecutor"].pk
    # Written by hand: the number must reach the server as digits, as a client could send it.
    body = (
        f'{{"discloser_id": {discloser}, "recipient_ids": [{recipient}, {number}], '
        '"shares": ["participation"], "purpose": "court", "signed_on": "2026-01-01", '
        '"expires_on": "2027-01-01", "signed_name": "A", "verbal_witness": "B"}'
    )
    response = client.post(
        f"/api/v1/casework/enrollments/{participant['enrollment'].pk}/releases",
        body,
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json() == {
        "detail": [{"field": "recipient_ids.1", "message": "the number is out of range"}]
    }
    assert not ReleaseOfInformation.objects.filter(purpose="court").exists()


def test_the_largest_64_bit_number_passes_to_the_api_which_finds_nothing(client, site):
    client.force_login(site["users"][Role.CASE_MANAGER])
    response = client.get(f"/api/v1/casework/enrollments/{2**63 - 1}")
    assert response.status_code == 404
