"""The policy is enforced the same way for pages, the API and exports."""

import pytest

from divert.staff.roles import Role
from tests.access.test_matrix import SPEC_CELLS
from tests.conftest import local_today


def _api_paths(p) -> dict[str, str]:
    e = p["enrollment"].pk
    return {
        "person": f"/api/v1/people/{p['person'].pk}",
        "enrollment_status": f"/api/v1/people/{p['person'].pk}/enrollment-status",
        "enrollment": f"/api/v1/casework/enrollments/{e}",
        "case_note": f"/api/v1/casework/enrollments/{e}/notes",
        "progress": f"/api/v1/casework/enrollments/{e}/progress",
        "plan": f"/api/v1/casework/enrollments/{e}/plan",
        "contact": f"/api/v1/casework/enrollments/{e}/contacts",
        # A partner reaches service referrals (its own organization's) but not the case's list.
        "service_referral": "/api/v1/service-referrals",
        "release": f"/api/v1/casework/enrollments/{e}/releases",
        "referral": f"/api/v1/field/referrals/{p['referral'].pk}",
        "charge_hold": f"/api/v1/charges/holds/{p['hold'].pk}",
        "legal_matter": f"/api/v1/charges/enrollments/{e}/legal",
        "justice_event": f"/api/v1/records/people/{p['person'].pk}/events",
        "aggregate": "/api/v1/program/summary",
        "directory": "/api/v1/directory/services",
        "deidentified": "/api/v1/program/exports/enrollments.csv",
        "waitlist": "/api/v1/casework/waitlist",
    }


@pytest.mark.parametrize("role", list(Role))
def test_every_role_reads_through_the_api_exactly_what_the_matrix_allows(
    client, site, participant, role
):
    client.force_login(site["users"][role])
    for kind, path in _api_paths(participant).items():
        expected = 200 if "view" in SPEC_CELLS[(kind, role.value)] else 403
        response = client.get(path)
        assert response.status_code == expected, f"{role} GET {path}"


def test_an_officer_gets_403_for_case_notes_on_the_page(client, site, participant):
    client.force_login(site["users"][Role.OFFICER])
    response = client.get(f"/casework/enrollments/{participant['enrollment'].pk}/notes/")
    assert response.status_code == 403
    assert b"wants buprenorphine" not in response.content


def test_an_officer_gets_403_for_case_notes_through_the_api(client, site, participant):
    client.force_login(site["users"][Role.OFFICER])
    response = client.get(f"/api/v1/casework/enrollments/{participant['enrollment'].pk}/notes")
    assert response.status_code == 403
    assert response.json() == {"detail": "not allowed to view case_note"}


def test_a_case_manager_reads_case_notes_on_the_page(client, site, participant):
    client.force_login(site["users"][Role.CASE_MANAGER])
    response = client.get(f"/casework/enrollments/{participant['enrollment'].pk}/notes/")
    assert response.status_code == 200
    assert b"wants buprenorphine" in response.content


def test_a_case_manager_in_another_site_cannot_read_this_sites_participant(
    client, other_site, participant
):
    client.force_login(other_site["users"][Role.CASE_MANAGER])
    assert client.get(f"/api/v1/people/{participant['person'].pk}").status_code == 403
    assert (
        client.get(f"/casework/enrollments/{participant['enrollment'].pk}/notes/").status_code
        == 403
    )


def test_an_officer_sees_enrolled_and_whom_to_call_and_nothing_more(client, site, participant):
    client.force_login(site["users"][Role.OFFICER])
    response = client.get(f"/api/v1/people/{participant['person'].pk}/enrollment-status")
    assert response.json() == {
        "enrolled": True,
        "case_manager": "Case manager",
        "phone": "206-555-0199",
    }


def test_the_officer_lookup_page_shows_status_but_no_case_content(client, site, participant):
    client.force_login(site["users"][Role.OFFICER])
    response = client.get("/field/lookup/", {"q": "jones"})
    assert response.status_code == 200
    assert b"Enrolled" in response.content and b"206-555-0199" in response.content
    assert b"buprenorphine" not in response.content and b"No ID yet" not in response.content


def test_a_prosecutor_sees_progress_only_while_a_release_is_in_force(client, site, participant):
    client.force_login(site["users"][Role.PROSECUTOR])
    path = f"/api/v1/casework/enrollments/{participant['enrollment'].pk}/progress"
    body = client.get(path).json()
    assert body["status"] == "active"
    assert body["barriers"] == ""  # the release shares progress, not barriers
    assert "42 CFR part 2" in body["notice"]
    release = participant["release"]
    release.revoked_on = local_today()
    release.save()
    assert client.get(path).status_code == 403


def test_a_release_that_shares_barriers_shows_them_to_its_recipients(client, site, participant):
    release = participant["release"]
    release.shares_barriers = True
    release.save()
    client.force_login(site["users"][Role.DEFENDER])
    path = f"/api/v1/casework/enrollments/{participant['enrollment'].pk}/progress"
    assert client.get(path).json()["barriers"] == "No ID yet"


def test_a_partner_lists_only_the_referrals_its_organization_made(
    client, site, participant, other_site
):
    from divert.field.models import Referral

    Referral.objects.create(
        jurisdiction=site["site"],
        person=participant["person"],
        pathway="social_contact",
        referring_organization=site["orgs"]["police"],
        referred_at=participant["referral"].referred_at,
    )
    client.force_login(site["users"][Role.PARTNER])
    ids = [r["id"] for r in client.get("/api/v1/field/referrals").json()]
    assert ids == [participant["referral"].pk]


def test_the_deidentified_export_carries_no_names_or_birth_dates(client, site, participant):
    client.force_login(site["users"][Role.EVALUATOR])
    response = client.get("/api/v1/program/exports/enrollments.csv")
    body = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"] == "text/csv"
    assert "Jones" not in body and "1980-05-01" not in body
    header, row = body.strip().splitlines()
    assert header.startswith("pseudonym,age_band")
    assert ",45-54," in f",{row},"


def test_an_anonymous_visitor_is_sent_to_log_in_or_refused(client, participant):
    assert client.get("/casework/").status_code == 302
    assert client.get(f"/api/v1/people/{participant['person'].pk}").status_code == 401
