"""What a prosecutor, defender or officer reads of a meeting refuses health words when it is
written (guests, an action item they own), and stored text that fails the check is withheld
from them while the case team reads it as written."""

import pytest
from django.core.exceptions import ValidationError

from divert.meetings.legal_words import WITHHELD
from divert.meetings.models import ActionItem, Meeting, MeetingItem
from divert.meetings.services import action_add, meeting_update
from divert.staff.roles import Role
from tests.casework.helpers import days


def test_a_prosecutor_owned_action_item_refuses_health_words(site, runner, legal_item):
    prosecutor = site["users"][Role.PROSECUTOR]
    with pytest.raises(ValidationError) as exc:
        action_add(
            user=runner,
            item=legal_item,
            description="Tell court he is in detox",
            owner_id=prosecutor.pk,
            due_on=days(1),
        )
    assert '"detox"' in exc.value.message_dict["description"][0]
    # The case team's own to-dos may speak of health.
    action_add(
        user=runner,
        item=legal_item,
        description="Find a detox bed",
        owner_id=runner.pk,
        due_on=days(1),
    )
    assert list(ActionItem.objects.values_list("owner_id", flat=True)) == [runner.pk]


def test_guests_refuse_health_words(runner, meeting):
    with pytest.raises(ValidationError) as exc:
        meeting_update(user=runner, meeting=meeting, guests="Dr. Lee, methadone clinic")
    assert '"methadone"' in exc.value.message_dict["guests"][0]
    meeting_update(user=runner, meeting=meeting, guests="J. Lee, public defender's office")


def test_stored_text_failing_the_check_is_withheld_from_enforcement(
    client, site, runner, legal_item
):
    prosecutor = site["users"][Role.PROSECUTOR]
    action_add(
        user=runner,
        item=legal_item,
        description="Ask to quash",
        owner_id=prosecutor.pk,
        due_on=days(1),
    )
    # Written before the check (or before a word joined the list).
    MeetingItem.objects.filter(pk=legal_item.pk).update(legal="FTA: was in rehab")
    ActionItem.objects.update(description="Ask to quash: relapsed")
    Meeting.objects.update(guests="nurse from the HIV clinic")
    url = f"/api/v1/meetings/{legal_item.meeting_id}"
    for role in (Role.PROSECUTOR, Role.DEFENDER):
        client.force_login(site["users"][role])
        read = client.get(url).json()
        assert read["items"][0]["legal"] == WITHHELD and read["guests"] == WITHHELD
        page = client.get(f"/meetings/{legal_item.meeting_id}/").content.decode()
        assert "rehab" not in page and "HIV" not in page
    client.force_login(prosecutor)
    [item] = client.get(url).json()["items"]
    assert [a["description"] for a in item["actions"]] == [WITHHELD]
    client.force_login(runner)
    read = client.get(url).json()
    assert read["items"][0]["legal"] == "FTA: was in rehab"
    assert read["guests"] == "nurse from the HIV clinic"
