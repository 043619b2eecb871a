"""Closed-loop service referrals: sent → accepted or declined → in progress → completed or
not completed; the provider's staff answer their own referrals and learn the participant's
name only while a release naming their organization is in force."""

import datetime
import json
import uuid

import pytest

from divert.audit.models import AuditEntry
from divert.casework.models import ReleaseOfInformation, ServiceReferral
from divert.directory.models import Service
from divert.jurisdictions.models import Organization
from divert.staff.models import User
from divert.staff.roles import Role
from tests.conftest import local_today
from tests.directory.helpers import load_directory

API = "/api/v1/service-referrals"


@pytest.fixture
def directory(site):
    load_directory(site)
    return Service.objects.get(jurisdiction=site["site"], name="Night shelter")


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def _send(client, site, participant, service, **extra):
    client.force_login(site["users"][Role.CASE_MANAGER])
    body = {"enrollment_id": participant["enrollment"].pk, "service_id": service.pk, **extra}
    return _post(client, API, body)


def _release_to(site, participant, org) -> ReleaseOfInformation:
    today = local_today()
    release = ReleaseOfInformation.objects.create(
        person=participant["person"],
        discloser=site["orgs"]["case_management"],
        purpose="shelter referral",
        signed_on=today - datetime.timedelta(days=1),
        expires_on=today + datetime.timedelta(days=90),
        signature="Robert Jones",
    )
    release.recipients.set([org])
    return release


def _fields(response) -> set[str]:
    return {e["field"] for e in response.json()["detail"]}


def test_the_loop_closes_sent_accepted_in_progress_completed(client, site, participant, directory):
    response = _send(client, site, participant, directory, note="Needs a bed tonight")
    assert response.status_code == 201, response.content
    sent = response.json()
    assert sent["status"] == "sent" and sent["provider"] == site["orgs"]["community"].name
    referral_id = sent["id"]
    client.force_login(site["users"][Role.PARTNER])
    for status in ("accepted", "in_progress", "completed"):
        response = _post(client, f"{API}/{referral_id}/status", {"status": status})
        assert response.status_code == 200, response.content
        assert response.json()["status"] == status
    referral = ServiceReferral.objects.get(pk=referral_id)
    assert referral.accepted_at and referral.started_at and referral.closed_at
    assert referral.closed_on == local_today()
    # The case manager sees the loop closed on the participant's page.
    client.force_login(site["users"][Role.CASE_MANAGER])
    page = client.get(f"/casework/enrollments/{participant['enrollment'].pk}/").content.decode()
    assert "Night shelter" in page and "Completed" in page


def test_out_of_order_changes_are_field_errors(client, site, participant, directory):
    referral_id = _send(client, site, participant, directory).json()["id"]
    client.force_login(site["users"][Role.PARTNER])
    url = f"{API}/{referral_id}/status"
    response = _post(client, url, {"status": "completed"})
    assert response.status_code == 422 and _fields(response) == {"status"}
    response = _post(client, url, {"status": "declined"})
    assert response.status_code == 422 and _fields(response) == {"reason"}
    response = _post(client, url, {"status": "cancelled"})  # only the referring side cancels
    assert response.status_code == 422 and _fields(response) == {"status"}
    assert _post(client, url, {"status": "accepted"}).status_code == 200
    response = _post(client, url, {"status": "not_completed", "outcome": "bored"})
    assert response.status_code == 422 and _fields(response) == {"outcome"}
    response = _post(client, url, {"status": "not_completed", "outcome": "other"})
    assert response.status_code == 422 and _fields(response) == {"outcome_note"}
    response = _post(client, url, {"status": "not_completed", "outcome": "lack_of_capacity"})
    assert response.status_code == 200
    assert ServiceReferral.objects.get(pk=referral_id).outcome == "lack_of_capacity"
    response = _post(client, url, {"status": "in_progress"})
    assert response.status_code == 422 and _fields(response) == {"status"}


