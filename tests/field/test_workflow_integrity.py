"""The referral workflow keeps its invariants whichever way it is driven, twice or by the wrong role."""

import uuid

import pytest
from django.db import IntegrityError

from divert.casework.models import Enrollment
from divert.charges.models import ChargeHold
from divert.field import diversion
from divert.field.models import Referral, Screening
from divert.people.models import Person
from divert.records.models import JusticeEvent
from divert.staff.roles import Role
from tests.conftest import local_today
from tests.field.conftest import POSSESSION


def _screen(officer, person):
    case = {**POSSESSION, "date": local_today().isoformat()}
    return diversion.screening_run(user=officer, case=case, person=person)


@pytest.fixture
def ann(site):
    return Person.objects.create(jurisdiction=site["site"], first_name="Ann", last_name="Lee")


def test_an_enrolled_person_diverted_again_goes_to_their_own_case_manager(
    site, seattle, officer, on_call, ann
):
    first = diversion.diversion_create(
        user=officer, screening=_screen(officer, ann), pathway="arrest_diversion"
    )
    enrollment = first.enrollment
    enrollment.status, enrollment.intake_completed_on = "active", local_today()
    enrollment.save()
    again = diversion.diversion_create(
        user=officer, screening=_screen(officer, ann), pathway="arrest_diversion"
    )
    assert Enrollment.objects.filter(person=ann).count() == 1
    assert again.routed_to == enrollment and again.case_manager == on_call
    assert not again.capacity_refused
    # The prosecutor still sees the new diverted charge, with intake already done.
    assert ChargeHold.objects.get(referral=again).status == ChargeHold.Status.INTAKE_DONE


def test_the_database_refuses_a_second_open_enrollment(site, ann):
    Enrollment.objects.create(
        jurisdiction=site["site"], person=ann, status="active", referred_on=local_today()
    )
    with pytest.raises(IntegrityError):
        Enrollment.objects.create(
            jurisdiction=site["site"], person=ann, status="referred", referred_on=local_today()
        )


def test_a_double_submitted_diversion_page_gives_the_one_referral(
    client, site, seattle, officer, on_call, ann
):
    screening = _screen(officer, ann)
    client.force_login(officer)
    path = f"/field/screenings/{screening.pk}/divert/"
    first = client.post(path, {"pathway": "arrest_diversion"})
    second = client.post(path, {"pathway": "arrest_diversion"})
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Referral.objects.count() == 1 and Enrollment.objects.count() == 1


def test_a_partners_resent_api_referral_makes_one_person_and_one_enrollment(
    client, site, seattle_2020, on_call
):
    client.force_login(site["users"][Role.PARTNER])
    key = str(uuid.uuid4())
    payload = {"first_name": "Kim", "last_name": "Park"}
    answers = [
        client.post(
            "/api/v1/field/community-referrals",
            payload,
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=key,
        )
        for _ in range(2)
    ]
    assert [a.status_code for a in answers] == [201, 201]
    assert answers[0].json() == answers[1].json()
    assert Person.objects.filter(last_name="Park").count() == 1
    assert Enrollment.objects.count() == 1


def test_a_partners_double_submitted_page_makes_one_enrollment(client, site, seattle_2020, on_call):
    client.force_login(site["users"][Role.PARTNER])
    form = client.get("/field/community/new/").content.decode()
    request_id = form.split('name="request_id" value="')[1].split('"')[0]
    data = {"first_name": "Kim", "last_name": "Park", "request_id": request_id}
    client.post("/field/community/new/", data)
    client.post("/field/community/new/", data)
    assert Referral.objects.count() == 1 and Enrollment.objects.count() == 1


def test_an_idempotency_key_that_is_not_a_token_is_refused_naming_the_header(
    client, site, seattle_2020, on_call
):
    client.force_login(site["users"][Role.PARTNER])
    response = client.post(
        "/api/v1/field/community-referrals",
        {"first_name": "Kim", "last_name": "Park"},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="x" * 65,
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "Idempotency-Key"


def test_a_partner_cannot_learn_a_persons_name_by_referring_them_by_id(
    client, site, seattle_2020, on_call, participant
):
    client.force_login(site["users"][Role.PARTNER])
    response = client.post(
        "/api/v1/field/community-referrals",
        {"person_id": participant["person"].pk},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "Jones" not in response.content.decode()
    assert not Referral.objects.filter(pathway="community").exists()


def test_a_case_manager_refers_a_known_person_through_the_same_workflow(
    client, site, seattle_2020, on_call, ann
):
    client.force_login(site["users"][Role.CASE_MANAGER])
    response = client.post(
        "/api/v1/field/community-referrals",
        {"person_id": ann.pk},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert Enrollment.objects.get(person=ann).case_manager == on_call


def test_the_plain_referral_endpoint_is_gone(client, site, participant):
    client.force_login(site["users"][Role.CASE_MANAGER])
    response = client.post(
        "/api/v1/field/referrals",
        {"person_id": participant["person"].pk, "pathway": "arrest_diversion"},
        content_type="application/json",
    )
    assert response.status_code == 405
    assert Referral.objects.count() == 1  # the participant's own


def test_a_status_change_dated_in_the_future_is_refused(client, site, participant):
    client.force_login(site["users"][Role.CASE_MANAGER])
    response = client.post(
        f"/api/v1/casework/enrollments/{participant['enrollment'].pk}/status",
        {"to_status": "inactive", "on": "2027-12-31"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "on"
    participant["enrollment"].refresh_from_db()
    assert participant["enrollment"].status == "active"


def test_an_untouched_screening_form_screens_nothing(client, site, seattle, officer, ann):
    client.force_login(officer)
    untouched = {"nibrs": "", "activity": "", "drug": "", "grams": "", "amenable": "", "area": ""}
    response = client.post(f"/field/people/{ann.pk}/screen/", untouched)
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not Screening.objects.exists()


def _with_conviction(site, person):
    JusticeEvent.objects.create(
        jurisdiction=site["site"],
        person=person,
        source_system="court",
        source_person_id="C1",
        source_event_id="D1",
        kind="disposition",
        nibrs="120",
        disposition="Guilty",
        occurred_on=local_today().replace(year=local_today().year - 3),
    )


def test_the_officer_learns_a_history_rule_fired_but_not_the_conviction(
    client, site, seattle, officer, ann
):
    _with_conviction(site, ann)
    screening = _screen(officer, ann)
    assert "120" in str(screening.decision)  # kept for those allowed to read records
    client.force_login(officer)
    page = client.get(f"/field/screenings/{screening.pk}/").content.decode()
    assert "Not eligible" in page
    assert "120" not in page and "Robbery" not in page
    api = client.post(
        f"/api/v1/screen?person_id={ann.pk}",
        {**POSSESSION, "date": local_today().isoformat()},
        content_type="application/json",
    ).json()
    history = [r for r in api["reasons"] if r["rule"].startswith("history.")]
    assert history and all("120" not in r["message"] for r in history)
