"""Action-item text stored before the health-word check (or before a word joined the list) is
withheld from enforcement on every list of action items: the action items page and its API,
the inbox, and what marking one done answers. The case team reads it as written."""

from divert.casework.inbox import meeting_actions_due
from divert.meetings.legal_words import WITHHELD
from divert.meetings.models import ActionItem, MeetingItem
from divert.meetings.services import action_add
from divert.staff.roles import Role
from tests.casework.helpers import days

OLD = "Ask to quash: relapsed, back in rehab"


def _owned(runner, legal_item, owner) -> ActionItem:
    made, _ = action_add(
        user=runner, item=legal_item, description="Ask to quash", owner_id=owner.pk, due_on=days(1)
    )
    # Written before the check existed: straight into the table.
    ActionItem.objects.filter(pk=made.pk).update(description=OLD)
    return made


def test_the_action_items_page_and_api_withhold_old_text_from_enforcement(
    client, site, runner, legal_item
):
    users = site["users"]
    for role in (Role.PROSECUTOR, Role.DEFENDER):
        _owned(runner, legal_item, users[role])
        client.force_login(users[role])
        page = client.get("/meetings/actions/")
        assert page.status_code == 200
        html = page.content.decode()
        assert WITHHELD in html and "relapsed" not in html and "rehab" not in html
        api = client.get("/api/v1/meetings/actions")
        assert api.status_code == 200
        assert [a["description"] for a in api.json()] == [WITHHELD]
        assert "relapsed" not in api.content.decode()


def test_officers_read_no_action_items_at_all(client, site, runner, legal_item):
    _owned(runner, legal_item, site["users"][Role.PROSECUTOR])
    client.force_login(site["users"][Role.OFFICER])
    for url in ("/meetings/actions/", "/api/v1/meetings/actions"):
        reply = client.get(url)
        assert reply.status_code == 403 and "relapsed" not in reply.content.decode()
    assert meeting_actions_due(user=site["users"][Role.OFFICER], due_by=days(7)) == []


def test_the_inbox_list_withholds_old_text_from_enforcement(site, runner, legal_item):
    for role in (Role.PROSECUTOR, Role.DEFENDER):
        owner = site["users"][role]
        _owned(runner, legal_item, owner)
        [due] = meeting_actions_due(user=owner, due_by=days(7))
        assert due.description == WITHHELD
    # Only what was read is withheld: the stored text is untouched.
    assert set(ActionItem.objects.values_list("description", flat=True)) == {OLD}


def test_marking_done_answers_with_the_text_withheld(client, site, runner, legal_item):
    prosecutor = site["users"][Role.PROSECUTOR]
    action = _owned(runner, legal_item, prosecutor)
    client.force_login(prosecutor)
    reply = client.post(f"/api/v1/meetings/actions/{action.pk}/done")
    assert reply.status_code == 200 and reply.json()["description"] == WITHHELD
    client.post(f"/meetings/actions/{action.pk}/done/", {"done": "0"})
    html = client.get("/meetings/actions/").content.decode()  # the notice is shown here
    assert "Opened again" in html and "relapsed" not in html
    action.refresh_from_db()
    assert action.description == OLD and action.done_on is None


def test_the_case_team_reads_old_text_as_written(client, site, runner, legal_item):
    manager = site["users"][Role.CASE_MANAGER]  # Robert Jones's case manager
    _owned(runner, legal_item, manager)
    client.force_login(manager)
    assert OLD in client.get("/meetings/actions/").content.decode()
    assert [a["description"] for a in client.get("/api/v1/meetings/actions").json()] == [OLD]
    assert OLD in client.get("/inbox/").content.decode()
    assert [
        a["description"] for a in client.get("/api/v1/casework/inbox").json()["action_items"]
    ] == [OLD]
    [due] = meeting_actions_due(user=manager, due_by=days(7))
    assert due.description == OLD


def test_the_printed_minutes_pdf_and_htmx_record_withhold_old_text(
    client, site, runner, legal_item, monkeypatch
):
    from divert.meetings import minutes

    rendered = []

    def keep(*args, **kwargs):
        rendered.append(render(*args, **kwargs))
        return rendered[-1]

    render = minutes.render_to_string
    monkeypatch.setattr(minutes, "render_to_string", keep)
    MeetingItem.objects.filter(pk=legal_item.pk).update(legal="FTA: was in rehab")
    meeting = legal_item.meeting_id
    for role in (Role.PROSECUTOR, Role.DEFENDER):
        _owned(runner, legal_item, site["users"][role])
        client.force_login(site["users"][role])
        printed = client.get(f"/meetings/{meeting}/print/").content.decode()
        fragment = client.get(f"/meetings/{meeting}/", HTTP_HX_REQUEST="true").content.decode()
        assert client.get(f"/meetings/{meeting}/print/?format=pdf").status_code == 200
        for html in (printed, fragment, rendered[-1]):
            assert WITHHELD in html and "relapsed" not in html and "rehab" not in html
    client.force_login(site["users"][Role.OFFICER])
    printed = client.get(f"/meetings/{meeting}/print/").content.decode()
    assert "relapsed" not in printed and "rehab" not in printed
    client.force_login(runner)
    assert OLD in client.get(f"/meetings/{meeting}/print/").content.decode()
