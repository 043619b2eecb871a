"""A schedule's own HSDS time zone (a UTC offset, which keeps no daylight saving time) decides
"open now"; a schedule without one keeps the site's zone, daylight saving time and all."""

import datetime
import json
from zoneinfo import ZoneInfo

import pytest

from divert.directory.imports import directory_import
from divert.directory.models import Schedule, Service
from divert.staff.roles import Role
from tests.directory.helpers import _hours, _id, _term, directory_document

UTC = datetime.UTC
PACIFIC = ZoneInfo("America/Los_Angeles")


def _load(site) -> None:
    """The site's clinic (09:00-17:00 Pacific, no zone given), a helpline run from an office
    keeping UTC-5 and a night line keeping UTC+5:30, weekdays."""
    document = directory_document(site["orgs"]["community"].name)
    office = _hours("MO,TU,WE,TH,FR", "09:00:00", "17:00:00")
    night = _hours("MO,TU,WE,TH,FR", "09:00:00", "17:00:00")
    document["services"] += [
        {
            "id": _id(),
            "name": "Eastern helpline",
            "status": "active",
            "schedules": [{**office, "timezone": -5}],
            "attributes": [_term("Health")],
        },
        {
            "id": _id(),
            "name": "Mumbai night line",
            "status": "active",
            "schedules": [{**night, "timezone": 5.5}],
            "attributes": [_term("Health")],
        },
    ]
    directory_import(user=None, jurisdiction=site["site"], raw=json.dumps(document))


@pytest.mark.parametrize(
    ("utc", "open_names"),
    [
        # Winter (Pacific is UTC-8). Monday 06:30 Pacific is 09:30 at UTC-5 (and the night
        # shelter, 18:00-08:00 Pacific, is still open).
        ("2027-01-11T14:30", {"Eastern helpline", "Night shelter"}),
        # Monday 08:59 Pacific: the clinic not yet; 11:59 at UTC-5.
        ("2027-01-11T16:59", {"Eastern helpline"}),
        # Monday 09:00 Pacific: the clinic opens in the site's zone.
        ("2027-01-11T17:00", {"Day clinic", "Eastern helpline"}),
        # Monday 14:30 Pacific: 17:30 at UTC-5, the helpline has closed.
        ("2027-01-11T22:30", {"Day clinic"}),
        # Monday 19:00 Pacific: the site's shelter; Tuesday 08:30 at UTC+5:30, not yet.
        ("2027-01-12T03:00", {"Night shelter"}),
        # Monday 20:00 Pacific: Tuesday 09:30 at UTC+5:30.
        ("2027-01-12T04:00", {"Night shelter", "Mumbai night line"}),
        # The last weekday before daylight saving time: Friday 06:30 PST is 09:30 at UTC-5 ...
        ("2027-03-12T14:30", {"Eastern helpline", "Night shelter"}),
        # ... and after it, Monday 06:30 PDT is 08:30 at UTC-5: the fixed offset did not move.
        ("2027-03-15T13:30", {"Night shelter"}),
        # Monday 09:00 PDT: the clinic opens by the site's zone, now UTC-7, and the helpline
        # (11:00 at UTC-5) is open too.
        ("2027-03-15T16:00", {"Day clinic", "Eastern helpline"}),
        # Monday 08:59 PDT: the clinic not yet.
        ("2027-03-15T15:59", {"Eastern helpline"}),
        # Summer: Monday 14:30 PDT is 16:30 at UTC-5 ...
        ("2027-07-12T21:30", {"Day clinic", "Eastern helpline"}),
        # ... and Monday 15:30 PDT is 17:30 there: closed.
        ("2027-07-12T22:30", {"Day clinic"}),
        # Back to standard time: 16:30 UTC is 09:30 PDT on Friday, the clinic open, but 08:30
        # PST on Monday, the clinic not yet; the helpline is at 11:30 both days.
        ("2027-11-05T16:30", {"Day clinic", "Eastern helpline"}),
        ("2027-11-08T16:30", {"Eastern helpline"}),
    ],
)
def test_open_now_reads_each_schedule_in_its_own_zone(client, site, frozen_clock, utc, open_names):
    _load(site)
    frozen_clock.move_to(datetime.datetime.fromisoformat(utc).replace(tzinfo=UTC))
    client.force_login(site["users"][Role.CASE_MANAGER])
    response = client.get("/api/v1/directory/services", {"open_now": "true"})
    assert response.status_code == 200
    assert {s["name"] for s in response.json()} == open_names, datetime.datetime.now(
        PACIFIC
    ).isoformat()


def test_the_offset_is_stored_and_shown(client, site, frozen_clock):
    _load(site)
    helpline = Service.objects.get(name="Eastern helpline")
    assert Schedule.objects.get(service=helpline).utc_offset == -5
    assert Schedule.objects.get(service__name="Day clinic").utc_offset is None
    client.force_login(site["users"][Role.CASE_MANAGER])
    page = client.get(f"/directory/services/{helpline.pk}/").content.decode()
    assert "(UTC−05:00)" in page
    line = Service.objects.get(name="Mumbai night line")
    assert "(UTC+05:30)" in client.get(f"/directory/services/{line.pk}/").content.decode()


@pytest.mark.parametrize("offset", [99, -13, 4.2])
def test_an_impossible_offset_refuses_the_file_naming_its_path(client, site, offset):
    document = directory_document(site["orgs"]["community"].name)
    document["services"][0]["schedules"][0]["timezone"] = offset
    client.force_login(site["users"][Role.PROGRAM_MANAGER])
    response = client.post(
        "/api/v1/directory/hsds", json.dumps(document), content_type="application/json"
    )
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["field"].endswith("services[0].schedules[0].timezone"), error
    assert not Service.objects.exists()


@pytest.mark.parametrize(
    ("opens", "closes", "offset"),
    [
        ("09:00-05:00", "17:00-05:00", -5.0),
        ("14:00Z", "22:00Z", 0.0),
        ("09:00+05:30", "17:00", 5.5),
    ],
)
def test_times_carrying_an_offset_as_hsds_advises_set_the_schedules_clock(
    site, opens, closes, offset
):
    document = directory_document(site["orgs"]["community"].name)
    schedule = document["services"][0]["schedules"][0]
    schedule.update({"opens_at": opens, "closes_at": closes})
    directory_import(user=None, jurisdiction=site["site"], raw=json.dumps(document))
    stored = Schedule.objects.get(hsds_id=schedule["id"])
    assert stored.utc_offset == offset
    assert stored.opens_at == datetime.time.fromisoformat(opens[:5])
    assert stored.closes_at == datetime.time.fromisoformat(closes[:5])


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"opens_at": "09:00-05:00", "closes_at": "17:00-04:00"}, "closes_at"),
        ({"opens_at": "09:00-05:00", "timezone": 2}, "opens_at"),
    ],
)
def test_times_whose_offsets_disagree_refuse_the_file_naming_the_field(client, site, change, field):
    document = directory_document(site["orgs"]["community"].name)
    document["services"][0]["schedules"][0].update(change)
    client.force_login(site["users"][Role.PROGRAM_MANAGER])
    response = client.post(
        "/api/v1/directory/hsds", json.dumps(document), content_type="application/json"
    )
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["field"].endswith(f"services[0].schedules[0].{field}"), error
    assert not Service.objects.exists()
