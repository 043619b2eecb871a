"""The meeting page redraws its record in place for htmx and posts and redirects without it;
the minutes show exactly what the reader may see, on screen, on paper and as a PDF."""

import uuid

import pytest

from divert.audit.models import AuditEntry
from divert.meetings.models import ActionItem, MeetingItem
from divert.meetings.services import action_add
from divert.staff.roles import Role
from tests.casework.helpers import days
from tests.conftest import local_today

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_adding_an_item_by_htmx_answers_the_record_alone(client, site, meeting, participant):
    client.force_login(site["users"][Role.SUPERVISOR])
    body = {
        "enrollment_id": participant["enrollment"].pk,
        "summary": "Seen at the shelter.",
        "client_id": str(uuid.uuid4()),
    }
    response = client.post(f"/meetings/{meeting.pk}/items/", body, **HTMX)
    text = response.content.decode()
    assert response.status_code == 200 and "<html" not in text
    assert "Recorded: Robert Jones" in text and "Seen at the shelter." in text
    assert 'hx-post="/meetings/items/' in text  # the new row's own forms come with it
    body = {**body, "summary": "", "client_id": str(uuid.uuid4())}
    bad = client.post(f"/meetings/{meeting.pk}/items/", body, **HTMX)
    # htmx swaps only a 2xx: the refusal comes back as the record with the field named.
    assert bad.status_code == 200 and "field-error" in bad.content.decode()
    assert MeetingItem.objects.count() == 1


def test_without_javascript_the_same_forms_post_and_redirect(client, site, meeting, participant):
    client.force_login(site["users"][Role.SUPERVISOR])
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert f'action="/meetings/{meeting.pk}/items/"' in page and 'id="meeting-record"' in page
    body = {"enrollment_id": participant["enrollment"].pk, "summary": "Seen."}
    response = client.post(f"/meetings/{meeting.pk}/items/", body)
    assert response.status_code == 302
    assert "Recorded: Robert Jones" in client.get(response.url).content.decode()


def test_an_action_item_is_added_and_done_in_place(client, site, runner, legal_item):
    client.force_login(runner)
    added = client.post(
        f"/meetings/items/{legal_item.pk}/actions/",
        {"description": "Call court", "owner_id": runner.pk, "due_on": days(1).isoformat()},
        **HTMX,
    )
    action = ActionItem.objects.get()
    assert added.status_code == 200 and f'data-action="{action.pk}"' in added.content.decode()
    assert "Mark done" in added.content.decode()
    done = client.post(f"/meetings/actions/{action.pk}/done/", {"done": "1"}, **HTMX)
    assert done.status_code == 200 and "Done: Call court" in done.content.decode()
    assert "Open again" in done.content.decode() and "<html" not in done.content.decode()
    action.refresh_from_db()
    assert action.done_on == local_today()
    # The inbox's plain form still redirects.
    again = client.post(f"/meetings/actions/{action.pk}/done/", {"done": "0", "next": "/inbox/"})
    assert again.status_code == 302 and again.url == "/inbox/"


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        (Role.SUPERVISOR, ["Using daily; wants buprenorphine.", "FTA warrant", "Dana Other"], []),
        (
            Role.PROSECUTOR,
            ["Robert Jones", "FTA warrant: defender to ask to quash."],
            ["buprenorphine", "Clinic referral", "Dana Other", "methadone", "Call court"],
        ),
        (Role.OFFICER, ["Robert Jones", "206-555-0199"], ["FTA warrant", "buprenorphine"]),
    ],
)
def test_the_minutes_show_what_the_reader_may_see_and_are_an_audited_read(
    client, site, runner, legal_item, other_item, role, shown, hidden
):
    action_add(
        user=runner, item=legal_item, description="Call court", owner_id=runner.pk, due_on=days(1)
    )
    user = site["users"][role]
    client.force_login(user)
    response = client.get(f"/meetings/{legal_item.meeting_id}/print/")
    text = response.content.decode()
    assert response.status_code == 200 and "minutes.css" in text and "<nav" not in text
    for word in shown:
        assert word in text, word
    for word in hidden:
        assert word not in text, word
    entry = AuditEntry.objects.filter(kind="meeting", action="view", actor_id=user.pk).latest("id")
    assert entry.object_id == str(legal_item.meeting_id)
    client.force_login(site["users"][Role.EVALUATOR])
    assert client.get(f"/meetings/{legal_item.meeting_id}/print/").status_code == 403


def test_the_minutes_as_a_pdf(client, site, legal_item):
    client.force_login(site["users"][Role.PROSECUTOR])
    response = client.get(f"/meetings/{legal_item.meeting_id}/print/?format=pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
