import re
from pathlib import Path

import pytest

from divert.demo import DEMO_LOGINS, demo_seed
from divert.staff.roles import Role
from tests.seeding.helpers import loaded_once

TEMPLATES = Path(__file__).resolve().parents[2] / "divert"


def test_the_login_page_has_labelled_fields(client):
    response = client.get("/login/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_username">' in html and '<label for="id_password">' in html
    assert 'lang="en"' in html and 'name="viewport"' in html


@pytest.mark.parametrize(
    ("role", "path"),
    [
        (Role.OFFICER, "/field/lookup/"),
        (Role.CASE_MANAGER, "/casework/"),
        (Role.PROSECUTOR, "/charges/"),
        (Role.PARTNER, "/referrals/"),
        (Role.PROGRAM_MANAGER, "/program/"),
        (Role.ADMINISTRATOR, "/audit/"),
    ],
)
def test_each_roles_pages_render(client, site, participant, role, path):
    client.force_login(site["users"][role])
    assert client.get(path).status_code == 200


@pytest.mark.parametrize(
    ("role", "path"),
    [(Role.OFFICER, "/casework/"), (Role.PARTNER, "/charges/"), (Role.ADMINISTRATOR, "/casework/")],
)
def test_pages_outside_a_role_are_refused(client, site, role, path):
    client.force_login(site["users"][role])
    assert client.get(path).status_code == 403


def test_the_officer_lookup_answers_htmx_with_just_the_results(client, site, participant):
    client.force_login(site["users"][Role.OFFICER])
    response = client.get("/field/lookup/", {"q": "bob jones"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and "Robert Jones" in html


def test_the_audit_page_reports_an_intact_chain(client, site, participant):
    client.force_login(site["users"][Role.ADMINISTRATOR])
    assert b"Intact:" in client.get("/audit/", {"verify": "1"}).content


def test_every_asset_is_served_locally(client):
    html = "".join(p.read_text() for p in TEMPLATES.rglob("*.html"))
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert client.get("/static/vendor/htmx.min.js").status_code == 200
    assert client.get("/static/web/divert.css").status_code == 200


def test_five_failed_logins_lock_the_account(client, site):
    user = site["users"][Role.CASE_MANAGER]
    for _ in range(5):
        client.post("/login/", {"username": user.username, "password": "wrong"})
    response = client.post("/login/", {"username": user.username, "password": "pw-for-tests-only"})
    assert response.status_code in (403, 429)
    assert b"Account locked" in response.content
    assert "_auth_user_id" not in client.session


def test_the_health_endpoint_answers(client, db):
    assert client.get("/healthz").content == b"ok"


# The demo tests come last: the seeded site stays in the database until the module ends.
@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker):
    # Seeded once for the module (a few seconds); each test's writes are rolled back.
    with loaded_once(django_db_blocker, demo_seed) as created:
        yield created


@pytest.mark.parametrize(("role", "username", "password"), DEMO_LOGINS)
def test_each_demo_login_reaches_its_roles_landing_page(
    db, client, demo_site, role, username, password
):
    response = client.post("/login/", {"username": username, "password": password}, follow=True)
    assert response.status_code == 200
    if role in ("case_manager", "supervisor"):  # their landing page is the inbox
        assert response.redirect_chain[-1][0] == "/inbox/"
        assert "<h1>Inbox</h1>" in response.content.decode()
        return
    assert response.redirect_chain[-1][0] == "/"
    landing = "admin" if role == "platform" else role
    assert f'data-role="{landing}"' in response.content.decode()


def test_the_demo_site_looks_like_a_living_program(db, client, demo_site):
    client.post("/login/", {"username": "supervisor", "password": "divert-demo"})
    summary = client.get("/api/v1/program/summary").json()
    assert summary["enrollments_by_status"]["active"] > 0
    assert summary["enrollments_by_status"]["intake_pending"] > 0
    assert {"arrest_diversion", "social_contact", "community"} <= set(summary["referrals_90_days"])
    assert any(c["open"] > 0 for c in summary["caseloads"])
    client.post("/logout/")
    client.post("/login/", {"username": "prosecutor", "password": "divert-demo"})
    statuses = {h["status"] for h in client.get("/api/v1/charges/holds").json()}
    assert {"holding", "intake_done", "awaiting_decision"} <= statuses


def test_the_demo_officer_and_case_manager_have_real_work(db, client, demo_site):
    from divert.casework.models import Enrollment
    from divert.field.models import Referral
    from divert.staff.models import User

    manager = User.objects.get(username="casemanager")
    assert manager.on_call and manager.phone
    assert Enrollment.objects.filter(case_manager=manager, status="active").exists()
    assert Referral.objects.filter(referred_by__username="officer").exists()
    client.force_login(manager)
    assert client.get("/casework/").content.decode().count("/casework/enrollments/") > 5
