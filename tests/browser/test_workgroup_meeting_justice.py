"""A work group meeting on the prosecutor's and the defender's phones: each sees only the legal
lines of participants whose release names their own office, and the action items they own;
never the team's discussion or decisions (which speak of health), nor anyone else's rows."""

import datetime
import re

import pytest

from divert.casework.models import ReleaseOfInformation
from divert.meetings.services import action_add, item_add, meeting_create
from divert.staff.roles import Role
from tests.browser.helpers import assert_fits, phone_page
from tests.casework.helpers import enroll
from tests.conftest import local_today

pytestmark = pytest.mark.browser

ROBERT = {
    "summary": "Using daily; wants buprenorphine.",
    "decisions": "Clinic referral this week.",
    "legal": "FTA warrant: defender to ask to quash.",
}
DANA = {  # no release at all
    "summary": "Housing application in; methadone clinic daily.",
    "legal": "Pending theft case in department 3.",
}
PAT = {  # a release naming the defender's office only
    "summary": "Detox bed found at the county centre.",
    "legal": "Probation hold: defender to call the probation officer.",
}
SAM = {"summary": "Doing well; sober six weeks."}  # a release naming both, no legal line


def _seed(site, participant) -> dict:
    users, orgs = site["users"], site["orgs"]
    runner = users[Role.SUPERVISOR]
    today = local_today()
    meeting, _ = meeting_create(user=runner, held_on=today, seed=False)
    enrollments = {
        "Robert": participant["enrollment"],
        "Dana": enroll(site, "Dana Other"),
        "Pat": enroll(site, "Pat Lowe"),
        "Sam": enroll(site, "Sam Quinn"),
    }
    for name, offices in (("Pat", ["defender"]), ("Sam", ["prosecutor", "defender"])):
        release = ReleaseOfInformation.objects.create(
            person=enrollments[name].person,
            discloser=orgs["case_management"],
            purpose="coordinate cases",
            signed_on=today,
            expires_on=today + datetime.timedelta(days=365),
            signature=name,
        )
        release.recipients.set([orgs[o] for o in offices])
    items = {}
    for name, texts in (("Robert", ROBERT), ("Dana", DANA), ("Pat", PAT), ("Sam", SAM)):
        items[name], _ = item_add(
            user=runner, meeting=meeting, enrollment_id=enrollments[name].pk, **texts
        )
    due = today + datetime.timedelta(days=3)
    for item, text, owner in (
        ("Robert", "Ask the court to quash the warrant", Role.PROSECUTOR),
        ("Robert", "File the motion to quash", Role.DEFENDER),
        ("Robert", "Meet him at the clinic", Role.CASE_MANAGER),
        ("Pat", "Call the probation officer", Role.DEFENDER),
    ):
        action_add(
            user=runner, item=items[item], description=text, owner_id=users[owner].pk, due_on=due
        )
    return {"meeting": meeting}


EVERYTHING_SAID = [
    ROBERT["summary"],
    "buprenorphine",
    ROBERT["decisions"],
    DANA["summary"],
    "methadone",
    PAT["summary"],
    "Detox",
    SAM["summary"],
    "Meet him at the clinic",
    "Dana Other",
    DANA["legal"],
    "Sam Quinn",
]


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        (
            Role.PROSECUTOR,
            ["Robert Jones", ROBERT["legal"], "Ask the court to quash the warrant"],
            ["Pat Lowe", PAT["legal"], "File the motion to quash", "Call the probation officer"],
        ),
        (
            Role.DEFENDER,
            [
                "Robert Jones",
                ROBERT["legal"],
                "File the motion to quash",
                "Pat Lowe",
                PAT["legal"],
                "Call the probation officer",
            ],
            ["Ask the court to quash the warrant"],
        ),
    ],
)
def test_a_justice_partner_sees_only_the_legal_lines_their_offices_releases_allow(
    browser, live_server, audit_guard_lifted_for_flush, site, participant, role, shown, hidden
):
    from playwright.sync_api import expect

    seeded = _seed(site, participant)
    context, page = phone_page(browser, live_server, site["users"][role])
    try:
        page.goto("/")
        page.locator("main a[href='/meetings/']").first.tap()
        page.get_by_role("link", name=re.compile("^Meeting ")).first.tap()
        expect(page).to_have_url(re.compile(rf"/meetings/{seeded['meeting'].pk}/$"))
        main = page.locator("main")
        for text in shown:
            expect(main).to_contain_text(text)
        for text in [*hidden, *EVERYTHING_SAID]:
            expect(main).not_to_contain_text(text)
        rows = 2 if role == Role.DEFENDER else 1
        expect(page.locator("section.meeting-item")).to_have_count(rows)
        # Nothing to write with, and no link into the case file.
        expect(main.locator("form textarea")).to_have_count(0)
        expect(page.locator("main a[href^='/casework/enrollments/']")).to_have_count(0)
        assert_fits(page)
    finally:
        context.close()
