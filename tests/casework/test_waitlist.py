"""The capacity waitlist: who was turned away waits, longest first, with the hand-off and
intake clocks; when capacity frees the supervisor assigns under the caseload lock."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from divert.audit.models import AuditEntry
from divert.casework import waitlist
from divert.casework.models import Enrollment, WaitlistEntry
from divert.casework.services import enrollment_move
from divert.field.models import Referral
from divert.field.policies import policy_load
from divert.people.models import Person
from divert.staff.roles import Role
from tests.casework.helpers import POLICY, enroll
from tests.conftest import local_today

JSON = "application/json"
API = "/api/v1/casework/waitlist"
PAGE = "/casework/waitlist/"


@pytest.fixture
def small(site):
    """A site with room for two arrest diversions per case manager (one social contact), the
    only case manager full, and its policy's intake deadline."""
    policy_load(jurisdiction=site["site"], text=POLICY.read_text(), source=POLICY.name)
    site["site"].caseload_target, site["site"].caseload_cap = 1, 2
    site["site"].save()
    manager = site["users"][Role.CASE_MANAGER]
    site["held"] = [enroll(site, f"Held {n}", manager=manager) for n in ("One", "Two")]
    return site


def refused(site, name: str, *, hours_ago: int = 1, pathway: str = "arrest_diversion"):
    first, last = name.split()
    person = Person.objects.create(jurisdiction=site["site"], first_name=first, last_name=last)
    return Referral.objects.create(
        jurisdiction=site["site"],
        person=person,
        pathway=pathway,
        referred_by=site["users"][Role.OFFICER],
        referred_at=timezone.now() - datetime.timedelta(hours=hours_ago),
        capacity_refused=True,
    )


def _put(site, referral, reason="No room under the cap"):
    return waitlist.waitlist_add(
        user=site["users"][Role.SUPERVISOR], reason=reason, referral=referral
    )[0]


def test_a_supervisor_puts_a_refused_referral_on_the_waitlist_once(client, small):
    referral = refused(small, "Ada Waiting")
    client.force_login(small["users"][Role.SUPERVISOR])
    body = {"referral_id": referral.pk, "reason": "No room under the cap"}
    first = client.post(API, body, content_type=JSON)
    again = client.post(API, body, content_type=JSON)
    assert (first.status_code, again.status_code) == (201, 200), first.content
    entry = WaitlistEntry.objects.get()
    assert (entry.person, entry.reason, entry.added_by) == (
        referral.person,
        "No room under the cap",
        small["users"][Role.SUPERVISOR],
    )
    assert AuditEntry.objects.filter(
        action="create", kind="waitlist", object_id=str(entry.pk), outcome="success"
    ).exists()


def test_only_a_capacity_refusal_goes_on_and_bad_input_names_the_field(client, small):
    client.force_login(small["users"][Role.SUPERVISOR])
    taken = small["held"][0].referral
    answer = client.post(API, {"referral_id": taken.pk, "reason": "x"}, content_type=JSON)
    assert answer.status_code == 422 and answer.json()["detail"][0]["field"] == "referral_id"
    referral = refused(small, "Bo Waiting")
    blank = client.post(API, {"referral_id": referral.pk, "reason": ""}, content_type=JSON)
    assert blank.status_code == 422 and blank.json()["detail"][0]["field"] == "reason"
    assert client.post(API, {"reason": "x"}, content_type=JSON).status_code == 422
    unknown = client.post(API, {"referral_id": 999999, "reason": "x"}, content_type=JSON)
    assert unknown.status_code == 404
    assert not WaitlistEntry.objects.exists()


def test_the_list_runs_longest_waiting_first_with_both_clocks(client, small):
    _put(small, refused(small, "Newer Person", hours_ago=2))
    _put(small, refused(small, "Older Person", hours_ago=24 * 100))
    client.force_login(small["users"][Role.SUPERVISOR])
    rows = client.get(API).json()
    assert [r["person"] for r in rows] == ["Older Person", "Newer Person"]
    older, newer = rows
    assert older["waited_days"] >= 99 and newer["waited_hours"] == 2
    # The policy's intake deadline, counted from the day they were turned away.
    assert older["intake_days_left"] < newer["intake_days_left"]
    assert older["room"] == [] and newer["room"] == []  # the only case manager is full
    html = client.get(PAGE).content.decode()
    assert html.index("Older Person") < html.index("Newer Person")
    assert "Nobody can be assigned yet" in html and "No room yet." in html
    assert "overdue" in html.split("Older Person", 1)[1].split("</tr>", 1)[0]


