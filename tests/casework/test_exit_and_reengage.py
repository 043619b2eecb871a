import datetime

import pytest
from django.core.exceptions import ValidationError

from divert.casework import lifecycle
from divert.casework.exits import exit_reasons_for
from divert.casework.models import Enrollment, StatusChange
from divert.casework.services import enrollment_move
from divert.casework.status import enrollment_intake, enrollment_reengage, status_change_undo
from divert.field.policies import policy_load
from divert.people.models import Person
from divert.staff.roles import Role
from tests.conftest import local_today
from tests.field.conftest import POLICIES

TODAY = local_today


def _active(site, referred, days_ago=2):
    day = TODAY() - datetime.timedelta(days=days_ago)
    return enrollment_intake(user=site["users"][Role.CASE_MANAGER], enrollment=referred, on=day)


def _exit(site, enrollment, reason="moved_away", on=None):
    return enrollment_move(
        user=site["users"][Role.CASE_MANAGER],
        enrollment=enrollment,
        to_status="exited",
        on=on or TODAY(),
        reason=reason,
    )


def test_the_default_exit_reasons_hold_no_failure():
    assert not any(
        word in code for code in lifecycle.EXIT_REASONS for word in ("fail", "compliant")
    )


def test_a_site_adds_its_own_exit_reason_from_its_policy(site, referred):
    assert "committee_termination" not in exit_reasons_for(site["site"])
    policy_load(jurisdiction=site["site"], text=(POLICIES / "santa-fe.toml").read_text())
    reasons = exit_reasons_for(site["site"])
    assert list(reasons)[: len(lifecycle.EXIT_REASONS)] == list(lifecycle.EXIT_REASONS)
    assert "committee" in reasons["committee_termination"].lower()
    enrollment = _exit(site, _active(site, referred), reason="committee_termination")
    assert enrollment.exit_reason == "committee_termination"


def test_another_sites_reason_is_refused(site, other_site, referred):
    policy_load(jurisdiction=other_site["site"], text=(POLICIES / "santa-fe.toml").read_text())
    with pytest.raises(ValidationError) as exc:
        _exit(site, _active(site, referred), reason="committee_termination")
    assert "reason" in exc.value.message_dict


def test_an_exit_before_the_intake_is_refused(site, referred):
    enrollment = _active(site, referred, days_ago=1)
    with pytest.raises(ValidationError) as exc:
        _exit(site, enrollment, on=TODAY() - datetime.timedelta(days=2))
    assert "on" in exc.value.message_dict
    enrollment.refresh_from_db()
    assert enrollment.status == "active" and enrollment.exited_on is None


def test_undo_puts_back_the_previous_status_and_keeps_the_mistake_in_history(site, referred):
    manager = site["users"][Role.CASE_MANAGER]
    enrollment = _exit(site, _active(site, referred))
    enrollment = status_change_undo(user=manager, enrollment=enrollment, reason="wrong person")
    assert enrollment.status == "active"
    assert (enrollment.exited_on, enrollment.exit_reason) == (None, "")
    last = StatusChange.objects.filter(enrollment=enrollment).last()
    assert (last.from_status, last.to_status) == ("exited", "active")
    assert last.reason == "undo: wrong person" and last.undoes.to_status == "exited"
    assert last.changed_by == manager
    assert StatusChange.objects.filter(enrollment=enrollment, to_status="exited").exists()
    history = enrollment.history.values_list("status", flat=True)
    assert "exited" in history


def test_an_undo_needs_a_reason_and_cannot_itself_be_undone(site, referred):
    manager = site["users"][Role.CASE_MANAGER]
    enrollment = _active(site, referred)
    with pytest.raises(ValidationError) as exc:
        status_change_undo(user=manager, enrollment=enrollment, reason="  ")
    assert "reason" in exc.value.message_dict
    enrollment = status_change_undo(user=manager, enrollment=enrollment, reason="not yet")
    assert enrollment.status == "intake_pending" and enrollment.intake_completed_on is None
    with pytest.raises(ValidationError):
        status_change_undo(user=manager, enrollment=enrollment, reason="again")


