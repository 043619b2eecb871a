import datetime

import pytest
from django.core.exceptions import ValidationError

from divert.casework import lifecycle
from divert.casework.models import Enrollment, StatusChange
from divert.casework.services import enrollment_move
from divert.staff.roles import Role


def test_there_is_no_failed_state():
    assert "failed" not in lifecycle.STATUSES
    assert all("failed" not in targets for targets in lifecycle.TRANSITIONS.values())


def test_active_and_inactive_move_both_ways_and_exited_is_final():
    assert lifecycle.can_move("active", "inactive") and lifecycle.can_move("inactive", "active")
    assert not any(lifecycle.can_move("exited", s) for s in lifecycle.STATUSES)


@pytest.fixture
def fresh(site, participant) -> Enrollment:
    e = participant["enrollment"]
    e.status, e.intake_completed_on = "referred", None
    e.save()
    return e


def test_an_enrollment_walks_the_life_cycle_and_keeps_each_change(site, fresh):
    manager = site["users"][Role.CASE_MANAGER]
    day = fresh.referred_on
    for status in ["intake_pending", "active", "inactive", "active"]:
        enrollment_move(user=manager, enrollment=fresh, to_status=status, on=day)
    fresh = enrollment_move(
        user=manager, enrollment=fresh, to_status="exited", on=day, reason="moved_away"
    )
    assert fresh.intake_completed_on == day
    assert (fresh.status, fresh.exit_reason) == ("exited", "moved_away")
    assert list(
        StatusChange.objects.filter(enrollment=fresh).values_list("to_status", flat=True)
    ) == ["intake_pending", "active", "inactive", "active", "exited"]


def test_a_skipped_step_is_refused_naming_the_field(site, fresh):
    with pytest.raises(ValidationError) as exc:
        enrollment_move(
            user=site["users"][Role.CASE_MANAGER],
            enrollment=fresh,
            to_status="inactive",
            on=fresh.referred_on,
        )
    assert "to_status" in exc.value.message_dict
    fresh.refresh_from_db()
    assert fresh.status == "referred"


def test_an_exit_without_a_reason_is_refused(site, fresh):
    with pytest.raises(ValidationError) as exc:
        enrollment_move(
            user=site["users"][Role.CASE_MANAGER],
            enrollment=fresh,
            to_status="exited",
            on=fresh.referred_on,
        )
    assert "reason" in exc.value.message_dict


def test_a_status_change_dated_before_the_referral_is_refused(site, fresh):
    with pytest.raises(ValidationError) as exc:
        enrollment_move(
            user=site["users"][Role.CASE_MANAGER],
            enrollment=fresh,
            to_status="intake_pending",
            on=fresh.referred_on - datetime.timedelta(days=1),
        )
    assert "on" in exc.value.message_dict
    assert not StatusChange.objects.filter(enrollment=fresh).exists()


def test_an_intake_dated_before_its_referral_fails_validation(participant):
    e = participant["enrollment"]
    e.intake_completed_on = e.referred_on - datetime.timedelta(days=2)
    with pytest.raises(ValidationError) as exc:
        e.full_clean()
    assert "intake_completed_on" in exc.value.message_dict


def test_the_api_answers_an_impossible_move_with_422_naming_the_field(client, site, fresh):
    client.force_login(site["users"][Role.CASE_MANAGER])
    response = client.post(
        f"/api/v1/casework/enrollments/{fresh.pk}/status",
        {"to_status": "exited", "on": fresh.referred_on.isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "reason"
