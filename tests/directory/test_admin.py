"""The directory's admin screens: the administrator's own site only, read-only, every change
and every other site's record refused."""

import pytest

from divert.directory.models import Location, Organization, Service
from divert.staff.roles import Role
from tests.directory.helpers import load_directory


@pytest.fixture
def admin_client(client, site):
    user = site["users"][Role.ADMINISTRATOR]
    user.is_staff = True
    user.save()
    client.force_login(user)
    return client


def test_the_admin_lists_and_opens_its_own_sites_directory_read_only(admin_client, site):
    load_directory(site)
    shelter = Service.objects.get(name="Night shelter")
    for url in ("/admin/directory/service/", "/admin/directory/organization/"):
        assert admin_client.get(url).status_code == 200
    assert "Night shelter" in admin_client.get("/admin/directory/service/").content.decode()
    page = admin_client.get(f"/admin/directory/service/{shelter.pk}/change/")
    assert page.status_code == 200 and "Night shelter" in page.content.decode()
    admin_client.post(f"/admin/directory/service/{shelter.pk}/change/", {"name": "Renamed"})
    admin_client.post(f"/admin/directory/service/{shelter.pk}/delete/", {"post": "yes"})
    shelter.refresh_from_db()
    assert shelter.name == "Night shelter"
    assert admin_client.get("/admin/directory/service/add/").status_code == 403


def test_another_sites_directory_is_out_of_reach(admin_client, site, other_site):
    load_directory(other_site, organization="Faraway shelters")
    theirs = Service.objects.get(jurisdiction=other_site["site"], name="Night shelter")
    org = Organization.objects.get(jurisdiction=other_site["site"])
    location = Location.objects.get(jurisdiction=other_site["site"])
    for opts, obj in (("service", theirs), ("organization", org), ("location", location)):
        assert admin_client.get(f"/admin/directory/{opts}/{obj.pk}/change/").status_code in (
            302,
            404,
        )
        listing = admin_client.get(f"/admin/directory/{opts}/").content.decode()
        assert "Faraway" not in listing and "Harbor drop-in" not in listing


@pytest.mark.parametrize("role", [Role.CASE_MANAGER, Role.PARTNER, Role.PROGRAM_MANAGER])
def test_other_roles_cannot_open_the_directory_admin(client, site, role):
    load_directory(site)
    user = site["users"][role]
    user.is_staff = True
    user.save()
    client.force_login(user)
    assert client.get("/admin/directory/service/").status_code in (302, 403)
