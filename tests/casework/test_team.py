"""The supervisor's team view and reassignment: caps hold, a reason is kept, all audited."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from divert.audit.models import AuditEntry
from divert.casework.assignment import enrollment_reassign
from divert.casework.models import Enrollment
from divert.staff.models import User
from divert.staff.roles import Role
from tests.casework.helpers import enroll
from tests.conftest import token_for


def case_manager(site, name: str) -> User:
    return User.objects.create_user(
        username=name,
        first_name=name.capitalize(),
        organization=site["orgs"]["case_management"],
        roles=["case_manager"],
    )


def fill(site, manager, n: int) -> None:
    for i in range(n):
        enroll(site, f"Held{i} {manager.username.capitalize()}", manager=manager)


def test_the_team_view_shows_each_load_against_target_and_cap(client, site):
    busy, full = case_manager(site, "busy"), case_manager(site, "full")
    fill(site, busy, 21)
    fill(site, full, 25)
    client.force_login(site["users"][Role.SUPERVISOR])
    html = client.get("/casework/team/").content.decode()
    assert "Target 20 per case manager, hard cap 25" in html
    busy_row = html.split(">Busy</a>", 1)[1].split("</tr>", 1)[0]
    assert "21 of 25 · over target" in busy_row and 'value="21"' in busy_row
    assert "25 of 25 · full" in html.split(">Full</a>", 1)[1].split("</tr>", 1)[0]


def test_a_supervisor_reassigns_with_a_reason_kept_in_history_and_the_trail(client, site):
    supervisor = site["users"][Role.SUPERVISOR]
    target = case_manager(site, "taker")
    enrollment = enroll(site, "Robert Jones")
    previous = enrollment.case_manager
    client.force_login(supervisor)
    response = client.post(
        f"/casework/enrollments/{enrollment.pk}/reassign/",
        {"case_manager": target.pk, "reason": "Closer to his shelter"},
    )
    assert response.status_code == 302
    enrollment.refresh_from_db()
    assert enrollment.case_manager == target
    assert enrollment.history.first().history_change_reason == "Closer to his shelter"
    entry = AuditEntry.objects.get(action="reassign")
    assert (entry.kind, entry.outcome, entry.object_id) == (
        "assignment",
        "success",
        str(enrollment.pk),
    )
    assert entry.detail == {"from": previous.pk, "to": target.pk, "reason": "Closer to his shelter"}


def test_a_reassignment_needs_a_reason_and_room_under_the_cap(client, site):
    full = case_manager(site, "full")
    fill(site, full, 25)
    enrollment = enroll(site, "Robert Jones")
    client.force_login(site["users"][Role.SUPERVISOR])
    url = f"/casework/enrollments/{enrollment.pk}/reassign/"
    response = client.post(url, {"case_manager": full.pk, "reason": ""})
    assert response.status_code == 422 and b"This field is required" in response.content
    response = client.post(url, {"case_manager": full.pk, "reason": "Balance"})
    assert response.status_code == 422 and b"at the cap of 25" in response.content
    enrollment.refresh_from_db()
    assert enrollment.case_manager == site["users"][Role.CASE_MANAGER]
    assert not AuditEntry.objects.filter(action="reassign").exists()


def test_the_api_reassigns_and_answers_422_naming_the_field(client, site):
    supervisor = site["users"][Role.SUPERVISOR]
    target = case_manager(site, "taker")
    enrollment = enroll(site, "Robert Jones")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_for(supervisor)}"}
    url = f"/api/v1/casework/enrollments/{enrollment.pk}/reassign"
    bad = client.post(url, {"case_manager_id": 999999, "reason": "x"}, "application/json", **auth)
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "case_manager_id"
    empty = client.post(
        url, {"case_manager_id": target.pk, "reason": ""}, "application/json", **auth
    )
    assert empty.status_code == 422 and empty.json()["detail"][0]["field"] == "reason"
    ok = client.post(
        url, {"case_manager_id": target.pk, "reason": "Cover"}, "application/json", **auth
    )
    assert ok.status_code == 200 and ok.json()["case_manager_id"] == target.pk
    loads = {
        row["case_manager_id"]: row for row in client.get("/api/v1/casework/team", **auth).json()
    }
    assert loads[target.pk]["open"] == 1 and loads[target.pk]["cap"] == 25


@pytest.mark.parametrize(
    "role", [Role.CASE_MANAGER, Role.OFFICER, Role.PROSECUTOR, Role.PROGRAM_MANAGER]
)
def test_only_supervisors_see_the_team_and_reassign(client, site, role):
    target = case_manager(site, "taker")
    enrollment = enroll(site, "Robert Jones")
    client.force_login(site["users"][role])
    assert client.get("/casework/team/").status_code == 403
    url = f"/casework/enrollments/{enrollment.pk}/reassign/"
    assert client.get(url).status_code == 403
    assert client.post(url, {"case_manager": target.pk, "reason": "x"}).status_code == 403
    assert client.get("/api/v1/casework/team").status_code == 403
    api = client.post(
        f"/api/v1/casework/enrollments/{enrollment.pk}/reassign",
        {"case_manager_id": target.pk, "reason": "x"},
        content_type="application/json",
    )
    assert api.status_code == 403
    enrollment.refresh_from_db()
    assert enrollment.case_manager != target


def test_two_reassignments_at_once_to_a_case_manager_at_24_place_only_one(committed_db, site):
    """Two supervisors move a case each to the same case manager at 24: the cap of 25 holds."""
    supervisor = site["users"][Role.SUPERVISOR]
    taker = case_manager(site, "taker")
    fill(site, taker, 24)
    moving = [enroll(site, "Moving One"), enroll(site, "Moving Two")]
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def move(enrollment):
        try:
            start.wait()
            enrollment_reassign(
                user=supervisor, enrollment=enrollment, case_manager_id=taker.pk, reason="Balance"
            )
            outcomes.append("moved")
        except ValidationError as exc:
            outcomes.append("refused" if "case_manager_id" in exc.message_dict else repr(exc))
        except BaseException as exc:  # noqa: BLE001 - reported below
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=move, args=(e,)) for e in moving]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["moved", "refused"]
    assert Enrollment.objects.filter(case_manager=taker, status="active").count() == 25
