"""The inbox: new hand-offs with both clocks, arriving without a reload; alerts; tasks due."""

import pytest

from divert.audit.models import AuditEntry
from divert.casework.tasks import task_create
from divert.staff.roles import Role
from tests.casework.helpers import days, enroll, hand_off
from tests.conftest import local_today


def test_a_new_hand_off_shows_both_clocks(client, site, on_call):
    referral = hand_off(site, "Nadia")
    client.force_login(on_call)
    html = client.get("/inbox/").content.decode()
    row = html.split(f'data-referral="{referral.pk}"', 1)[1].split("</tr>", 1)[0]
    assert "Nadia Arrival" in row
    assert "min</span> of 30" in row  # the hand-off clock against its target
    due = referral.enrollment.intake_due_on
    left = (due - local_today()).days
    assert f"{left} day{'s' if left != 1 else ''} left" in row
    assert due.strftime("%a %-d %b %Y") in row


def test_the_inbox_polls_and_shows_a_new_hand_off_without_a_reload(client, site, on_call):
    hand_off(site, "First")
    client.force_login(on_call)
    html = client.get("/inbox/").content.decode()
    assert 'hx-trigger="every 30s"' in html
    poll = html.split('hx-get="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    reads = AuditEntry.objects.count()
    quiet = client.get(poll, HTTP_HX_REQUEST="true")
    assert quiet.status_code == 204 and AuditEntry.objects.count() == reads
    hand_off(site, "Second")
    fresh = client.get(poll, HTTP_HX_REQUEST="true")
    assert fresh.status_code == 200 and "Second Arrival" in fresh.content.decode()
    assert "<html" not in fresh.content.decode()


def test_alerts_tasks_and_waiting_intakes_are_in_the_inbox(client, site, on_call):
    enroll(site, "Overdue Person", status="intake_pending", referred=-20, due=-1, intake=None)
    enroll(site, "Quiet Person", referred=-90, intake=-80)
    task_create(user=on_call, title="Call the shelter", due_on=days(2))
    task_create(user=on_call, title="Far future", due_on=days(30))
    client.force_login(on_call)
    html = client.get("/inbox/").content.decode()
    assert 'data-kind="intake_overdue"' in html and 'data-kind="no_contact"' in html
    assert "Call the shelter" in html and "Far future" not in html
    waiting = html.split("Waiting on your intake", 1)[1]
    assert "Overdue Person" in waiting and "Quiet Person" not in waiting


def test_a_case_manager_lands_on_the_inbox(client, site):
    user = site["users"][Role.CASE_MANAGER]
    response = client.post(
        "/login/", {"username": user.username, "password": "pw-for-tests-only"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/inbox/"


@pytest.mark.parametrize("role", [Role.OFFICER, Role.PROSECUTOR])
def test_enforcement_gets_403_on_the_inbox(client, site, on_call, role):
    hand_off(site, "Hidden")
    client.force_login(site["users"][role])
    for url in ("/inbox/", "/inbox/handoffs/", "/api/v1/casework/inbox"):
        response = client.get(url)
        assert response.status_code == 403 and b"Hidden" not in response.content