def test_a_declined_referral_keeps_its_reason(client, site, participant, directory):
    referral_id = _send(client, site, participant, directory).json()["id"]
    client.force_login(site["users"][Role.PARTNER])
    response = client.post(
        f"/referrals/services/{referral_id}/", {"status": "declined", "reason": "No beds"}
    )
    assert response.status_code == 302
    referral = ServiceReferral.objects.get(pk=referral_id)
    assert referral.status == "declined" and referral.reason == "No beds"


def test_a_referral_outside_the_directory_is_refused(
    client, site, other_site, participant, directory
):
    load_directory(other_site)
    elsewhere = Service.objects.get(jurisdiction=other_site["site"], name="Night shelter")
    for service_id in (elsewhere.pk, 999_999):
        response = _send(client, site, participant, Service(pk=service_id))
        assert response.status_code == 422 and _fields(response) == {"service_id"}
    assert not ServiceReferral.objects.exists()


def test_a_double_submit_sends_one_referral(client, site, participant, directory):
    client_id = str(uuid.uuid4())
    first = _send(client, site, participant, directory, client_id=client_id)
    second = _send(client, site, participant, directory, client_id=client_id)
    assert first.json()["id"] == second.json()["id"]
    assert ServiceReferral.objects.count() == 1


def test_without_a_release_the_provider_learns_only_that_a_referral_was_made(
    client, site, participant, directory
):
    referral_id = _send(client, site, participant, directory, note="Jones needs a bed").json()["id"]
    client.force_login(site["users"][Role.PARTNER])
    seen = client.get(f"{API}/{referral_id}").json()
    assert seen["disclosed"] is False and seen["participant"] == "" and seen["note"] == ""
    assert seen["enrollment_id"] is None
    for body in (client.get(API).content, client.get("/referrals/services/").content):
        assert b"Jones" not in body and b"Robert" not in body


def test_a_release_naming_the_provider_discloses_and_revoking_it_stops_at_once(
    client, site, participant, directory
):
    referral_id = _send(client, site, participant, directory, note="Bring ID").json()["id"]
    release = _release_to(site, participant, site["orgs"]["community"])
    client.force_login(site["users"][Role.PARTNER])
    seen = client.get(f"{API}/{referral_id}").json()
    assert seen["disclosed"] is True and seen["participant"] == "Robert Jones"
    assert seen["note"] == "Bring ID"
    assert seen["notice"] == ReleaseOfInformation.REDISCLOSURE_NOTICE
    page = client.get("/referrals/services/").content.decode()
    assert "Robert Jones" in page and ReleaseOfInformation.REDISCLOSURE_NOTICE in page
    release.revoked_on = local_today()
    release.save()
    seen = client.get(f"{API}/{referral_id}").json()
    assert seen["disclosed"] is False and seen["participant"] == ""
    assert b"Jones" not in client.get("/referrals/services/").content


def test_a_release_to_someone_else_discloses_nothing_to_the_provider(
    client, site, participant, directory
):
    # The participant fixture's release names the prosecutor and the defender only.
    referral_id = _send(client, site, participant, directory).json()["id"]
    client.force_login(site["users"][Role.PARTNER])
    assert client.get(f"{API}/{referral_id}").json()["participant"] == ""


def test_another_providers_staff_see_nothing(client, site, participant, directory):
    referral_id = _send(client, site, participant, directory).json()["id"]
    other = Organization.objects.create(
        jurisdiction=site["site"], name="Other provider", kind="provider"
    )
    stranger = User.objects.create_user(
        username="stranger", password="pw-for-tests-only", organization=other, roles=["partner"]
    )
    client.force_login(stranger)
    assert client.get(API).json() == []
    assert client.get(f"{API}/{referral_id}").status_code in (403, 404)
    response = _post(client, f"{API}/{referral_id}/status", {"status": "accepted"})
    assert response.status_code in (403, 404)
    assert client.post(
        f"/referrals/services/{referral_id}/", {"status": "accepted"}
    ).status_code in (403, 404)
    assert ServiceReferral.objects.get(pk=referral_id).status == "sent"


