"""A page correction posted with a version that is not a whole number is a malformed form:
422 naming the field, nothing written; a stale version (a number) stays a 409 conflict."""

import pytest

from divert.meetings.models import ActionItem, MeetingItem
from divert.meetings.services import action_add, meeting_close
from tests.casework.helpers import days

NAMED = "version: give the version you opened,"


@pytest.fixture
def closed(runner, legal_item):
    action_add(
        user=runner, item=legal_item, description="Call court", owner_id=runner.pk, due_on=days(1)
    )
    meeting_close(user=runner, meeting=legal_item.meeting)
    legal_item.refresh_from_db()
    return legal_item


def _posts(closed):
    action = ActionItem.objects.get(item=closed)
    item_form = {"summary": "Better week.", "reason": "typo"}
    action_form = {
        "description": "Call the court",
        "owner_id": action.owner_id,
        "due_on": days(2).isoformat(),
        "reason": "typo",
    }
    return [
        (f"/meetings/items/{closed.pk}/correct/", item_form),
        (f"/meetings/actions/{action.pk}/correct/", action_form),
    ]


@pytest.mark.parametrize("version", ["abc", "", "1.5", "-1", "0", "99999999999999999999"])
def test_a_version_that_is_not_a_whole_number_is_422_naming_the_field(
    client, runner, closed, version
):
    client.force_login(runner)
    for url, form in _posts(closed):
        reply = client.post(url, {**form, "version": version})
        assert reply.status_code == 422, url
        assert f"{NAMED} a whole number above 0" in reply.content.decode()
    assert MeetingItem.objects.get(pk=closed.pk).version == 1
    assert ActionItem.objects.get(item=closed).version == 1


def test_a_stale_version_is_still_a_conflict(client, runner, closed):
    client.force_login(runner)
    for url, form in _posts(closed):
        assert client.post(url, {**form, "version": "7"}).status_code == 409, url
        assert client.post(url, {**form, "version": "1"}).status_code == 302, url
