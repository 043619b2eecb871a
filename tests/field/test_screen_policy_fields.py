"""The screen form and the API carry the facts the site policies read: time of day (green-light
shifts), property value, protective orders and the officer's amenability judgment."""

import datetime

import pytest

from divert.field.models import Screening
from divert.people.models import Person


@pytest.fixture
def robert(site):
    return Person.objects.create(
        jurisdiction=site["site"],
        first_name="Robert",
        last_name="Smith",
        date_of_birth=datetime.date(1984, 2, 29),
    )


def _next(weekday: int) -> str:
    """A date in the past with the given weekday (Monday 0), so the case date is valid."""
    day = datetime.date(2026, 3, 2)  # a Monday
    return (day + datetime.timedelta(days=weekday)).isoformat()


def test_the_form_passes_time_value_and_amenability_to_the_screen(client, officer, robert, seattle):
    client.force_login(officer)
    response = client.post(
        f"/field/people/{robert.pk}/screen/",
        {
            "nibrs": "35A",
            "activity": "possess",
            "drug": "heroin",
            "grams": "1",
            "value": "12.50",
            "time": "23:30",
            "amenable": "no",
            "flags": ["restraining_order", "order_protects_participant"],
        },
    )
    assert response.status_code == 302
    case = Screening.objects.get().case
    assert case["time"] == "23:30" and case["amenable"] is False
    assert case["offenses"][0]["value"] == 12.5
    assert {"restraining_order", "order_protects_participant"} <= set(case["flags"])


def test_the_api_screens_a_red_light_shift_under_seattle_2011(client, officer, seattle):
    client.force_login(officer)
    case = {
        "date": _next(5),  # a Saturday
        "time": "10:00",
        "person": {"date_of_birth": "1984-02-29"},
        "offenses": [{"nibrs": "35A", "activity": "possess", "drug": "heroin", "grams": 1.0}],
        "amenable": True,
    }
    body = client.post("/api/v1/screen", case, content_type="application/json").json()
    assert body["eligible"] is False
    assert "window.red_light" in {r["rule"] for r in body["reasons"]}
    body = client.post(
        "/api/v1/screen", {**case, "date": _next(1)}, content_type="application/json"
    ).json()
    assert body["eligible"] is True


def test_the_api_refuses_an_impossible_time_naming_the_field(client, officer, seattle):
    client.force_login(officer)
    case = {"date": _next(1), "time": "25:61", "person": {"date_of_birth": "1984"}}
    response = client.post("/api/v1/screen", case, content_type="application/json")
    assert response.status_code == 422
    assert "time" in {e["field"] for e in response.json()["detail"]}