def test_the_partner_sees_nothing_else_of_the_case(client, site, participant, directory):
    _send(client, site, participant, directory)
    enrollment = participant["enrollment"].pk
    client.force_login(site["users"][Role.PARTNER])
    assert client.get(f"/api/v1/casework/enrollments/{enrollment}/services").status_code == 403
    assert client.get(f"/casework/enrollments/{enrollment}/").status_code == 403
    assert client.get("/directory/").status_code == 403


@pytest.mark.parametrize("role", [Role.OFFICER, Role.PROSECUTOR, Role.DEFENDER, Role.EVALUATOR])
def test_enforcement_gets_403_everywhere(client, site, participant, directory, role):
    referral_id = _send(client, site, participant, directory).json()["id"]
    client.force_login(site["users"][role])
    assert client.get(API).status_code == 403
    assert client.get(f"{API}/{referral_id}").status_code == 403
    body = {"enrollment_id": participant["enrollment"].pk, "service_id": directory.pk}
    assert _post(client, API, body).status_code == 403
    assert _post(client, f"{API}/{referral_id}/status", {"status": "accepted"}).status_code == 403
    assert client.get("/referrals/services/").status_code == 403
    assert (
        client.post(f"/referrals/services/{referral_id}/", {"status": "accepted"}).status_code
        == 403
    )
    assert ServiceReferral.objects.count() == 1
    assert AuditEntry.objects.filter(kind="service_referral", outcome="denied").exists()


def test_the_case_manager_refers_from_the_directory_page(client, site, participant, directory):
    enrollment = participant["enrollment"].pk
    client.force_login(site["users"][Role.CASE_MANAGER])
    profile = client.get(f"/casework/enrollments/{enrollment}/").content.decode()
    assert f"/directory/?enrollment={enrollment}" in profile
    page = client.get(f"/directory/services/{directory.pk}/?enrollment={enrollment}")
    assert b"Send referral" in page.content
    client_id = str(uuid.uuid4())
    form = {"service_id": directory.pk, "note": "tonight", "client_id": client_id}
    url = f"/casework/enrollments/{enrollment}/service-referrals/"
    assert client.post(url, form).status_code == 302
    assert client.post(url, form).status_code == 302  # the double submit
    assert ServiceReferral.objects.count() == 1
    inbox = client.get("/inbox/").content.decode()
    assert "Service referrals waiting" in inbox and "Night shelter" in inbox
    bad = client.post(url, {"service_id": "999999", "client_id": str(uuid.uuid4())})
    assert bad.status_code in (404, 422)


def test_referral_times_per_service_for_the_program_manager(
    client, site, participant, directory, frozen_clock
):
    referral_id = _send(client, site, participant, directory).json()["id"]
    partner = site["users"][Role.PARTNER]
    frozen_clock.shift(datetime.timedelta(days=2))
    client.force_login(partner)  # a new session: the last one idled out
    assert _post(client, f"{API}/{referral_id}/status", {"status": "accepted"}).status_code == 200
    _post(client, f"{API}/{referral_id}/status", {"status": "in_progress"})
    frozen_clock.shift(datetime.timedelta(days=3))
    client.force_login(partner)
    assert _post(client, f"{API}/{referral_id}/status", {"status": "completed"}).status_code == 200
    client.force_login(site["users"][Role.PROGRAM_MANAGER])
    page = client.get("/program/referral-times/", {"service": directory.pk})
    assert page.status_code == 200
    row = page.content.decode().split(f'data-service="{directory.pk}"')[1].split("</tr>")[0]
    cells = [c.split("</td>")[0] for c in row.split("<td>")[1:]]
    assert cells[0] == "Night shelter"
    assert cells[2:7] == ["1", "1", "0", "1", "0"]
    assert cells[7] == "2.0" and cells[8] == "5.0"
    assert b"Jones" not in page.content
    client.force_login(site["users"][Role.CASE_MANAGER])
    assert client.get("/program/referral-times/").status_code == 403
