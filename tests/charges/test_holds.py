import datetime

import pytest
from django.core.exceptions import ValidationError

from divert.casework.services import enrollment_move
from divert.charges.models import ChargeHold
from divert.charges.services import charge_holds_flag_overdue
from divert.staff.roles import Role
from tests.conftest import local_today


@pytest.fixture
def pending(participant):
    """The participant's hold, with intake not yet done and the deadline a week ago."""
    enrollment = participant["enrollment"]
    enrollment.status, enrollment.intake_completed_on = "intake_pending", None
    enrollment.referred_on = local_today() - datetime.timedelta(days=40)
    enrollment.save()
    hold = participant["hold"]
    hold.held_on = enrollment.referred_on
    hold.due_on = local_today() - datetime.timedelta(days=7)
    hold.save()
    return hold


def test_a_deadline_passed_without_intake_flags_the_hold_and_files_nothing(pending):
    assert charge_holds_flag_overdue(today=local_today()) == 1
    pending.refresh_from_db()
    assert pending.status == ChargeHold.Status.AWAITING_DECISION
    assert pending.decided_on is None
    assert charge_holds_flag_overdue(today=local_today()) == 0


def test_a_hold_not_yet_due_stays_holding(pending):
    assert charge_holds_flag_overdue(today=pending.due_on) == 0


def test_completing_intake_clears_the_hold(site, participant, pending):
    enrollment_move(
        user=site["users"][Role.CASE_MANAGER],
        enrollment=participant["enrollment"],
        to_status="active",
        on=local_today(),
    )
    pending.refresh_from_db()
    assert pending.status == ChargeHold.Status.INTAKE_DONE


def test_only_the_prosecutor_decides_and_only_after_the_deadline(client, site, pending):
    path = f"/api/v1/charges/holds/{pending.pk}/decision"
    client.force_login(site["users"][Role.PROSECUTOR])
    early = client.post(path, {"decision": "filed"}, content_type="application/json")
    assert early.status_code == 422 and early.json()["detail"][0]["field"] == "decision"
    charge_holds_flag_overdue(today=local_today())
    client.force_login(site["users"][Role.DEFENDER])
    assert (
        client.post(path, {"decision": "filed"}, content_type="application/json").status_code == 403
    )
    client.force_login(site["users"][Role.PROSECUTOR])
    response = client.post(
        path, {"decision": "declined", "reason": "Engaged since"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["status"] == "declined"


def test_the_queue_shows_due_date_and_intake_and_nothing_else(client, site, pending):
    client.force_login(site["users"][Role.PROSECUTOR])
    [row] = client.get("/api/v1/charges/holds").json()
    assert set(row) == {"id", "person", "held_on", "due_on", "intake_completed", "status"}
    assert row["intake_completed"] is False


def test_a_bad_decision_word_is_refused(site, pending):
    from divert.charges.services import charge_hold_decide

    charge_holds_flag_overdue(today=local_today())
    with pytest.raises(ValidationError):
        charge_hold_decide(
            user=site["users"][Role.PROSECUTOR],
            hold=pending,
            decision="holding",
            on=local_today(),
        )


def test_the_decision_reason_refuses_health_words(client, site, pending):
    charge_holds_flag_overdue(today=local_today())
    client.force_login(site["users"][Role.PROSECUTOR])
    path = f"/api/v1/charges/holds/{pending.pk}/decision"
    reply = client.post(
        path,
        {"decision": "declined", "reason": "He is in treatment"},
        content_type="application/json",
    )
    assert reply.status_code == 422
    [error] = reply.json()["detail"]
    assert error["field"] == "reason" and '"treatment"' in error["message"]
    pending.refresh_from_db()
    assert pending.status == ChargeHold.Status.AWAITING_DECISION
