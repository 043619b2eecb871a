"""The caseload page: urgency first, fuzzy name search, filters, paging, and the CSV export."""

import csv
import io
import re

import pytest

from divert.audit.models import AuditEntry
from divert.staff.models import User
from divert.staff.roles import Role
from tests.casework.helpers import days, enroll, seen


def names(html: str) -> list[str]:
    return re.findall(r'href="/casework/enrollments/\d+/">([^<]+)</a>', html)


@pytest.fixture
def cm_client(client, site):
    client.force_login(site["users"][Role.CASE_MANAGER])
    return client


def test_the_most_urgent_come_first(cm_client, site):
    seen(enroll(site, "Seen Yesterday"), 1)
    seen(enroll(site, "Seen Longago"), 40)
    enroll(site, "Never Seen")
    enroll(site, "Due Tomorrow", status="referred", referred=-2, due=1, intake=None)
    enroll(site, "Due Nextmonth", status="referred", referred=-2, due=30, intake=None)
    enroll(site, "Overdue Twodays", status="intake_pending", referred=-20, due=-2, intake=None)
    enroll(site, "Overdue Oneday", status="intake_pending", referred=-20, due=-1, intake=None)
    html = cm_client.get("/casework/").content.decode()
    assert names(html) == [
        "Overdue Twodays",
        "Overdue Oneday",
        "Due Tomorrow",
        "Never Seen",  # no contact since a referral 60 days ago
        "Due Nextmonth",  # no contact since a referral 2 days ago
        "Seen Longago",
        "Seen Yesterday",
    ]


def test_an_attempted_contact_is_not_a_last_contact(cm_client, site):
    found = enroll(site, "Found Once")
    seen(found, 10)
    seen(found, 2, kind="attempted")
    html = cm_client.get("/casework/").content.decode()
    assert days(-10).strftime("%-d %b %Y") in html
    assert days(-2).strftime("%-d %b %Y") not in html.split("Found Once", 1)[1].split("</tr>")[0]


def test_a_name_search_is_fuzzy(cm_client, site):
    enroll(site, "Robert Jones")
    enroll(site, "Maria Lopez")
    html = cm_client.get("/casework/", {"f": "1", "mine": "on", "name": "bob jones"}).content
    assert names(html.decode()) == ["Robert Jones"]
    nobody = cm_client.get("/casework/", {"f": "1", "name": "zebulon quartermaine"}).content
    assert b"No participants match." in nobody and b"0 participants" in nobody


def test_filters_status_no_contact_and_deadline(cm_client, site):
    seen(enroll(site, "Recent Contact"), 3)
    seen(enroll(site, "Old Contact"), 45)
    enroll(site, "Waiting Intake", status="referred", referred=-1, due=2, intake=None)
    enroll(site, "Later Intake", status="referred", referred=-1, due=20, intake=None)

    def shown(**query):
        return set(
            names(cm_client.get("/casework/", {"f": "1", "mine": "on", **query}).content.decode())
        )

    assert shown(status="referred") == {"Waiting Intake", "Later Intake"}
    assert shown(status="active", no_contact_days=30) == {"Old Contact"}
    assert shown(due_within_days=5) == {"Waiting Intake"}


def test_exited_people_are_hidden_unless_asked_for(cm_client, site):
    enroll(site, "Still Here")
    enroll(site, "Gone Away", status="exited")
    assert names(cm_client.get("/casework/").content.decode()) == ["Still Here"]
    asked = cm_client.get("/casework/", {"f": "1", "mine": "on", "exited": "on"}).content.decode()
    assert set(names(asked)) == {"Still Here", "Gone Away"}
    assert names(cm_client.get("/casework/", {"f": "1", "status": "exited"}).content.decode()) == [
        "Gone Away"
    ]


def test_pages_of_25_with_a_visible_total(cm_client, site):
    for i in range(30):
        enroll(site, f"Person{chr(65 + i % 26)}{i} Many")
    first = cm_client.get("/casework/").content.decode()
    assert len(names(first)) == 25 and "30 participants" in first and "Page 1 of 2" in first
    second = cm_client.get("/casework/", {"page": 2}).content.decode()
    assert len(names(second)) == 5
    assert not set(names(first)) & set(names(second))


def test_a_case_manager_starts_from_their_own_caseload(cm_client, site):
    other = User.objects.create_user(
        username="other-cm", organization=site["orgs"]["case_management"], roles=["case_manager"]
    )
    enroll(site, "Mine Only")
    enroll(site, "Theirs Only", manager=other)
    assert names(cm_client.get("/casework/").content.decode()) == ["Mine Only"]
    everyone = cm_client.get("/casework/", {"f": "1"}).content.decode()
    assert set(names(everyone)) == {"Mine Only", "Theirs Only"}
    assert 'name="case_manager"' not in everyone  # the team filter is the supervisor's


def test_a_supervisor_filters_by_case_manager(client, site):
    other = User.objects.create_user(
        username="other-cm", organization=site["orgs"]["case_management"], roles=["case_manager"]
    )
    enroll(site, "Mine Only")
    enroll(site, "Theirs Only", manager=other)
    client.force_login(site["users"][Role.SUPERVISOR])
    assert set(names(client.get("/casework/").content.decode())) == {"Mine Only", "Theirs Only"}
    html = client.get("/casework/", {"f": "1", "case_manager": other.pk}).content.decode()
    assert names(html) == ["Theirs Only"]


def test_a_bad_filter_is_named_on_the_page(cm_client, site):
    response = cm_client.get("/casework/", {"f": "1", "no_contact_days": "-3", "status": "failed"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="field-error"') == 2
    assert "Select a valid choice" in html and "greater than or equal to 0" in html


def test_the_csv_export_is_filtered_audited_and_defused(cm_client, site):
    enroll(site, "=cmd|calc Evil")
    enroll(site, "Gone Away", status="exited")
    response = cm_client.get("/casework/caseload.csv", {"f": "1", "mine": "on"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["enrollment_id", "participant", "status"]
    assert [r[1] for r in rows[1:]] == ["'=cmd|calc Evil"]
    entry = AuditEntry.objects.filter(action="export", kind="enrollment").get()
    assert entry.outcome == "allowed" and entry.actor == site["users"][Role.CASE_MANAGER].username


@pytest.mark.parametrize("role", [Role.OFFICER, Role.PROSECUTOR, Role.DEFENDER, Role.PARTNER])
def test_enforcement_and_partners_are_refused_the_caseload_and_its_export(client, site, role):
    enroll(site, "Robert Jones")
    client.force_login(site["users"][role])
    for url in ("/casework/", "/casework/caseload.csv"):
        response = client.get(url)
        assert response.status_code == 403 and b"Robert" not in response.content
