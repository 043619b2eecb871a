import datetime

import pytest
from django.core.exceptions import ValidationError

from divert.casework.models import StatusChange
from divert.casework.status import enrollment_intake
from divert.charges.models import ChargeHold
from divert.staff.roles import Role
from tests.conftest import local_today


def test_intake_moves_a_hand_off_to_active_in_one_step_and_clears_the_hold(
    site, participant, referred
):
    day = local_today() - datetime.timedelta(days=1)
    enrollment = enrollment_intake(
        user=site["users"][Role.CASE_MANAGER], enrollment=referred, on=day
    )
    assert (enrollment.status, enrollment.intake_completed_on) == ("active", day)
    steps = StatusChange.objects.filter(enrollment=referred)
    assert [(c.from_status, c.to_status, c.changed_on) for c in steps] == [
        ("referred", "intake_pending", day),
        ("intake_pending", "active", day),
    ]
    participant["hold"].refresh_from_db()
    assert participant["hold"].status == ChargeHold.Status.INTAKE_DONE


def test_intake_from_intake_pending_takes_the_one_remaining_step(site, referred):
    referred.status = "intake_pending"
    referred.save()
    enrollment_intake(user=site["users"][Role.CASE_MANAGER], enrollment=referred, on=local_today())
    assert list(StatusChange.objects.values_list("to_status", flat=True)) == ["active"]


@pytest.mark.parametrize("days", [1, -4], ids=["tomorrow", "before-the-referral"])
def test_an_intake_dated_tomorrow_or_before_the_referral_is_refused_and_nothing_moves(
    site, participant, referred, days
):
    with pytest.raises(ValidationError) as exc:
        enrollment_intake(
            user=site["users"][Role.CASE_MANAGER],
            enrollment=referred,
            on=local_today() + datetime.timedelta(days=days),
        )
    assert list(exc.value.message_dict) == ["on"]
    referred.refresh_from_db()
    assert referred.status == "referred" and referred.intake_completed_on is None
    assert not StatusChange.objects.exists()
    participant["hold"].refresh_from_db()
    assert participant["hold"].status == ChargeHold.Status.HOLDING


def test_a_second_intake_is_refused(site, referred):
    manager = site["users"][Role.CASE_MANAGER]
    enrollment_intake(user=manager, enrollment=referred, on=local_today())
    with pytest.raises(ValidationError) as exc:
        enrollment_intake(user=manager, enrollment=referred, on=local_today())
    assert "done already" in exc.value.message_dict["on"][0]


def test_the_intake_page_records_intake_and_shows_the_status(client, site, referred):
    client.force_login(site["users"][Role.CASE_MANAGER])
    url = f"/casework/enrollments/{referred.pk}/intake/"
    page = client.get(url)
    assert page.status_code == 200 and local_today().isoformat().encode() in page.content
    response = client.post(url, {"on": local_today().isoformat()}, follow=True)
    assert response.redirect_chain[-1][0] == f"/casework/enrollments/{referred.pk}/status/"
    assert b"Active" in response.content
    referred.refresh_from_db()
    assert referred.status == "active"


def test_the_intake_page_names_the_field_of_a_future_date(client, site, referred):
    client.force_login(site["users"][Role.CASE_MANAGER])
    tomorrow = local_today() + datetime.timedelta(days=1)
    response = client.post(
        f"/casework/enrollments/{referred.pk}/intake/", {"on": tomorrow.isoformat()}
    )
    assert response.status_code == 422
    assert b'class="errorlist"' in response.content and b"future" in response.content
    referred.refresh_from_db()
    assert referred.status == "referred"


def test_the_api_records_intake_and_refuses_a_future_date_with_422(client, site, referred):
    client.force_login(site["users"][Role.CASE_MANAGER])
    url = f"/api/v1/casework/enrollments/{referred.pk}/intake"
    tomorrow = local_today() + datetime.timedelta(days=1)
    bad = client.post(url, {"on": tomorrow.isoformat()}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "on"
    good = client.post(url, {"on": local_today().isoformat()}, content_type="application/json")
    assert good.status_code == 200
    assert good.json()["status"] == "active"
    assert good.json()["intake_completed_on"] == local_today().isoformat()


@pytest.mark.parametrize("role", [Role.OFFICER, Role.PROSECUTOR, Role.DEFENDER, Role.PARTNER])
def test_enforcement_and_partners_cannot_record_intake(client, site, referred, role):
    client.force_login(site["users"][role])
    assert client.get(f"/casework/enrollments/{referred.pk}/intake/").status_code == 403
    response = client.post(
        f"/api/v1/casework/enrollments/{referred.pk}/intake",
        {"on": local_today().isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 403
    referred.refresh_from_db()
    assert referred.status == "referred"
