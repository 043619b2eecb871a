"""The participant's page: everything at a glance, each part read and audited by its own kind."""

import datetime

import pytest

from divert.audit.models import AuditEntry
from divert.casework.models import InterventionPlan, ReleaseOfInformation, ServiceReferral
from divert.casework.tasks import task_create
from divert.staff.roles import Role
from tests.casework.helpers import days, enroll, seen
from tests.conftest import token_for


@pytest.fixture
def robert(site):
    enrollment = enroll(
        site, "Robert Jones", status="intake_pending", referred=-5, due=3, intake=None
    )
    seen(enrollment, 2)
    return enrollment


def test_the_profile_shows_status_deadline_contacts_tasks_releases_and_services(
    client, site, robert
):
    orgs = site["orgs"]
    cm = site["users"][Role.CASE_MANAGER]
    task_create(user=cm, title="Bring ID papers", due_on=days(1), enrollment_id=robert.pk)
    in_force = ReleaseOfInformation.objects.create(
        person=robert.person,
        discloser=orgs["case_management"],
        purpose="housing",
        signed_on=days(-1),
        expires_on=days(90),
        signature="RJ",
    )
    in_force.recipients.set([orgs["community"]])
    revoked = ReleaseOfInformation.objects.create(
        person=robert.person,
        discloser=orgs["case_management"],
        purpose="old court",
        signed_on=days(-3),
        expires_on=days(90),
        revoked_on=days(-1),
        signature="RJ",
    )
    revoked.recipients.set([orgs["prosecutor"]])
    ServiceReferral.objects.create(
        enrollment=robert,
        provider=orgs["community"],
        service="Detox bed",
        domain="treatment",
        sent_on=days(-1),
    )
    client.force_login(cm)
    html = client.get(f"/casework/enrollments/{robert.pk}/").content.decode()
    assert "Intake pending" in html
    assert f"Task: Bring ID papers, {days(1).strftime('%a %-d %b %Y')}" in html  # due first
    assert "In person" in html and "Bring ID papers" in html
    assert "for housing" in html and "old court" not in html
    assert "Detox bed" in html
    assert f'href="/casework/enrollments/{robert.pk}/notes/"' in html
    assert f'href="/casework/enrollments/{robert.pk}/access/"' in html
    kinds = set(
        AuditEntry.objects.filter(action="view", outcome="allowed").values_list("kind", flat=True)
    )
    assert {"enrollment", "plan", "contact", "task", "release", "service_referral"} <= kinds


def test_opening_the_profile_never_creates_a_plan(client, site, robert):
    client.force_login(site["users"][Role.CASE_MANAGER])
    assert "No plan yet." in client.get(f"/casework/enrollments/{robert.pk}/").content.decode()
    assert not InterventionPlan.objects.filter(enrollment=robert).exists()
    api = client.get(f"/api/v1/casework/enrollments/{robert.pk}/profile").json()
    assert api["plan_summary"] is None and api["next_deadline"]["label"] == "Intake due"
    assert not InterventionPlan.objects.filter(enrollment=robert).exists()


def test_who_opened_this_record_lists_the_reads_and_is_itself_audited(client, site, robert):
    cm, supervisor = site["users"][Role.CASE_MANAGER], site["users"][Role.SUPERVISOR]
    client.force_login(supervisor)
    client.get(f"/casework/enrollments/{robert.pk}/")
    client.force_login(cm)
    html = client.get(f"/casework/enrollments/{robert.pk}/access/").content.decode()
    assert supervisor.username in html and "view enrollment" in html
    entry = AuditEntry.objects.filter(kind="record_access").get()
    assert (entry.action, entry.outcome, entry.object_id) == ("view", "allowed", str(robert.pk))


def test_an_administrator_sees_who_opened_a_record_but_not_whose_it_is(client, site, robert):
    client.force_login(site["users"][Role.ADMINISTRATOR])
    response = client.get(f"/casework/enrollments/{robert.pk}/access/")
    assert response.status_code == 200
    assert b"Robert" not in response.content and b"Jones" not in response.content
    assert client.get(f"/casework/enrollments/{robert.pk}/").status_code == 403


@pytest.mark.parametrize("role", [Role.OFFICER, Role.PROSECUTOR])
def test_enforcement_gets_403_on_the_profile_and_its_access_log(client, site, robert, role):
    client.force_login(site["users"][role])
    for url in (
        f"/casework/enrollments/{robert.pk}/",
        f"/casework/enrollments/{robert.pk}/access/",
        f"/api/v1/casework/enrollments/{robert.pk}/profile",
        f"/api/v1/casework/enrollments/{robert.pk}/access-log",
    ):
        response = client.get(url)
        assert response.status_code == 403 and b"Robert" not in response.content, url


def test_the_api_profile_matches_the_page(client, site, robert):
    cm = site["users"][Role.CASE_MANAGER]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_for(cm)}"}
    body = client.get(f"/api/v1/casework/enrollments/{robert.pk}/profile", **auth).json()
    assert body["person"] == "Robert Jones" and body["status"] == "intake_pending"
    assert body["next_deadline"] == {"on": days(3).isoformat(), "label": "Intake due"}
    assert len(body["contacts"]) == 1 and body["tasks"] == []
    log = client.get(f"/api/v1/casework/enrollments/{robert.pk}/access-log", **auth).json()
    assert {"view"} <= {row["action"] for row in log}
    assert isinstance(datetime.date.fromisoformat(body["referred_on"]), datetime.date)
