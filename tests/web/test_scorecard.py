"""The scorecard pages: the dashboard for staff who may read aggregates, the public page for
anyone, every count from 1 to 10 shown as <11, no person on either."""

import pytest
from django.core.cache import caches

from divert.audit.models import AuditEntry
from divert.jurisdictions.models import Area
from divert.staff.roles import Role


@pytest.fixture(autouse=True)
def _fresh_cache(db):
    caches["dashboard"].clear()
    yield
    caches["dashboard"].clear()


def test_the_program_manager_sees_the_scorecard_with_small_counts_hidden(client, site, participant):
    client.force_login(site["users"][Role.PROGRAM_MANAGER])
    before = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    page = client.get("/program/scorecard/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Reorient the response to disorder" in text and "Fidelity to the LEAD model" in text
    assert "&lt;11" in text  # one participant: every count of them is hidden
    assert "Jones" not in text and "Missed diversions to review" not in text
    assert "Not estimable: no meeting records" in text
    # An aggregate page, like the program summary: nothing about a person read, no entry.
    assert not AuditEntry.objects.filter(id__gt=before or 0).exists()


@pytest.mark.parametrize("role", [Role.OFFICER, Role.CASE_MANAGER, Role.PROSECUTOR, Role.PARTNER])
def test_roles_without_aggregates_are_refused(client, site, role):
    client.force_login(site["users"][role])
    assert client.get("/program/scorecard/").status_code == 403


def test_supervisors_get_the_missed_diversion_list(client, site, participant):
    client.force_login(site["users"][Role.SUPERVISOR])
    page = client.get("/program/scorecard/")
    assert page.status_code == 200 and "Missed diversions to review" in page.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "start=garbage&end=2026-99-01&area=abc",
        "start=2026-05-01&end=2026-01-01",
        "start=0001-01-01",
        "area=999999999999999999999",
        "area=1%00&start=%00",
        "start[]=1&area=-1",
    ],
)
def test_hostile_filters_are_refused_on_the_form(client, site, participant, query):
    client.force_login(site["users"][Role.PROGRAM_MANAGER])
    page = client.get(f"/program/scorecard/?{query}")
    assert page.status_code in (200, 400)
    assert b"Traceback" not in page.content


def test_another_sites_area_is_not_offered_or_used(client, site, other_site, participant):
    far = Area.objects.create(jurisdiction=other_site["site"], name="Faraway")
    client.force_login(site["users"][Role.PROGRAM_MANAGER])
    page = client.get(f"/program/scorecard/?area={far.pk}")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Faraway" not in text and "Select a valid choice" in text


def test_the_public_page_needs_no_login_and_shows_no_person(client, site, participant):
    page = client.get(f"/public/{site['site'].slug}/?area=1&start=x&officer_id=1")
    assert page.status_code == 200
    text = page.content.decode()
    assert "&lt;11" in text and "Jones" not in text and "By officer" not in text
    assert "Reorient the response to disorder" in text


def test_the_public_page_of_an_unknown_site_is_not_found(client, db):
    assert client.get("/public/nowhere/").status_code == 404
    assert client.get("/public/..%2F..%2Fetc/").status_code == 404