def test_a_returning_person_re_engages_in_a_new_linked_enrollment(site, referred):
    manager = site["users"][Role.CASE_MANAGER]
    old = _exit(site, _active(site, referred, days_ago=3), on=TODAY() - datetime.timedelta(days=1))
    new = enrollment_reengage(user=manager, previous=old, on=TODAY())
    assert (new.previous, new.person, new.case_manager) == (old, old.person, manager)
    assert new.status == "referred" and new.referred_on == TODAY()
    assert Enrollment.objects.filter(person=old.person).count() == 2
    old.refresh_from_db()
    assert old.status == "exited" and old.next == new
    with pytest.raises(ValidationError):
        enrollment_reengage(user=manager, previous=old, on=TODAY())
    with pytest.raises(ValidationError) as exc:
        status_change_undo(user=manager, enrollment=old, reason="oops")
    assert "open enrollment" in exc.value.message_dict["reason"][0]


def test_re_engagement_respects_the_cap(site, referred):
    old = _exit(site, _active(site, referred))
    other = Person.objects.create(jurisdiction=site["site"], first_name="Ann", last_name="Lee")
    Enrollment.objects.create(
        jurisdiction=site["site"],
        person=other,
        case_manager=site["users"][Role.CASE_MANAGER],
        referred_on=TODAY(),
    )
    site["site"].caseload_target = site["site"].caseload_cap = 1
    site["site"].save()
    with pytest.raises(ValidationError) as exc:
        enrollment_reengage(user=site["users"][Role.CASE_MANAGER], previous=old, on=TODAY())
    assert "case_manager_id" in exc.value.message_dict
    assert not Enrollment.objects.filter(previous=old).exists()


def test_re_engagement_of_an_open_enrollment_is_refused(site, referred):
    with pytest.raises(ValidationError) as exc:
        enrollment_reengage(user=site["users"][Role.CASE_MANAGER], previous=referred, on=TODAY())
    assert "previous" in exc.value.message_dict


def test_the_status_page_exits_undoes_and_re_engages(client, site, referred):
    _active(site, referred)
    client.force_login(site["users"][Role.CASE_MANAGER])
    url = f"/casework/enrollments/{referred.pk}/status/"
    page = client.get(url)
    assert b"Moved away" in page.content and b"Record exit" in page.content
    bad = client.post(url, {"action": "exit", "on": TODAY().isoformat(), "reason": "failed"})
    assert bad.status_code == 422 and b"errorlist" in bad.content
    client.post(url, {"action": "exit", "on": TODAY().isoformat(), "reason": "chose_to_leave"})
    referred.refresh_from_db()
    assert referred.status == "exited"
    client.post(url, {"action": "undo", "reason": "she stayed"})
    referred.refresh_from_db()
    assert referred.status == "active"
    client.post(url, {"action": "exit", "on": TODAY().isoformat(), "reason": "moved_away"})
    response = client.post(url, {"action": "reengage", "on": TODAY().isoformat()}, follow=True)
    new = Enrollment.objects.get(previous=referred)
    assert response.redirect_chain[-1][0] == f"/casework/enrollments/{new.pk}/status/"


def test_the_api_re_engages_undoes_and_lists_exit_reasons(client, site, referred):
    old = _exit(site, _active(site, referred))
    client.force_login(site["users"][Role.CASE_MANAGER])
    reasons = client.get("/api/v1/casework/exit-reasons").json()
    assert [r["code"] for r in reasons] == list(lifecycle.EXIT_REASONS)
    future = (TODAY() + datetime.timedelta(days=1)).isoformat()
    url = f"/api/v1/casework/enrollments/{old.pk}/reengage"
    bad = client.post(url, {"on": future}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "on"
    made = client.post(url, {"on": TODAY().isoformat()}, content_type="application/json")
    assert made.status_code == 201 and made.json()["previous_id"] == old.pk
    undo = client.post(
        f"/api/v1/casework/enrollments/{made.json()['id']}/undo",
        {"reason": "x"},
        content_type="application/json",
    )
    assert undo.status_code == 422  # a fresh enrollment has no move to undo


@pytest.mark.parametrize("role", [Role.OFFICER, Role.PROSECUTOR])
def test_enforcement_gets_403_on_the_status_page_and_endpoints(client, site, referred, role):
    client.force_login(site["users"][role])
    assert client.get(f"/casework/enrollments/{referred.pk}/status/").status_code == 403
    for action, body in [("undo", {"reason": "x"}), ("reengage", {"on": TODAY().isoformat()})]:
        response = client.post(
            f"/api/v1/casework/enrollments/{referred.pk}/{action}",
            body,
            content_type="application/json",
        )
        assert response.status_code == 403
    assert client.get("/api/v1/casework/exit-reasons").status_code == 403
