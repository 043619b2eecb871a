"""Inputs PostgreSQL refuses but Python accepts get a 422 naming the field, on every database."""

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
        "detail": [{"field": "last_name", "message": "text may not contain NUL characters"}]
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


def test_a_referral_dated_in_the_far_future_is_refused(client, site, participant):
    client.force_login(site["users"][Role.CASE_MANAGER])
    response = client.post(
        "/api/v1/field/referrals",
        {
            "person_id": participant["person"].pk,
            "pathway": "social_contact",
            "referred_at": "4600-01-01T00:00:00Z",
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "referred_at"
