"""A site's administrator runs its own site and nothing more: no escalation through the admin.

Each test replays an attack found in review: the administrator (staff + administrator role,
not a superuser) tries to reach another county or to read case notes.
"""

import pytest
from django.core.exceptions import PermissionDenied

from divert.audit.models import AuditEntry
from divert.staff.models import ApiToken, User
from divert.staff.roles import Role
from divert.staff.services import api_token_issue, staff_roles_set
from tests.conftest import token_for


@pytest.fixture
def site_admin(client, site):
    admin = site["users"][Role.ADMINISTRATOR]
    admin.is_staff = True
    admin.save()
    client.force_login(admin)
    return admin


def _change_form(admin: User, **changes) -> dict:
    data = {
        "username": admin.username,
        "first_name": admin.first_name,
        "last_name": admin.last_name,
        "email": "",
        "is_active": "on",
        "is_staff": "on",
        "organization": admin.organization_id,
        "phone": "",
        "badge": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
    }
    data.update(changes)
    return data


def test_a_site_administrator_cannot_make_itself_superuser_or_grant_itself_roles(
    client, site_admin, other_site, participant
):
    path = f"/admin/staff/user/{site_admin.pk}/change/"
    client.post(
        path,
        _change_form(
            site_admin,
            is_superuser="on",
            roles=["administrator", "case_manager"],
            organization=other_site["orgs"]["case_management"].pk,
        ),
    )
    site_admin.refresh_from_db()
    site_admin.forget_roles()
    assert not site_admin.is_superuser
    assert site_admin.roles == ["administrator"]
    assert site_admin.organization_id != other_site["orgs"]["case_management"].pk
    notes = f"/api/v1/casework/enrollments/{participant['enrollment'].pk}/notes"
    assert client.get(notes).status_code == 403


def test_a_site_administrator_cannot_move_a_colleague_into_another_county(
    client, site, site_admin, other_site
):
    officer = site["users"][Role.OFFICER]
    response = client.post(
        f"/admin/staff/user/{officer.pk}/change/",
        _change_form(officer, organization=other_site["orgs"]["police"].pk),
    )
    assert response.status_code == 200  # the form refuses the choice
    assert "Select a valid choice" in response.content.decode()
    officer.refresh_from_db()
    assert officer.organization == site["orgs"]["police"]


def test_only_a_platform_superuser_grants_roles_and_a_refusal_is_audited(site):
    admin = site["users"][Role.ADMINISTRATOR]
    officer = site["users"][Role.OFFICER]
    with pytest.raises(PermissionDenied):
        staff_roles_set(actor=admin, user=officer, roles=["officer", "case_manager"])
    entry = AuditEntry.objects.latest("id")
    assert (entry.outcome, entry.kind, entry.actor) == ("denied", "staff", admin.username)
    root = User.objects.create_superuser(username="root", password="pw-for-tests-only")
    assert staff_roles_set(actor=root, user=officer, roles=["officer", "case_manager"]) == [
        "case_manager",
        "officer",
    ]


def test_a_site_administrator_cannot_set_another_persons_password(client, site, site_admin):
    manager = site["users"][Role.CASE_MANAGER]
    response = client.post(
        f"/admin/staff/user/{manager.pk}/password/",
        {"password1": "a-new-pass-phrase-1", "password2": "a-new-pass-phrase-1"},
    )
    assert response.status_code == 403
    manager.refresh_from_db()
    assert manager.check_password("pw-for-tests-only")


def test_a_site_administrator_cannot_mint_a_token_in_another_county(client, site_admin, other_site):
    victim = other_site["users"][Role.CASE_MANAGER]
    response = client.post(
        "/admin/staff/apitoken/add/",
        {"user": victim.pk, "name": "x", "scopes": ["case_note:view"], "days": 30},
    )
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not ApiToken.objects.filter(user=victim).exists()
    with pytest.raises(PermissionDenied):
        api_token_issue(issuer=site_admin, user=victim, name="x", scopes=["case_note:view"])
    assert AuditEntry.objects.latest("id").outcome == "denied"


