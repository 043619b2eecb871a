"""Correcting a closed meeting's record: its runner, with a reason, the version before kept in
history and shown as "corrected on <date> by <who>: <reason>", on the page and the API alike."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from divert.audit.models import AuditEntry
from divert.casework.corrections import Conflict
from divert.meetings.models import ActionItem, MeetingItem
from divert.meetings.selectors import meeting_view
from divert.meetings.services import (
    action_add,
    action_correct,
    item_correct,
    item_record,
    meeting_close,
)
from divert.staff.roles import Role
from tests.casework.helpers import days
from tests.conftest import local_today

SUMMARY = "Using daily; wants buprenorphine."


@pytest.fixture
def closed(runner, legal_item):
    meeting_close(user=runner, meeting=legal_item.meeting)
    legal_item.refresh_from_db()
    return legal_item


def _row(view, item):
    return next(r for r in view.items if r.id == item.pk)


def test_the_runner_corrects_a_closed_item_with_a_reason_and_the_old_version_is_kept(
    site, runner, closed
):
    fixed = item_correct(
        user=runner,
        item=closed,
        summary=SUMMARY,
        decisions="Clinic referral next week.",
        legal="FTA warrant: defender asked to quash on Monday.",
        version=closed.version,
        reason="Wrong day written down",
    )
    assert fixed.version == closed.version + 1
    assert fixed.legal == "FTA warrant: defender asked to quash on Monday."
    earlier = fixed.history.order_by("history_id")
    assert [h.legal for h in earlier][-2:] == [
        "FTA warrant: defender to ask to quash.",
        "FTA warrant: defender asked to quash on Monday.",
    ]
    assert earlier.last().history_change_reason == "Wrong day written down"
    assert AuditEntry.objects.filter(
        kind="meeting_item", action="change", object_id=str(closed.pk), outcome="success"
    ).exists()
    row = _row(meeting_view(user=runner, meeting_id=closed.meeting_id), closed)
    (note,) = row.corrections
    assert (note.on, note.by, note.reason) == (
        local_today(),
        "Supervisor",
        "Wrong day written down",
    )
    assert set(note.fields) == {"decisions", "legal"}


def test_a_correction_needs_a_reason_and_valid_text_and_writes_nothing_otherwise(runner, closed):
    with pytest.raises(ValidationError) as exc:
        item_correct(user=runner, item=closed, summary="", version=closed.version, reason=" ")
    assert set(exc.value.message_dict) == {"reason", "summary"}
    with pytest.raises(ValidationError) as exc:
        item_correct(
            user=runner, item=closed, summary="x" * 2001, version=closed.version, reason="typo"
        )
    assert set(exc.value.message_dict) == {"summary"}
    closed.refresh_from_db()
    assert closed.summary == SUMMARY and closed.history.count() == 1


def test_an_open_meeting_is_not_corrected_but_recorded(runner, legal_item):
    with pytest.raises(ValidationError) as exc:
        item_correct(
            user=runner, item=legal_item, summary="x", version=legal_item.version, reason="typo"
        )
    assert "meeting_id" in exc.value.message_dict


def test_a_stale_version_is_a_conflict_and_the_same_correction_twice_is_once(runner, closed):
    body = {"summary": "Better week.", "version": closed.version, "reason": "typo"}
    first = item_correct(user=runner, item=closed, **body)
    again = item_correct(user=runner, item=closed, **body)
    assert again.version == first.version and closed.history.count() == 2
    with pytest.raises(Conflict):
        item_correct(user=runner, item=closed, summary="Other words.", version=1, reason="typo")


def test_the_participants_case_manager_corrects_but_others_cannot(site, closed):
    cm = site["users"][Role.CASE_MANAGER]  # Robert's case manager, not the item's author
    item_correct(user=cm, item=closed, summary="Better week.", version=1, reason="typo")
    for role in (Role.OFFICER, Role.PROSECUTOR, Role.DEFENDER, Role.PROGRAM_MANAGER):
        with pytest.raises(PermissionDenied):
            item_correct(
                user=site["users"][role], item=closed, summary="x", version=2, reason="typo"
            )
    assert AuditEntry.objects.filter(
        kind="meeting_item", action="change", outcome="denied", object_id=str(closed.pk)
    ).exists()
    closed.refresh_from_db()
    assert closed.summary == "Better week."


def test_a_closed_action_item_is_corrected_with_who_and_when_checked(site, runner, legal_item):
    cm = site["users"][Role.CASE_MANAGER]
    action, _ = action_add(
        user=runner, item=legal_item, description="Call court", owner_id=runner.pk, due_on=days(1)
    )
    meeting_close(user=runner, meeting=legal_item.meeting)
    with pytest.raises(ValidationError) as exc:
        action_correct(
            user=runner,
            action=action,
            description="",
            owner_id=site["users"][Role.OFFICER].pk,
            due_on=days(-400),
            version=action.version,
            reason="",
        )
    assert set(exc.value.message_dict) == {"description", "owner_id", "due_on", "reason"}
    fixed = action_correct(
        user=runner,
        action=action,
        description="Call the court clerk",
        owner_id=cm.pk,
        due_on=days(2),
        version=action.version,
        reason="Owner was the case manager",
    )
    assert (fixed.owner, fixed.due_on, fixed.version) == (cm, days(2), 2)
    assert fixed.history.order_by("history_id").first().description == "Call court"
    row = _row(meeting_view(user=runner, meeting_id=legal_item.meeting_id), legal_item)
    (note,) = row.actions[0].corrections
    assert note.reason == "Owner was the case manager"
    assert set(note.fields) == {"description", "owner_id", "due_on"}
    with pytest.raises(PermissionDenied):
        action_correct(
            user=site["users"][Role.PROSECUTOR],
            action=fixed,
            description="x",
            owner_id=cm.pk,
            due_on=days(2),
            version=2,
            reason="typo",
        )


def test_a_prosecutor_sees_that_the_legal_line_was_corrected_but_not_why(site, runner, closed):
    item_correct(
        user=runner,
        item=closed,
        summary="Using daily; methadone now.",
        legal=closed.legal,
        version=1,
        reason="Methadone, not buprenorphine",
    )
    prosecutor = site["users"][Role.PROSECUTOR]
    assert (
        _row(meeting_view(user=prosecutor, meeting_id=closed.meeting_id), closed).corrections == ()
    )
    closed.refresh_from_db()
    item_correct(
        user=runner,
        item=closed,
        summary=closed.summary,
        legal="Warrant quashed.",
        version=closed.version,
        reason="Heard from court: methadone",
    )
    (note,) = _row(meeting_view(user=prosecutor, meeting_id=closed.meeting_id), closed).corrections
    assert note.reason is None and note.fields == ("legal",) and note.by == "Supervisor"


def test_the_page_corrects_a_closed_item_and_shows_the_note(client, site, runner, closed):
    client.force_login(runner)
    url = f"/meetings/items/{closed.pk}/correct/"
    page = client.get(f"/meetings/{closed.meeting_id}/").content.decode()
    assert "Correct this record" in page and 'name="version" value="1"' in page
    bad = client.post(url, {"summary": SUMMARY, "version": "1", "reason": ""})
    assert bad.status_code == 422 and "Say why you are correcting" in bad.content.decode()
    body = {"summary": "Better week.", "legal": closed.legal, "version": "1", "reason": "typo"}
    assert client.post(url, body).status_code == 302
    page = client.get(f"/meetings/{closed.meeting_id}/").content.decode()
    assert "Better week." in page and "Corrected on" in page and "by Supervisor: typo" in page
    stale = client.post(url, {**body, "summary": "Again.", "version": "1"})
    assert stale.status_code == 409 and "Saved by" in stale.content.decode()
    client.force_login(site["users"][Role.OFFICER])
    assert client.post(url, {**body, "version": "2"}).status_code in (403, 404)
    assert (
        "Correct this record" not in client.get(f"/meetings/{closed.meeting_id}/").content.decode()
    )
    closed.refresh_from_db()
    assert closed.summary == "Better week."


def test_the_api_corrects_items_and_action_items(client, site, runner, legal_item):
    action, _ = action_add(
        user=runner, item=legal_item, description="Call court", owner_id=runner.pk, due_on=days(1)
    )
    meeting_close(user=runner, meeting=legal_item.meeting)
    client.force_login(runner)
    url = f"/api/v1/meetings/items/{legal_item.pk}/correction"
    body = {"summary": "Better week.", "version": 1, "reason": ""}
    assert client.put(url, body, content_type="application/json").status_code == 422
    body["reason"] = "typo"
    assert client.put(url, body, content_type="application/json").status_code == 200
    stale = client.put(url, {**body, "summary": "Again."}, content_type="application/json")
    assert stale.status_code == 409 and stale.json()["detail"][0]["field"] == "summary"
    read = client.get(f"/api/v1/meetings/{legal_item.meeting_id}").json()["items"][0]
    assert read["version"] == 2 and read["corrections"][0]["reason"] == "typo"
    fix = client.put(
        f"/api/v1/meetings/actions/{action.pk}/correction",
        {
            "description": "Call the clerk",
            "owner_id": runner.pk,
            "due_on": days(3).isoformat(),
            "version": 1,
            "reason": "Clerk, not court",
        },
        content_type="application/json",
    )
    assert fix.status_code == 200 and fix.json()["version"] == 2
    assert ActionItem.objects.get().description == "Call the clerk"
    # A recording after close is still refused: only a correction changes it.
    with pytest.raises(ValidationError):
        item_record(user=runner, item=MeetingItem.objects.get(), summary="x")
    client.force_login(site["users"][Role.PROSECUTOR])
    refused = client.put(url, {**body, "version": 2}, content_type="application/json")
    assert refused.status_code in (403, 404)
