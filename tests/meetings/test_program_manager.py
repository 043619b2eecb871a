"""A program manager oversees how meetings run: held, attendance, participants discussed,
action items done and overdue. Of a meeting someone else ran they read no one's row; of one
they ran, everything."""

import datetime

import pytest

from divert.audit.models import AuditEntry
from divert.meetings.selectors import meeting_view
from divert.meetings.services import action_add, action_done, item_add, meeting_create
from divert.staff.roles import Role
from tests.casework.helpers import days
from tests.conftest import local_today

SAID = ("Using daily", "buprenorphine", "Clinic referral", "FTA warrant", "methadone", "Housing")


@pytest.fixture
def actions(runner, legal_item, other_item, frozen_clock):
    late, _ = action_add(
        user=runner, item=legal_item, description="Call court", owner_id=runner.pk, due_on=days(0)
    )
    done, _ = action_add(
        user=runner, item=other_item, description="Housing form", owner_id=runner.pk, due_on=days(1)
    )
    action_done(user=runner, action=done)
    action_add(
        user=runner, item=other_item, description="Find ID", owner_id=runner.pk, due_on=days(5)
    )
    frozen_clock.shift(datetime.timedelta(days=2))  # the first is now overdue
    return late


def test_of_a_meeting_someone_else_ran_only_the_meeting_and_its_counts(
    client, site, legal_item, other_item, actions
):
    manager = site["users"][Role.PROGRAM_MANAGER]
    meeting_id = legal_item.meeting_id
    view = meeting_view(user=manager, meeting_id=meeting_id)
    assert view.items == []
    counts = view.counts
    assert (counts.participants, counts.actions, counts.done, counts.overdue) == (2, 3, 1, 1)
    entry = AuditEntry.objects.filter(kind="meeting", action="view", actor_id=manager.pk).latest(
        "id"
    )
    assert entry.detail["enrollments"] == []
    client.force_login(manager)
    page = client.get(f"/meetings/{meeting_id}/").content.decode()
    api = client.get(f"/api/v1/meetings/{meeting_id}").json()
    assert "2 participants discussed" in page and "1 overdue" in page
    assert api["items"] == [] and api["counts"] == {
        "participants": 2,
        "actions": 3,
        "done": 1,
        "overdue": 1,
    }
    for text in (page, str(api)):
        assert "Robert Jones" not in text and "Dana Other" not in text
        assert not any(word in text for word in SAID)
    # Nor the items and action items one by one.
    assert client.put(
        f"/api/v1/meetings/items/{legal_item.pk}", {"summary": "x"}, content_type="application/json"
    ).status_code in (403, 404)
    assert client.post(f"/api/v1/meetings/actions/{actions.pk}/done").status_code in (403, 404)


def test_of_a_meeting_they_ran_everything(site, participant):
    manager = site["users"][Role.PROGRAM_MANAGER]
    meeting, _ = meeting_create(user=manager, held_on=local_today(), seed=False)
    item, _ = item_add(
        user=manager,
        meeting=meeting,
        enrollment_id=participant["enrollment"].pk,
        summary="Housing application in.",
        legal="No open cases.",
    )
    action_add(user=manager, item=item, description="Call", owner_id=manager.pk, due_on=days(1))
    (row,) = meeting_view(user=manager, meeting_id=meeting.pk).items
    assert row.summary == "Housing application in." and [a.description for a in row.actions] == [
        "Call"
    ]
    assert row.may_record


def test_others_who_run_meetings_see_the_counts_and_justice_partners_do_not(site, legal_item):
    for role in (Role.SUPERVISOR, Role.CASE_MANAGER):
        assert meeting_view(user=site["users"][role], meeting_id=legal_item.meeting_id).counts
    for role in (Role.OFFICER, Role.PROSECUTOR, Role.DEFENDER):
        view = meeting_view(user=site["users"][role], meeting_id=legal_item.meeting_id)
        assert view.counts is None
