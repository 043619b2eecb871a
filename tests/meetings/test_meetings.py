"""Work group meetings: opening one from the agenda, recording items and action items,
what each role reads of it, the inbox, bad input, audit, double submit, the API."""

import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from divert.audit.models import AuditEntry
from divert.casework.models import ReleaseOfInformation
from divert.meetings.models import ActionItem, Meeting, MeetingItem
from divert.meetings.selectors import meeting_view
from divert.meetings.services import (
    action_add,
    action_done,
    item_add,
    item_record,
    meeting_close,
    meeting_create,
)
from divert.staff.models import User
from divert.staff.roles import Role
from tests.casework.helpers import days, enroll
from tests.conftest import local_today, make_site, token_for

HEALTH = ("buprenorphine", "methadone", "Using daily")


def _row(view, item):
    return next((r for r in view.items if r.id == item.pk), None)


# --- opening and recording ----------------------------------------------------------------


def test_a_meeting_opens_with_the_agendas_participants_once_each(site, runner):
    lost = enroll(site, "Lee Lost", referred=-90, intake=-80)  # never seen: out of contact
    new = enroll(site, "Nia New", status="intake_pending", referred=-2, intake=None, due=3)
    meeting, created = meeting_create(
        user=runner,
        held_on=local_today(),
        attendee_ids=[site["users"][Role.OFFICER].pk, runner.pk],
        guests="Outreach van driver",
    )
    assert created and meeting.jurisdiction == site["site"]
    items = {i.enrollment_id: i for i in meeting.items.all()}
    assert lost.pk in items and new.pk in items
    assert "Out of contact" in items[lost.pk].reason and items[lost.pk].summary == ""
    assert meeting.attendees.count() == 2 and meeting.guests == "Outreach van driver"


def test_recording_an_item_and_an_action_item_that_reaches_the_owners_inbox(
    client, site, runner, meeting, participant
):
    cm = site["users"][Role.CASE_MANAGER]
    item, _ = item_add(
        user=runner,
        meeting=meeting,
        enrollment_id=participant["enrollment"].pk,
        summary="Missed two appointments.",
    )
    action, created = action_add(
        user=runner,
        item=item,
        description="Find him at the shelter",
        owner_id=cm.pk,
        due_on=days(2),
    )
    assert created and action.owner == cm and action.done_on is None
    client.force_login(cm)
    inbox = client.get("/inbox/").content.decode()
    assert "Find him at the shelter" in inbox and f'data-action="{action.pk}"' in inbox
    assert (
        client.post(f"/meetings/actions/{action.pk}/done/", {"next": "/inbox/"}).status_code == 302
    )
    action.refresh_from_db()
    assert action.done_on == local_today()
    assert f'data-action="{action.pk}"' not in client.get("/inbox/").content.decode()
    # The API lists what is still open, and marks done too.
    assert client.get("/api/v1/meetings/actions").json() == []


def test_bad_input_is_named_by_field_and_nothing_is_written(site, runner, meeting, participant):
    other = make_site("Elsewhere")
    inactive = User.objects.create_user(
        username="gone", organization=site["orgs"]["case_management"], roles=["case_manager"]
    )
    inactive.is_active = False
    inactive.save()
    with pytest.raises(ValidationError) as exc:
        item_add(user=runner, meeting=meeting, enrollment_id=999_999, summary="")
    assert set(exc.value.message_dict) == {"enrollment_id", "summary"}
    with pytest.raises(ValidationError) as exc:
        item_add(
            user=runner,
            meeting=meeting,
            enrollment_id=participant["enrollment"].pk,
            summary="x" * 2001,
        )
    assert set(exc.value.message_dict) == {"summary"}
    assert not MeetingItem.objects.exists()
    item, _ = item_add(
        user=runner, meeting=meeting, enrollment_id=participant["enrollment"].pk, summary="Seen."
    )
    with pytest.raises(ValidationError) as exc:
        item_add(
            user=runner,
            meeting=meeting,
            enrollment_id=participant["enrollment"].pk,
            summary="Again",
        )
    assert "enrollment_id" in exc.value.message_dict
    for owner in (other["users"][Role.CASE_MANAGER], inactive, site["users"][Role.OFFICER]):
        with pytest.raises(ValidationError) as exc:
            action_add(
                user=runner, item=item, description="Call", owner_id=owner.pk, due_on=days(1)
            )
        assert set(exc.value.message_dict) == {"owner_id"}, owner
    with pytest.raises(ValidationError) as exc:
        action_add(user=runner, item=item, description="", owner_id=runner.pk, due_on=days(-1))
    assert set(exc.value.message_dict) == {"description", "due_on"}
    with pytest.raises(ValidationError) as exc:
        meeting_create(user=runner, held_on=days(0), attendee_ids=[other["users"][Role.OFFICER].pk])
    assert set(exc.value.message_dict) == {"attendee_ids"}
    assert not ActionItem.objects.exists() and Meeting.objects.count() == 1