def test_an_exit_frees_a_place_the_page_shows_and_assigning_takes_it(client, small):
    entry = _put(small, refused(small, "Cy Waiting"))
    supervisor, manager = small["users"][Role.SUPERVISOR], small["users"][Role.CASE_MANAGER]
    enrollment_move(
        user=manager,
        enrollment=small["held"][0],
        to_status="exited",
        on=local_today(),
        reason="moved_away",
    )
    client.force_login(supervisor)
    html = client.get(PAGE).content.decode()
    row = html.split(f'id="wait-{entry.pk}"', 1)[1].split("</tr>", 1)[0]
    assert 'data-assignable="1"' in row and "Assign</button>" in row
    assert "1 of 1 can be assigned now" in html
    url = f"{PAGE}{entry.pk}/assign/"
    form = {f"a{entry.pk}-case_manager_id": manager.pk}
    for _ in "12":  # a double submit makes one enrollment
        answer = client.post(url, form)
        assert answer.status_code == 302, answer.content
    enrollment = Enrollment.objects.get(person=entry.person)
    assert (enrollment.case_manager, enrollment.status) == (manager, "referred")
    assert enrollment.referral_id == entry.referral_id
    # The intake deadline runs from the day of assignment: waiting costs them nothing.
    assert enrollment.intake_due_on > local_today()
    entry.refresh_from_db()
    assert (entry.status, entry.enrollment, entry.closed_by) == ("assigned", enrollment, supervisor)
    assert (
        AuditEntry.objects.filter(
            action="assign", kind="waitlist", object_id=str(entry.pk), outcome="success"
        ).count()
        == 1
    )
    assert f'id="wait-{entry.pk}"' not in client.get(PAGE).content.decode()


def test_a_raised_cap_frees_places_and_the_cap_still_holds(client, small):
    first = _put(small, refused(small, "Di First", hours_ago=5))
    second = _put(small, refused(small, "Ed Second", hours_ago=4))
    manager = small["users"][Role.CASE_MANAGER]
    client.force_login(small["users"][Role.SUPERVISOR])
    full = client.post(
        f"{API}/{first.pk}/assign", {"case_manager_id": manager.pk}, content_type=JSON
    )
    assert full.status_code == 422 and full.json()["detail"][0]["field"] == "case_manager_id"
    small["site"].caseload_cap = 3
    small["site"].save()
    assert client.get(API).json()[0]["room"][0]["case_manager_id"] == manager.pk
    took = client.post(
        f"{API}/{first.pk}/assign", {"case_manager_id": manager.pk}, content_type=JSON
    )
    assert took.status_code == 200, took.content
    again = client.post(
        f"{API}/{second.pk}/assign", {"case_manager_id": manager.pk}, content_type=JSON
    )
    assert again.status_code == 422  # 3 of 3 now
    assert not Enrollment.objects.filter(person=second.person).exists()


def test_a_social_contact_waits_for_room_under_the_target_not_the_cap(small):
    site = small
    site["site"].caseload_target, site["site"].caseload_cap = 2, 3
    site["site"].save()
    entry = _put(site, refused(site, "Fay Social", pathway="social_contact"))
    [row] = waitlist.waitlist_list(user=site["users"][Role.SUPERVISOR])
    assert not row.assignable  # 2 open: at the target, though under the cap
    with pytest.raises(ValidationError) as exc:
        waitlist.waitlist_assign(
            user=site["users"][Role.SUPERVISOR],
            entry=entry,
            case_manager_id=site["users"][Role.CASE_MANAGER].pk,
        )
    assert "case_manager_id" in exc.value.message_dict


def test_taking_someone_off_keeps_why_and_who(client, small):
    entry = _put(small, refused(small, "Gus Gone"))
    client.force_login(small["users"][Role.SUPERVISOR])
    answer = client.post(f"{PAGE}{entry.pk}/remove/", {f"r{entry.pk}-reason": "Housed elsewhere"})
    assert answer.status_code == 302
    entry.refresh_from_db()
    assert (entry.status, entry.closed_reason) == ("removed", "Housed elsewhere")
    assert entry.history.latest().history_user == small["users"][Role.SUPERVISOR]


