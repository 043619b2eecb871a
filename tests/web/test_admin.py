from pathlib import Path

import pytest

from divert.staff.roles import Role


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/jurisdictions/jurisdiction/",
        "/admin/jurisdictions/organization/",
        "/admin/jurisdictions/statutemapping/",
        "/admin/staff/user/",
        "/admin/field/eligibilitypolicy/",
        "/admin/audit/auditentry/",
    ],
)
def test_the_admin_pages_for_configuration_open(client, site, path):
    admin = site["users"][Role.ADMINISTRATOR]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    assert client.get(path).status_code == 200


def test_a_staff_users_edit_page_offers_roles_as_checkboxes(client, site):
    admin = site["users"][Role.ADMINISTRATOR]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    html = client.get(
        f"/admin/staff/user/{site['users'][Role.OFFICER].pk}/change/"
    ).content.decode()
    assert 'type="checkbox" name="roles" value="case_manager"' in html


def test_a_broken_policy_is_refused_in_the_admin_naming_the_line(client, site):
    from divert.field.models import EligibilityPolicy

    admin = site["users"][Role.ADMINISTRATOR]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    text = (
        Path("policies/seattle-2011.toml").read_text().replace("max_grams = 3.0", "max_grams = -1")
    )
    response = client.post(
        "/admin/field/eligibilitypolicy/add/",
        {"jurisdiction": site["site"].pk, "text": text, "source": "pasted"},
    )
    assert response.status_code == 200 and "drugs.max_grams" in response.content.decode()
    assert not EligibilityPolicy.objects.exists()
    good = Path("policies/seattle-2011.toml").read_text()
    response = client.post(
        "/admin/field/eligibilitypolicy/add/",
        {"jurisdiction": site["site"].pk, "text": good, "source": "pasted"},
    )
    assert response.status_code == 302
    assert EligibilityPolicy.objects.get().version == "2011.1"


def test_a_staff_flag_alone_does_not_open_the_admin(client, site):
    manager = site["users"][Role.CASE_MANAGER]
    manager.is_staff = True
    manager.save()
    client.force_login(manager)
    response = client.get("/admin/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_an_administrator_without_a_jurisdiction_reads_no_participant_data(client, db):
    from divert.staff.models import User

    admin = User.objects.create_user(
        username="platform", roles=["administrator"], is_staff=True, is_superuser=True
    )
    client.force_login(admin)
    assert client.get("/program/").status_code == 403
    assert client.get("/admin/").status_code == 200


def test_a_logged_in_user_without_admin_rights_is_refused_not_looped(client, site):
    manager = site["users"][Role.CASE_MANAGER]
    manager.is_staff = True
    manager.save()
    client.force_login(manager)
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert "/admin/" not in client.get("/").content.decode()


def test_a_superuser_without_roles_runs_the_admin_but_reads_no_case(client, participant):
    from divert.staff.models import User

    root = User.objects.create_superuser(username="root", password="pw-for-tests-only")
    client.force_login(root)
    assert client.get("/admin/").status_code == 200
    path = f"/api/v1/casework/enrollments/{participant['enrollment'].pk}/notes"
    assert client.get(path).status_code == 403


def test_the_admin_issues_an_api_token_and_shows_it_once(client, site):
    from divert.staff.models import ApiToken

    admin = site["users"][Role.ADMINISTRATOR]
    admin.is_staff = True
    admin.save()
    client.force_login(admin)
    response = client.post(
        "/admin/staff/apitoken/add/",
        {
            "user": site["users"][Role.CASE_MANAGER].pk,
            "name": "hmis sync",
            "scopes": ["person:view"],
            "days": 30,
        },
        follow=True,
    )
    message = next(str(m) for m in response.context["messages"] if "copy it now" in str(m))
    token = message.split(": ")[1].split(" ")[0]
    stored = ApiToken.objects.get(name="hmis sync")
    assert stored.digest == ApiToken.hash(token) and token not in stored.digest
    client.logout()
    me = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert me.json()["username"] == site["users"][Role.CASE_MANAGER].username


def test_a_site_administrator_sees_only_their_own_sites_configuration(client, site, other_site):
    admin = site["users"][Role.ADMINISTRATOR]
    admin.is_staff = True
    admin.save()
    client.force_login(admin)
    html = client.get("/admin/jurisdictions/organization/").content.decode()
    assert "Cascadia police" in html and "Elsewhere police" not in html
    other = other_site["orgs"]["police"]
    assert client.get(f"/admin/jurisdictions/organization/{other.pk}/change/").status_code in (
        302,
        404,
    )