def test_the_due_date_counts_from_the_meetings_site_day(site, runner, participant):
    meeting, _ = meeting_create(user=runner, held_on=days(-7), seed=False)
    item, _ = item_add(
        user=runner, meeting=meeting, enrollment_id=participant["enrollment"].pk, summary="Seen."
    )
    # Due the day of a meeting held last week is fine; the day before it is not.
    action_add(user=runner, item=item, description="Call", owner_id=runner.pk, due_on=days(-7))
    with pytest.raises(ValidationError):
        action_add(user=runner, item=item, description="Call", owner_id=runner.pk, due_on=days(-8))


def test_attendance_changes_while_open_are_kept_and_checked(client, site, runner, meeting):
    officer, prosecutor = site["users"][Role.OFFICER], site["users"][Role.PROSECUTOR]
    outsider = make_site("Elsewhere")["users"][Role.OFFICER]
    client.force_login(runner)
    url = f"/api/v1/meetings/{meeting.pk}"
    bad = client.patch(url, {"attendee_ids": [outsider.pk]}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "attendee_ids"
    body = {"attendee_ids": [officer.pk, prosecutor.pk], "guests": "Shelter staff"}
    response = client.patch(url, body, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["guests"] == "Shelter staff" and len(response.json()["attendees"]) == 2
    assert meeting.history.first().history_change_reason.startswith("attendance")
    meeting_close(user=runner, meeting=meeting)
    closed = client.patch(url, {"guests": "later"}, content_type="application/json")
    assert closed.status_code == 422 and closed.json()["detail"][0]["field"] == "meeting_id"
    meeting.refresh_from_db()
    assert meeting.guests == "Shelter staff" and meeting.attendees.count() == 2


def test_attendance_is_changed_on_the_page_and_refused_by_field(client, site, runner, meeting):
    officer = site["users"][Role.OFFICER]
    client.force_login(runner)
    url = f"/meetings/{meeting.pk}/attendance/"
    response = client.post(url, {"attendees": [officer.pk], "guests": "g" * 501})
    assert response.status_code == 422 and b"field-error" in response.content
    assert client.post(url, {"attendees": [officer.pk], "guests": "Van"}).status_code == 302
    meeting.refresh_from_db()
    assert list(meeting.attendees.all()) == [officer] and meeting.guests == "Van"
    client.force_login(officer)
    assert client.post(url, {"attendees": [], "guests": ""}).status_code == 403
    assert meeting.attendees.count() == 1


def test_a_closed_meeting_is_read_only_but_its_actions_can_be_done(site, runner, legal_item):
    action, _ = action_add(
        user=runner, item=legal_item, description="Call court", owner_id=runner.pk, due_on=days(1)
    )
    meeting = meeting_close(user=runner, meeting=legal_item.meeting)
    assert meeting.status == "closed" and meeting.closed_on == local_today()
    assert meeting_close(user=runner, meeting=meeting).closed_on == local_today()  # twice is once
    with pytest.raises(ValidationError):
        item_record(user=runner, item=legal_item, summary="Changed afterwards")
    with pytest.raises(ValidationError):
        action_add(
            user=runner, item=legal_item, description="x", owner_id=runner.pk, due_on=days(1)
        )
    assert action_done(user=runner, action=action).done_on == local_today()
    legal_item.refresh_from_db()
    assert legal_item.summary == "Using daily; wants buprenorphine."


# --- what each role reads -----------------------------------------------------------------


def test_an_officer_sees_names_and_whom_to_call_and_nothing_said(site, legal_item, other_item):
    officer = site["users"][Role.OFFICER]
    view = meeting_view(user=officer, meeting_id=legal_item.meeting_id)
    assert {r.person for r in view.items} == {"Robert Jones", "Dana Other"}
    row = _row(view, legal_item)
    assert row.case_manager == "Case manager" and row.phone == "206-555-0199"
    assert row.fields == {"person", "case_manager", "phone"}
    assert (row.summary, row.decisions, row.legal, row.reason, row.actions) == (None,) * 5
    assert row.enrollment_id is None and not view.may_run


@pytest.mark.parametrize("role", [Role.PROSECUTOR, Role.DEFENDER])
def test_justice_partners_see_legal_items_under_a_release_naming_their_office(
    site, role, legal_item, other_item, runner
):
    user = site["users"][role]
    own, _ = action_add(
        user=runner,
        item=legal_item,
        description="Ask court to quash",
        owner_id=user.pk,
        due_on=days(3),
    )
    action_add(
        user=runner,
        item=legal_item,
        description="Clinic intake",
        owner_id=runner.pk,
        due_on=days(3),
    )
    view = meeting_view(user=user, meeting_id=legal_item.meeting_id)
    assert [r.person for r in view.items] == ["Robert Jones"]  # Dana: no release
    row = view.items[0]
    assert row.legal == "FTA warrant: defender to ask to quash."
    assert row.summary is None and row.decisions is None and row.reason is None
    assert [a.id for a in row.actions] == [own.pk]
    # Revoked: the row goes at once, and the action item with it.
    ReleaseOfInformation.objects.filter(person=legal_item.enrollment.person).update(
        revoked_on=local_today()
    )
    assert meeting_view(user=user, meeting_id=legal_item.meeting_id).items == []
    client_user = user
    assert (
        not ActionItem.objects.filter(pk=own.pk)
        .filter(owner=client_user)
        .filter(item__legal="")
        .exists()
    )


def test_a_justice_partner_may_own_an_action_only_on_a_legal_item_they_can_read(
    site, runner, legal_item, other_item
):
    prosecutor = site["users"][Role.PROSECUTOR]
    action_add(
        user=runner, item=legal_item, description="Decide", owner_id=prosecutor.pk, due_on=days(1)
    )
    with pytest.raises(ValidationError) as exc:
        action_add(
            user=runner,
            item=other_item,
            description="Decide",
            owner_id=prosecutor.pk,
            due_on=days(1),
        )
    assert "owner_id" in exc.value.message_dict


def test_a_case_manager_sees_all_of_their_own_and_whom_to_call_for_others(
    site, legal_item, other_item
):
    cm = site["users"][Role.CASE_MANAGER]  # Robert's case manager; Dana is the supervisor's
    view = meeting_view(user=cm, meeting_id=legal_item.meeting_id)
    own, others = _row(view, legal_item), _row(view, other_item)
    assert own.summary == "Using daily; wants buprenorphine." and own.decisions
    assert others.summary is None and others.legal is None and others.person == "Dana Other"
    assert others.case_manager == "Supervisor"


def test_a_supervisor_sees_the_whole_meeting(site, legal_item, other_item):
    view = meeting_view(user=site["users"][Role.SUPERVISOR], meeting_id=legal_item.meeting_id)
    assert all(r.summary for r in view.items) and len(view.items) == 2


@pytest.mark.parametrize("role", [Role.EVALUATOR, Role.ADMINISTRATOR, Role.PARTNER])
def test_others_cannot_open_a_meeting(site, role, legal_item):
    with pytest.raises(PermissionDenied):
        meeting_view(user=site["users"][role], meeting_id=legal_item.meeting_id)


@pytest.mark.parametrize("role", [Role.OFFICER, Role.PROSECUTOR, Role.DEFENDER])
def test_no_health_text_reaches_enforcement_on_the_page_or_the_api(
    client, site, role, legal_item, other_item
):
    client.force_login(site["users"][role])
    page = client.get(f"/meetings/{legal_item.meeting_id}/")
    api = client.get(f"/api/v1/meetings/{legal_item.meeting_id}")
    assert page.status_code == 200 and api.status_code == 200
    for text in (page.content.decode(), api.content.decode()):
        assert not any(word in text for word in HEALTH), role
        assert "Clinic referral" not in text
    assert "Robert Jones" in page.content.decode()


@pytest.mark.parametrize("role", [Role.OFFICER, Role.PROSECUTOR, Role.DEFENDER])
def test_enforcement_cannot_write_to_a_meeting(client, site, role, legal_item):
    client.force_login(site["users"][role])
    base = "/api/v1/meetings"
    assert (
        client.post(
            base, {"held_on": days(0).isoformat()}, content_type="application/json"
        ).status_code
        == 403
    )
    response = client.put(
        f"{base}/items/{legal_item.pk}", {"summary": "x"}, content_type="application/json"
    )
    assert response.status_code in (403, 404)
    assert client.post(f"{base}/{legal_item.meeting_id}/close").status_code == 403
    legal_item.refresh_from_db()
    assert legal_item.summary.startswith("Using daily")


# --- audit --------------------------------------------------------------------------------


def test_every_read_of_a_meeting_is_audited_naming_the_participants_shown(
    client, site, legal_item, other_item
):
    officer = site["users"][Role.OFFICER]
    prosecutor = site["users"][Role.PROSECUTOR]
    for user in (officer, prosecutor):
        client.force_login(user)
        before = AuditEntry.objects.count()
        assert client.get(f"/meetings/{legal_item.meeting_id}/").status_code == 200
        entry = AuditEntry.objects.filter(kind="meeting", action="view", actor_id=user.pk).latest(
            "id"
        )
        assert AuditEntry.objects.count() > before
        assert entry.outcome == "allowed" and entry.object_id == str(legal_item.meeting_id)
        shown = (
            {legal_item.enrollment_id, other_item.enrollment_id}
            if user == officer
            else {legal_item.enrollment_id}
        )
        assert set(entry.detail["enrollments"]) == shown
    client.force_login(site["users"][Role.EVALUATOR])
    assert client.get(f"/meetings/{legal_item.meeting_id}/").status_code == 403
    assert AuditEntry.objects.filter(kind="meeting", outcome="denied").exists()


def test_the_action_item_list_is_an_audited_read(client, site, runner, legal_item):
    action_add(user=runner, item=legal_item, description="Call", owner_id=runner.pk, due_on=days(1))
    client.force_login(runner)
    before = AuditEntry.objects.filter(kind="action_item", action="view").count()
    assert "Call" in client.get("/meetings/actions/").content.decode()
    entry = AuditEntry.objects.filter(kind="action_item", action="view").latest("id")
    assert entry.outcome == "allowed" and entry.object_id == ""
    assert AuditEntry.objects.filter(kind="action_item", action="view").count() == before + 1


def test_changes_are_kept_in_history_and_the_trail(runner, legal_item):
    item_record(user=runner, item=legal_item, summary="Better week.", legal="Warrant quashed.")
    assert legal_item.history.count() == 2
    assert AuditEntry.objects.filter(kind="meeting", action="create", outcome="success").exists()
    assert AuditEntry.objects.filter(
        kind="meeting_item", action="change", object_id=str(legal_item.pk), outcome="success"
    ).exists()


# --- the API ------------------------------------------------------------------------------


def test_the_api_runs_a_meeting_with_field_errors_and_resends_once(client, site, participant):
    client.force_login(site["users"][Role.CASE_MANAGER])
    key = str(uuid.uuid4())
    body = {"held_on": days(0).isoformat(), "seed": False, "client_id": key}
    first = client.post("/api/v1/meetings", body, content_type="application/json")
    again = client.post("/api/v1/meetings", body, content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] and Meeting.objects.count() == 1
    meeting_id = first.json()["id"]
    bad = client.post(
        f"/api/v1/meetings/{meeting_id}/items",
        {"enrollment_id": 0, "summary": " "},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["detail"]} == {"enrollment_id", "summary"}
    too_long = client.post(
        f"/api/v1/meetings/{meeting_id}/items",
        {"enrollment_id": participant["enrollment"].pk, "summary": "x" * 2001},
        content_type="application/json",
    )
    assert too_long.status_code == 422 and too_long.json()["detail"][0]["field"] == "summary"
    item_key = str(uuid.uuid4())
    item_body = {
        "enrollment_id": participant["enrollment"].pk,
        "summary": "Seen at the shelter.",
        "client_id": item_key,
    }
    made = client.post(
        f"/api/v1/meetings/{meeting_id}/items", item_body, content_type="application/json"
    )
    resent = client.post(
        f"/api/v1/meetings/{meeting_id}/items", item_body, content_type="application/json"
    )
    assert (made.status_code, resent.status_code) == (201, 200)
    item_id = made.json()["id"]
    cm = site["users"][Role.CASE_MANAGER]
    action_body = {"description": "Bring ID", "owner_id": cm.pk, "due_on": days(-1).isoformat()}
    late = client.post(
        f"/api/v1/meetings/items/{item_id}/actions", action_body, content_type="application/json"
    )
    assert late.status_code == 422 and late.json()["detail"][0]["field"] == "due_on"
    action_body["due_on"] = days(1).isoformat()
    action = client.post(
        f"/api/v1/meetings/items/{item_id}/actions", action_body, content_type="application/json"
    )
    assert action.status_code == 201
    mine = client.get("/api/v1/meetings/actions").json()
    assert [a["description"] for a in mine] == ["Bring ID"]
    done = client.post(f"/api/v1/meetings/actions/{action.json()['id']}/done")
    assert done.status_code == 200 and done.json()["done_on"] == local_today().isoformat()
    read = client.get(f"/api/v1/meetings/{meeting_id}").json()
    assert read["items"][0]["summary"] == "Seen at the shelter."
    assert client.post(f"/api/v1/meetings/{meeting_id}/close").json()["status"] == "closed"
    record = client.put(
        f"/api/v1/meetings/items/{item_id}", {"summary": "later"}, content_type="application/json"
    )
    assert record.status_code == 422
    assert client.get("/api/v1/meetings").json()[0]["id"] == meeting_id


def test_an_officers_token_reads_names_only(client, site, legal_item):
    secret = token_for(site["users"][Role.OFFICER])
    response = client.get(
        f"/api/v1/meetings/{legal_item.meeting_id}", HTTP_AUTHORIZATION=f"Bearer {secret}"
    )
    assert response.status_code == 200
    row = response.json()["items"][0]
    assert row["person"] == "Robert Jones" and row["summary"] is None and row["legal"] is None
    assert row["fields"] == ["case_manager", "person", "phone"]


def test_the_page_names_bad_fields_and_a_double_tap_makes_one_item(
    client, site, meeting, participant
):
    client.force_login(site["users"][Role.SUPERVISOR])
    url = f"/meetings/{meeting.pk}/items/"
    response = client.post(url, {"enrollment_id": participant["enrollment"].pk, "summary": ""})
    assert response.status_code == 422 and b"field-error" in response.content
    key = str(uuid.uuid4())
    body = {"enrollment_id": participant["enrollment"].pk, "summary": "Seen.", "client_id": key}
    assert client.post(url, body).status_code == 302
    assert client.post(url, body).status_code == 302
    assert MeetingItem.objects.count() == 1


def test_text_no_database_can_store_is_refused_on_the_page(client, site, meeting, participant):
    client.force_login(site["users"][Role.SUPERVISOR])
    body = {"enrollment_id": participant["enrollment"].pk, "summary": "Seen\x00 today"}
    response = client.post(f"/meetings/{meeting.pk}/items/", body)
    assert response.status_code == 422 and b"NUL" in response.content
    assert not MeetingItem.objects.exists()


def test_an_id_no_record_could_have_is_refused_by_field_on_the_pages(
    client, site, meeting, participant
):
    client.force_login(site["users"][Role.SUPERVISOR])
    huge = str(2**70)
    response = client.post(
        f"/meetings/{meeting.pk}/items/", {"enrollment_id": huge, "summary": "x"}
    )
    assert response.status_code == 422 and b"No such participant" in response.content
    response = client.post("/meetings/", {"held_on": local_today().isoformat(), "attendees": huge})
    assert response.status_code == 422 and b"active staff" in response.content
    assert not MeetingItem.objects.exists() and Meeting.objects.count() == 1


def test_a_meeting_date_typed_by_hand_must_be_a_date(client, site):
    client.force_login(site["users"][Role.SUPERVISOR])
    response = client.post("/meetings/", {"held_on": "2026-02-30"})
    assert response.status_code == 422 and not Meeting.objects.exists()
    response = client.post("/meetings/", {"held_on": local_today().isoformat()})
    assert response.status_code == 302
    assert Meeting.objects.get().held_on == local_today()


@pytest.mark.parametrize("hhmm", ["00:30", "07:59", "16:30", "23:59"])
def test_the_meeting_day_and_done_day_are_the_sites_at_any_utc_hour(
    client, site, participant, frozen_clock, hhmm
):
    hour, minute = (int(part) for part in hhmm.split(":"))
    now = datetime.datetime.now(datetime.UTC)
    frozen_clock.move_to(now.replace(hour=hour, minute=minute, second=0, microsecond=0))
    today = local_today()  # the site's day at this hour, worked out under the frozen clock
    supervisor = site["users"][Role.SUPERVISOR]
    client.force_login(supervisor)
    assert f'value="{today.isoformat()}"' in client.get("/meetings/").content.decode()
    assert client.post("/meetings/", {"held_on": today.isoformat()}).status_code == 302
    meeting = Meeting.objects.get()
    # Robert is on the agenda if his referral falls in the site's days up to today.
    item = meeting.items.filter(enrollment=participant["enrollment"]).first()
    if item is None:
        item, _ = item_add(
            user=supervisor,
            meeting=meeting,
            enrollment_id=participant["enrollment"].pk,
            summary="Seen.",
        )
    action, _ = action_add(
        user=supervisor, item=item, description="Call", owner_id=supervisor.pk, due_on=today
    )
    assert f'data-action="{action.pk}"' in client.get("/inbox/").content.decode()
    assert action_done(user=supervisor, action=action).done_on == today
    assert meeting_close(user=supervisor, meeting=meeting).closed_on == today