def test_the_page_lists_refusals_not_yet_on_the_list_and_adds_one(client, small):
    referral = refused(small, "Hal Refused")
    client.force_login(small["users"][Role.SUPERVISOR])
    html = client.get(PAGE).content.decode()
    assert f'id="refused-{referral.pk}"' in html
    answer = client.post(f"{PAGE}add/", {"referral_id": referral.pk, "reason": "Full"})
    assert answer.status_code == 302
    assert WaitlistEntry.objects.get().reason == "Full"
    assert f'id="refused-{referral.pk}"' not in client.get(PAGE).content.decode()


def test_a_returning_participant_can_wait_too(client, small):
    manager = small["users"][Role.CASE_MANAGER]
    gone = enroll(small, "Ivy Back", manager=manager, status="exited")
    client.force_login(small["users"][Role.SUPERVISOR])
    answer = client.post(
        API, {"previous_id": gone.pk, "reason": "Back; no room"}, content_type=JSON
    )
    assert answer.status_code == 201, answer.content
    enrollment_move(
        user=manager,
        enrollment=small["held"][1],
        to_status="exited",
        on=local_today(),
        reason="moved_away",
    )
    entry_id = answer.json()["id"]
    took = client.post(
        f"{API}/{entry_id}/assign", {"case_manager_id": manager.pk}, content_type=JSON
    )
    assert took.status_code == 200, took.content
    assert Enrollment.objects.get(pk=took.json()["id"]).previous == gone


@pytest.mark.parametrize(
    "role", [Role.OFFICER, Role.PROSECUTOR, Role.DEFENDER, Role.CASE_MANAGER, Role.PARTNER]
)
def test_only_supervisors_and_program_managers_reach_the_waitlist(client, small, role):
    entry = _put(small, refused(small, "Jo Private"))
    client.force_login(small["users"][role])
    assert client.get(PAGE).status_code == 403
    assert client.get(API).status_code == 403
    manager = small["users"][Role.CASE_MANAGER].pk
    assert (
        client.post(f"{PAGE}{entry.pk}/assign/", {"a-case_manager_id": manager}).status_code == 403
    )
    assert (
        client.post(f"{API}/{entry.pk}/assign", {"case_manager_id": manager}, content_type=JSON)
    ).status_code == 403
    assert client.post(f"{PAGE}add/", {"referral_id": 1, "reason": "x"}).status_code == 403
    assert "Waitlist" not in client.get("/").content.decode()


def test_a_program_manager_sees_the_waitlist_but_assigns_no_one(client, small):
    entry = _put(small, refused(small, "Kim Seen"))
    client.force_login(small["users"][Role.PROGRAM_MANAGER])
    assert "Kim Seen" in client.get(PAGE).content.decode()
    assert client.get(API).json()[0]["id"] == entry.pk
    manager = small["users"][Role.CASE_MANAGER].pk
    answer = client.post(
        f"{API}/{entry.pk}/assign", {"case_manager_id": manager}, content_type=JSON
    )
    assert answer.status_code == 403
    assert (
        client.post(
            API, {"referral_id": entry.referral_id, "reason": "x"}, content_type=JSON
        ).status_code
        == 403
    )
    assert AuditEntry.objects.filter(kind="waitlist", action="view", outcome="allowed").exists()


def test_two_assignments_at_once_take_the_last_place_once(committed_db, site):
    """Two supervisors assign a waiting person each to the one place left: the cap holds."""
    policy_load(jurisdiction=site["site"], text=POLICY.read_text(), source=POLICY.name)
    site["site"].caseload_target, site["site"].caseload_cap = 1, 2
    site["site"].save()
    manager = site["users"][Role.CASE_MANAGER]
    enroll(site, "Held Once", manager=manager)
    entries = [_put(site, refused(site, f"Racer {n}")) for n in ("One", "Two")]
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def assign(entry):
        try:
            start.wait()
            waitlist.waitlist_assign(
                user=site["users"][Role.SUPERVISOR], entry=entry, case_manager_id=manager.pk
            )
            outcomes.append("assigned")
        except ValidationError as exc:
            outcomes.append("refused" if "case_manager_id" in exc.message_dict else repr(exc))
        except BaseException as exc:  # noqa: BLE001 - reported below
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=assign, args=(e,)) for e in entries]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["assigned", "refused"]
    assert Enrollment.objects.filter(case_manager=manager, status="active").count() == 1
    assert Enrollment.objects.filter(case_manager=manager, status="referred").count() == 1
    assert WaitlistEntry.objects.filter(status="waiting").count() == 1