def test_minting_is_audited_and_reads_through_the_token_name_it(client, site, participant):
    manager = site["users"][Role.CASE_MANAGER]
    token = token_for(manager, name="hmis sync", scopes=["person:view"])
    issued = AuditEntry.objects.filter(kind="api_token", action="create").latest("id")
    assert issued.actor == "platform-root" and issued.detail["for"] == manager.username
    client.logout()
    person = f"/api/v1/people/{participant['person'].pk}"
    assert client.get(person, HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    read = AuditEntry.objects.latest("id")
    stored = ApiToken.objects.get(name="hmis sync")
    assert (read.actor, read.component) == (manager.username, f"token:{stored.pk}")


def test_a_token_does_only_what_it_was_issued_for(client, site, participant):
    token = token_for(site["users"][Role.CASE_MANAGER], scopes=["person:view"])
    notes = f"/api/v1/casework/enrollments/{participant['enrollment'].pk}/notes"
    assert client.get(notes, HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 403


def test_a_token_wider_than_its_account_is_refused_naming_the_scope(site):
    root = User.objects.create_superuser(username="root", password="pw-for-tests-only")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        api_token_issue(
            issuer=root, user=site["users"][Role.OFFICER], name="x", scopes=["case_note:view"]
        )
    assert "case_note:view" in str(caught.value.message_dict["scopes"])


def test_an_expired_token_is_refused(client, site, frozen_clock):
    import datetime

    token = token_for(site["users"][Role.CASE_MANAGER], scopes=["person:view"])
    frozen_clock.shift(datetime.timedelta(days=91))
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


def test_a_site_administrator_cannot_create_an_organization_in_another_county(
    client, site_admin, other_site
):
    from divert.jurisdictions.models import Organization

    response = client.post(
        "/admin/jurisdictions/organization/add/",
        {"jurisdiction": other_site["site"].pk, "name": "Planted", "kind": "police", "phone": ""},
    )
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not Organization.objects.filter(name="Planted").exists()


def test_a_site_administrator_cannot_replace_another_countys_policy(client, site_admin, other_site):
    from pathlib import Path

    from divert.field.models import EligibilityPolicy
    from divert.field.policies import policy_load

    text = Path("policies/seattle-2011.toml").read_text()
    response = client.post(
        "/admin/field/eligibilitypolicy/add/",
        {"jurisdiction": other_site["site"].pk, "text": text, "source": "pasted"},
    )
    assert response.status_code == 200
    with pytest.raises(PermissionDenied):
        policy_load(jurisdiction=other_site["site"], text=text, user=site_admin)
    assert not EligibilityPolicy.objects.filter(jurisdiction=other_site["site"]).exists()


def test_a_site_administrator_cannot_create_a_new_site(client, site_admin):
    from divert.jurisdictions.models import Jurisdiction

    client.post(
        "/admin/jurisdictions/jurisdiction/add/",
        {
            "name": "Annexed",
            "slug": "annexed",
            "timezone": "America/Los_Angeles",
            "caseload_target": 20,
            "caseload_cap": 25,
            "areas-TOTAL_FORMS": 0,
            "areas-INITIAL_FORMS": 0,
        },
    )
    assert not Jurisdiction.objects.filter(slug="annexed").exists()


def test_the_audit_page_lists_only_the_administrators_own_site(
    client, site_admin, participant, other_site
):
    other_manager = other_site["users"][Role.CASE_MANAGER]
    client.force_login(other_manager)
    client.get("/casework/")  # an audited read in the other county
    client.force_login(site_admin)
    html = client.get("/audit/").content.decode()
    assert other_manager.username not in html
    admin_list = client.get("/admin/audit/auditentry/").content.decode()
    assert other_manager.username not in admin_list


def test_case_note_history_entries_carry_their_site(site, participant):
    note = participant["note"]
    note.text = "Corrected."
    note.save()
    entry = AuditEntry.objects.filter(kind="case_note", action="change").latest("id")
    assert entry.jurisdiction_id == site["site"].pk
