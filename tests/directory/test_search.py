"""Searching the directory by need, area and "open now" (the site's local time), on the page
and through the API; importing and exporting through the API."""

import datetime
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from divert.audit.models import AuditEntry
from divert.directory.hours import Hours, open_at
from divert.directory.models import Service
from divert.staff.roles import Role
from tests.directory.helpers import load_directory

PACIFIC = ZoneInfo("America/Los_Angeles")
EXAMPLES = Path(__file__).parent / "examples"


def _at(frozen_clock, weekday: int, hour: int, minute: int = 0) -> None:
    """Move the clock to the coming `weekday` (0 Monday) at `hour`, Pacific time."""
    now = datetime.datetime.now(PACIFIC)
    day = now.date() + datetime.timedelta(days=(weekday - now.weekday()) % 7 + 7)
    frozen_clock.move_to(datetime.datetime.combine(day, datetime.time(hour, minute), PACIFIC))


def _names(response) -> set[str]:
    return {s["name"] for s in response.json()}


@pytest.mark.parametrize(
    ("weekday", "hour", "open_names"),
    [
        (0, 10, {"Day clinic"}),  # Monday morning
        (0, 23, {"Night shelter"}),  # Monday night
        (1, 3, {"Night shelter"}),  # the small hours: still Monday's night
        (5, 10, set()),  # Saturday morning: the clinic is shut
        (4, 17, set()),  # Friday 17:00: the clinic has just closed
        (4, 18, {"Night shelter"}),
    ],
)
def test_open_now_follows_the_sites_local_hours(
    client, site, frozen_clock, weekday, hour, open_names
):
    load_directory(site)
    _at(frozen_clock, weekday, hour)
    client.force_login(site["users"][Role.CASE_MANAGER])
    response = client.get("/api/v1/directory/services", {"open_now": "true"})
    assert response.status_code == 200
    assert _names(response) == open_names


def test_search_by_need_and_area(client, site):
    load_directory(site)
    client.force_login(site["users"][Role.CASE_MANAGER])
    assert _names(client.get("/api/v1/directory/services", {"need": "Housing"})) == {
        "Night shelter"
    }
    assert _names(client.get("/api/v1/directory/services", {"need": "health"})) == {"Day clinic"}
    # The shelter serves the Harbor area; the clinic has a location in Harbor.
    assert _names(client.get("/api/v1/directory/services", {"area": "harbor"})) == {
        "Night shelter",
        "Day clinic",
    }
    assert _names(client.get("/api/v1/directory/services", {"area": "Uptown"})) == set()


def test_the_page_searches_and_shows_a_service(client, site, frozen_clock):
    load_directory(site)
    _at(frozen_clock, 2, 12)
    client.force_login(site["users"][Role.CASE_MANAGER])
    page = client.get("/directory/", {"need": "Housing"}).content.decode()
    assert "Night shelter" in page and "Day clinic" not in page
    page = client.get("/directory/", {"open": "1"}).content.decode()
    assert "Day clinic" in page and "Night shelter" not in page
    service = Service.objects.get(name="Night shelter")
    page = client.get(f"/directory/services/{service.pk}/").content.decode()
    assert "Spanish" in page and "Adults" in page


@pytest.mark.parametrize("role", [Role.OFFICER, Role.PROSECUTOR, Role.DEFENDER, Role.PARTNER])
def test_enforcement_and_partners_do_not_browse_the_directory(client, site, role):
    load_directory(site)
    service = Service.objects.get(name="Night shelter")
    client.force_login(site["users"][role])
    assert client.get("/directory/").status_code == 403
    assert client.get(f"/directory/services/{service.pk}/").status_code == 403
    assert client.get("/api/v1/directory/services").status_code == 403
    assert client.get("/api/v1/directory/hsds").status_code == 403
    body = (EXAMPLES / "service_full.json").read_text()
    response = client.post("/api/v1/directory/hsds", body, content_type="application/json")
    assert response.status_code == 403
    assert not Service.objects.filter(name="Community Counselling").exists()


def test_the_program_manager_imports_and_exports_through_the_api(client, site):
    client.force_login(site["users"][Role.PROGRAM_MANAGER])
    original = json.loads((EXAMPLES / "organization_full.json").read_text())
    response = client.post(
        "/api/v1/directory/hsds", json.dumps(original), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["counts"]["organizations"] == 1
    exported = client.get(
        "/api/v1/directory/hsds", {"kind": "organization", "id": original["id"]}
    ).json()
    assert exported == original
    assert AuditEntry.objects.filter(kind="directory", action="export").exists()
    assert (
        client.get("/api/v1/directory/hsds", {"kind": "organization", "id": "x"}).status_code == 404
    )


def test_a_bad_upload_answers_422_naming_each_json_path(client, site):
    client.force_login(site["users"][Role.PROGRAM_MANAGER])
    doc = json.loads((EXAMPLES / "service_full.json").read_text())
    doc["status"] = "maybe"
    doc["phones"][0]["number"] = 5
    response = client.post(
        "/api/v1/directory/hsds", json.dumps(doc), content_type="application/json"
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["detail"]}
    assert fields == {"$.status", "$.phones[0].number"}
    assert not Service.objects.exists()
    assert AuditEntry.objects.filter(kind="directory", outcome="failure").exists()


def test_hours_past_midnight_belong_to_the_day_they_opened():
    hours = Hours("FR", datetime.time(22), datetime.time(2))
    friday = datetime.datetime(2026, 3, 6, 23, 0)
    assert open_at(hours, friday)
    assert open_at(hours, friday + datetime.timedelta(hours=2, minutes=59))  # Saturday 01:59
    assert not open_at(hours, friday + datetime.timedelta(hours=3))
    assert not open_at(hours, friday - datetime.timedelta(days=1))  # Thursday 23:00
    assert not open_at(Hours("", None, None), friday)
