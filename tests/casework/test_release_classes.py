"""A release naming a class of recipients ("service providers in the services directory")
discloses a service referral's details to a provider of that class; a provider outside it
learns only that a referral was made; revoking the release stops disclosure on the next
request."""

import datetime
import json

import pytest

from divert.casework.models import ReleaseOfInformation
from divert.directory.imports import directory_import
from divert.directory.models import Service
from divert.jurisdictions.models import Organization
from divert.staff.models import User
from divert.staff.roles import Role
from tests.conftest import local_today
from tests.directory.helpers import _hours, _id, _term, load_directory

API = "/api/v1/service-referrals"


@pytest.fixture
def directory(site):
    """The community organization runs a shelter (housing) and a clinic (health); a second
    provider runs only a food bank (food)."""
    load_directory(site)
    pantry = Organization.objects.create(
        jurisdiction=site["site"], name="Harbor pantry", kind="provider"
    )
    document = {
        "id": _id(),
        "name": pantry.name,
        "description": "Groceries twice a week.",
        "services": [
            {
                "id": _id(),
                "name": "Food bank",
                "description": "Groceries.",
                "status": "active",
                "schedules": [_hours("MO,TU,WE,TH,FR", "09:00:00", "17:00:00")],
                "attributes": [_term("Food")],
            }
        ],
    }
    directory_import(user=None, jurisdiction=site["site"], raw=json.dumps(document))
    staff = User.objects.create_user(username="pantry", organization=pantry, roles=["partner"])
    return {"pantry": pantry, "pantry_staff": staff}


def _release(participant, site, words: str) -> ReleaseOfInformation:
    today = local_today()
    return ReleaseOfInformation.objects.create(
        person=participant["person"],
        discloser=site["orgs"]["case_management"],
        recipient_class=words,
        purpose="service referrals",
        signed_on=today - datetime.timedelta(days=1),
        expires_on=today + datetime.timedelta(days=90),
        signature="Robert Jones",
    )


def _refer(client, site, participant, service_name: str, note: str) -> int:
    client.force_login(site["users"][Role.CASE_MANAGER])
    service = Service.objects.get(jurisdiction=site["site"], name=service_name)
    body = {"enrollment_id": participant["enrollment"].pk, "service_id": service.pk, "note": note}
    response = client.post(API, json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.content
    return response.json()["id"]


def _seen(client, user, referral_id: int) -> dict:
    client.force_login(user)
    return client.get(f"{API}/{referral_id}").json()


def test_a_release_to_directory_providers_discloses_until_revoked(
    client, site, participant, directory
):
    shelter = _refer(client, site, participant, "Night shelter", "Needs a bed")
    pantry = _refer(client, site, participant, "Food bank", "Hungry")
    release = _release(participant, site, "Service providers in the services directory")
    for user, referral_id, note in (
        (site["users"][Role.PARTNER], shelter, "Needs a bed"),
        (directory["pantry_staff"], pantry, "Hungry"),
    ):
        seen = _seen(client, user, referral_id)
        assert seen["disclosed"] is True and seen["participant"] == "Robert Jones"
        assert seen["note"] == note and seen["notice"] == ReleaseOfInformation.REDISCLOSURE_NOTICE
    page = client.get("/referrals/services/").content.decode()
    assert "Robert Jones" in page and ReleaseOfInformation.REDISCLOSURE_NOTICE in page

    # Revoked (through the case manager's API): the next request discloses nothing.
    client.force_login(site["users"][Role.CASE_MANAGER])
    response = client.post(
        f"/api/v1/casework/releases/{release.pk}/revoke",
        json.dumps({"on": local_today().isoformat(), "reason": "participant asked"}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    for user, referral_id in (
        (site["users"][Role.PARTNER], shelter),
        (directory["pantry_staff"], pantry),
    ):
        seen = _seen(client, user, referral_id)
        assert (seen["disclosed"], seen["participant"], seen["note"]) == (False, "", "")
        assert b"Jones" not in client.get("/referrals/services/").content


def test_a_provider_outside_the_class_learns_only_of_the_referral(
    client, site, participant, directory
):
    shelter = _refer(client, site, participant, "Night shelter", "Needs a bed")
    pantry = _refer(client, site, participant, "Food bank", "Hungry")
    _release(participant, site, "Housing providers in the services directory")
    inside = _seen(client, site["users"][Role.PARTNER], shelter)
    assert inside["disclosed"] is True and inside["participant"] == "Robert Jones"
    outside = _seen(client, directory["pantry_staff"], pantry)
    assert (outside["disclosed"], outside["participant"], outside["note"]) == (False, "", "")
    page = client.get("/referrals/services/").content.decode()
    assert "Food bank" in page and "Jones" not in page and "Hungry" not in page


@pytest.mark.parametrize("words", ["my treating providers", "providers", "the directory"])
def test_words_divert_cannot_check_disclose_to_no_one(client, site, participant, directory, words):
    shelter = _refer(client, site, participant, "Night shelter", "Needs a bed")
    _release(participant, site, words)
    seen = _seen(client, site["users"][Role.PARTNER], shelter)
    assert seen["disclosed"] is False and seen["participant"] == ""


def test_a_class_release_of_another_site_or_person_discloses_nothing(
    client, site, other_site, participant, directory
):
    shelter = _refer(client, site, participant, "Night shelter", "Needs a bed")
    from divert.people.models import Person

    someone = Person.objects.create(jurisdiction=site["site"], first_name="A", last_name="B")
    today = local_today()
    ReleaseOfInformation.objects.create(
        person=someone,
        discloser=site["orgs"]["case_management"],
        recipient_class="Service providers in the services directory",
        purpose="x",
        signed_on=today,
        expires_on=today + datetime.timedelta(days=9),
        signature="A B",
    )
    assert _seen(client, site["users"][Role.PARTNER], shelter)["disclosed"] is False
