"""A service's open places, new clients and waitlist, kept current by the provider's own partner
staff and the site's program manager, on a page and through the API; audited."""

import pytest

from divert.audit.models import AuditEntry
from divert.directory.models import Service
from divert.jurisdictions.models import Organization as SiteOrganization
from divert.staff.models import User
from divert.staff.roles import Role
from tests.directory.helpers import load_directory


@pytest.fixture
def shelter(site) -> Service:
    load_directory(site)
    return Service.objects.get(jurisdiction=site["site"], name="Night shelter")


def _put(client, service, **body):
    return client.put(
        f"/api/v1/directory/services/{service.pk}/capacity", body, content_type="application/json"
    )


@pytest.mark.parametrize("role", [Role.PARTNER, Role.PROGRAM_MANAGER])
def test_the_provider_or_program_manager_sets_it_on_the_page_once(client, site, shelter, role):
    user = site["users"][role]
    client.force_login(user)
    page = client.get("/directory/capacity/").content.decode()
    assert "Night shelter" in page and "Day clinic" in page
    form = {"capacity": "3", "accepting_new": "yes", "waitlist": "7"}
    for _ in range(2):  # a double submit: one change
        response = client.post(f"/directory/services/{shelter.pk}/capacity/", form)
        assert response.status_code == 302
    shelter.refresh_from_db()
    assert (shelter.capacity, shelter.accepting_new, shelter.waitlist) == (3, True, 7)
    assert shelter.capacity_updated_by == user
    [entry] = AuditEntry.objects.filter(kind="service_capacity", action="change")
    assert entry.object_id == str(shelter.pk) and entry.outcome == "success"
    assert entry.detail["before"] == {"capacity": None, "accepting_new": None, "waitlist": None}
    assert entry.detail["after"] == {"capacity": 3, "accepting_new": True, "waitlist": 7}
    assert entry.jurisdiction_id == site["site"].pk


def test_case_managers_see_it_in_the_directory(client, site, shelter):
    client.force_login(site["users"][Role.PARTNER])
    _put(client, shelter, capacity=0, accepting_new=False, waitlist=4)
    client.force_login(site["users"][Role.CASE_MANAGER])
    page = client.get(f"/directory/services/{shelter.pk}/").content.decode()
    assert "0 places open" in page and "Not accepting new clients" in page and "4 waiting" in page
    [found] = [s for s in client.get("/api/v1/directory/services").json() if s["id"] == shelter.pk]
    assert (found["capacity"], found["accepting_new"], found["waitlist"]) == (0, False, 4)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("capacity", "-1", "negative"),
        ("capacity", "many", "whole number"),
        ("capacity", "2.5", "whole number"),
        ("capacity", "99999999", "at most"),
        ("waitlist", "-3", "negative"),
        ("waitlist", "1000001", "at most"),
        ("accepting_new", "perhaps", "yes, no"),
    ],
)
def test_bad_values_are_refused_naming_the_field(client, site, shelter, field, value, message):
    client.force_login(site["users"][Role.PROGRAM_MANAGER])
    form = {"capacity": "2", "accepting_new": "yes", "waitlist": "0", field: value}
    response = client.post(f"/directory/services/{shelter.pk}/capacity/", form)
    assert response.status_code == 422
    page = response.content.decode()
    assert f'data-field="{field}"' in page and message in page
    api = _put(client, shelter, **{field: value})
    assert api.status_code == 422 and api.json()["detail"][0]["field"] == field
    shelter.refresh_from_db()
    assert shelter.capacity is None and shelter.capacity_updated_at is None
    assert not AuditEntry.objects.filter(kind="service_capacity", outcome="success").exists()


def test_another_providers_staff_may_not_change_it(client, site, shelter):
    other_org = SiteOrganization.objects.create(
        jurisdiction=site["site"], name="Other outreach", kind="community"
    )
    other = User.objects.create_user(
        username="other-partner", organization=other_org, roles=["partner"]
    )
    client.force_login(other)
    assert "Night shelter" not in client.get("/directory/capacity/").content.decode()
    assert (
        client.post(f"/directory/services/{shelter.pk}/capacity/", {"capacity": "9"}).status_code
        == 404
    )
    assert _put(client, shelter, capacity=9).status_code == 404
    assert client.get("/api/v1/directory/capacity").json() == []
    shelter.refresh_from_db()
    assert shelter.capacity is None


@pytest.mark.parametrize(
    "role",
    [
        Role.CASE_MANAGER,
        Role.SUPERVISOR,
        Role.OFFICER,
        Role.PROSECUTOR,
        Role.EVALUATOR,
        Role.ADMINISTRATOR,
    ],
)
def test_other_roles_may_not_change_it(client, site, shelter, role):
    client.force_login(site["users"][role])
    assert client.get("/directory/capacity/").status_code == 403
    response = client.post(f"/directory/services/{shelter.pk}/capacity/", {"capacity": "9"})
    assert response.status_code in (403, 404)
    assert _put(client, shelter, capacity=9).status_code in (403, 404)
    shelter.refresh_from_db()
    assert shelter.capacity is None


def test_another_sites_service_is_out_of_reach(client, site, other_site, shelter):
    load_directory(other_site, organization=other_site["orgs"]["community"].name)
    theirs = Service.objects.get(jurisdiction=other_site["site"], name="Night shelter")
    for role in (Role.PARTNER, Role.PROGRAM_MANAGER):
        client.force_login(site["users"][role])
        assert _put(client, theirs, capacity=1).status_code == 404
        response = client.post(f"/directory/services/{theirs.pk}/capacity/", {"capacity": "1"})
        assert response.status_code == 404
        listed = [s["id"] for s in client.get("/api/v1/directory/capacity").json()]
        assert theirs.pk not in listed and shelter.pk in listed
    theirs.refresh_from_db()
    assert theirs.capacity is None
