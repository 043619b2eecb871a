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
