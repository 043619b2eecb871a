"""The officer's path through the pages: find, screen, divert, hand off."""

import datetime

import pytest

from divert.field.models import Encounter, Referral, Screening
from divert.people.models import Person, PersonName
from tests.conftest import local_today


@pytest.fixture
def robert(site):
    person = Person.objects.create(
        jurisdiction=site["site"],
        first_name="Robert",
        last_name="Smith",
        date_of_birth=datetime.date(1984, 2, 29),
    )
    PersonName.objects.create(person=person, first_name="Bobby", last_name="Tables")
    return person


@pytest.mark.parametrize("query", ["Bob Smith", "Smith Robert", "Robrt Smith", "bobby tables"])
def test_search_is_fuzzy_on_names_nicknames_swaps_and_aliases(client, officer, robert, query):
    client.force_login(officer)
    html = client.get("/field/lookup/", {"q": query}).content.decode()
    assert "Robert Smith" in html and "Not enrolled" in html


def test_a_date_of_birth_ranks_the_right_person_first(client, officer, robert, site):
    Person.objects.create(
        jurisdiction=site["site"],
        first_name="Robert",
        last_name="Smith",
        date_of_birth=datetime.date(1990, 1, 1),
    )
    client.force_login(officer)
    html = client.get("/field/lookup/", {"q": "robert smith", "dob": "1984-02-29"}).content.decode()
    assert html.index("born 1984") < html.index("born 1990")


def test_search_never_reaches_into_another_jurisdiction(client, other_site, robert):
    from divert.staff.roles import Role

    client.force_login(other_site["users"][Role.OFFICER])
    assert (
        "Robert Smith" not in client.get("/field/lookup/", {"q": "robert smith"}).content.decode()
    )


def test_an_officer_screens_diverts_and_hands_off(client, officer, robert, seattle, on_call, site):
    from divert.jurisdictions.models import Area

    area = Area.objects.create(jurisdiction=site["site"], name="West")
    client.force_login(officer)
    response = client.post(
        f"/field/people/{robert.pk}/screen/",
        {
            "nibrs": "35A",
            "activity": "possess",
            "drug": "heroin",
            "grams": "2.5",
            "area": area.pk,
            "location": "3rd & Pine",
        },
    )
    screening = Screening.objects.get()
    assert (
        response.status_code == 302 and response["Location"] == f"/field/screenings/{screening.pk}/"
    )
    page = client.get(response["Location"]).content.decode()
    assert "Eligible for LEAD" in page and 'value="arrest_diversion"' in page

    response = client.post(
        f"/field/screenings/{screening.pk}/divert/", {"pathway": "arrest_diversion"}
    )
    referral = Referral.objects.get()
    assert response["Location"] == f"/field/referrals/{referral.pk}/handoff/"
    page = client.get(response["Location"]).content.decode()
    assert "has been notified" in page and on_call.phone in page
    assert referral.encounter.area == area and referral.encounter.location == "3rd & Pine"

    client.post(f"/field/referrals/{referral.pk}/handoff/")
    referral.refresh_from_db()
    assert referral.handed_off_at is not None


def test_an_ineligible_case_shows_its_reasons_and_records_the_outcome(
    client, officer, robert, seattle
):
    client.force_login(officer)
    client.post(
        f"/field/people/{robert.pk}/screen/",
        {"nibrs": "35A", "activity": "sale_for_profit", "drug": "cocaine", "grams": "12"},
    )
    screening = Screening.objects.get()
    page = client.get(f"/field/screenings/{screening.pk}/").content.decode()
    assert "Not eligible" in page and "drug.grams_over_limit" in page
    assert 'name="pathway"' not in page
    response = client.post(
        f"/field/screenings/{screening.pk}/close/",
        {"outcome": "booked", "reason": "over 3 g, sale"},
    )
    assert response.status_code == 200
    encounter = Encounter.objects.get()
    assert (encounter.outcome, encounter.outcome_reason) == ("booked", "over 3 g, sale")


def test_a_bad_grams_value_is_shown_next_to_the_field(client, officer, robert, seattle):
    client.force_login(officer)
    response = client.post(
        f"/field/people/{robert.pk}/screen/", {"nibrs": "35A", "activity": "possess", "grams": "-2"}
    )
    assert response.status_code == 200
    assert "Grams:" in response.content.decode()
    assert not Screening.objects.exists()


def test_an_officer_adds_a_person_who_is_not_found(client, officer, seattle):
    client.force_login(officer)
    response = client.post(
        "/field/people/new/",
        {"first_name": "Dee", "last_name": "Novo", "date_of_birth": "1991-04-05"},
    )
    person = Person.objects.get(last_name="Novo")
    assert response["Location"] == f"/field/people/{person.pk}/screen/"


def test_a_future_birth_date_is_refused_on_the_add_page(client, officer, seattle):
    client.force_login(officer)
    tomorrow = (local_today() + datetime.timedelta(days=1)).isoformat()
    response = client.post(
        "/field/people/new/", {"first_name": "Dee", "last_name": "Novo", "date_of_birth": tomorrow}
    )
    assert response.status_code == 200 and "cannot be in the future" in response.content.decode()
    assert not Person.objects.exists()


def test_someone_elses_screening_is_not_shown(client, site, officer, robert, seattle):
    from divert.field import diversion
    from divert.staff.models import User

    screening = diversion.screening_run(
        user=officer, case={"date": "2026-03-14", "offenses": []}, person=robert
    )
    other = User.objects.create_user(
        username="o2",
        password="pw-for-tests-only",
        organization=officer.organization,
        roles=["officer"],
    )
    client.force_login(other)
    assert client.get(f"/field/screenings/{screening.pk}/").status_code == 403
