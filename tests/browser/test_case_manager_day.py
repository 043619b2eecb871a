"""A case manager's day on a phone (Debian chromium, 390 x 844), from a new hand-off to a
status change, with no sideways scroll on any page. Screenshots go to docs/roles/img/ for
docs/roles/case-manager.md.

Steps covered: the hand-off arrives in the open inbox without a reload; the profile; intake;
a release of information signed with a finger; a task; a status change; the caseload. Steps
this test does not cover yet: the assessment, the plan with a goal, and a contact logged
offline and synced.
"""

import datetime
from pathlib import Path

import pytest

from divert.casework.models import Enrollment, Task
from divert.field import diversion
from divert.field.policies import policy_load
from divert.jurisdictions.models import Organization
from divert.people.models import Person
from divert.staff.roles import Role
from tests.browser.test_release import _sign
from tests.conftest import local_today
from tests.field.conftest import POLICIES

pytestmark = pytest.mark.browser

PASSWORD = "pw-for-tests-only"  # set by make_site in tests/conftest.py
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "roles" / "img"
POSSESSION = {
    "area": "West",
    "person": {"date_of_birth": "1984-02-29"},
    "offenses": [{"nibrs": "35A", "activity": "possess", "drug": "heroin", "grams": 2.5}],
}


def _fits(page) -> None:
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, (page.url, scroll, inner)


def _shot(page, name: str) -> None:
    _fits(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"case-manager-{name}.png"), full_page=True, scale="css")


@pytest.fixture
def day(site):
    policy_load(
        jurisdiction=site["site"],
        text=(POLICIES / "seattle-2011.toml").read_text(),
        source="seattle-2011.toml",
    )
    manager = site["users"][Role.CASE_MANAGER]
    manager.first_name, manager.last_name, manager.on_call = "Dana", "Reyes", True
    manager.save()
    officer = site["users"][Role.OFFICER]
    officer.first_name, officer.last_name = "Sam", "Ortiz"
    officer.save()
    return {"manager": manager, "officer": officer, "site": site["site"]}


def test_a_case_managers_day_from_hand_off_to_status_change(phone, day):
    from playwright.sync_api import expect

    page, manager = phone, day["manager"]
    today = local_today()

    # Morning: log in on the phone and land on the inbox.
    page.goto("/login/", timeout=60_000)  # the live server's first answer imports the site
    page.get_by_label("Username").fill(manager.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").tap()
    expect(page.get_by_role("heading", name="Inbox", exact=True)).to_be_visible()
    expect(page.locator("#handoffs")).to_contain_text("No new hand-offs")
    _fits(page)

    # An officer diverts someone on the street (the officer's own phone; its browser test is
    # test_officer_flow). The open inbox shows the hand-off at its next poll, unreloaded.
    person = Person.objects.create(jurisdiction=day["site"], first_name="Marcus", last_name="Hale")
    case = {**POSSESSION, "date": today.isoformat()}
    screening = diversion.screening_run(user=day["officer"], case=case, person=person)
    referral = diversion.diversion_create(
        user=day["officer"], screening=screening, pathway="arrest_diversion"
    )
    row = page.locator(f'#handoffs tr[data-referral="{referral.pk}"]')
    expect(row).to_contain_text("Marcus Hale", timeout=45_000)  # polled every 30 s
    expect(row).to_contain_text("min of 30")
    expect(row).to_contain_text("days left")
    _shot(page, "inbox")

    # The participant's page: status, the intake deadline, and what to do next.
    row.get_by_role("link", name="Marcus Hale").tap()
    expect(page.get_by_role("heading", name="Marcus Hale")).to_be_visible()
    expect(page.locator("[data-deadline]")).to_contain_text("Intake due")
    _shot(page, "profile-new")

    # Intake, dated today.
    page.get_by_role("link", name="Record intake").first.tap()
    expect(page.get_by_role("heading", name="Intake: Marcus Hale")).to_be_visible()
    page.get_by_label("Intake date").fill(today.isoformat())
    _shot(page, "intake")
    page.get_by_role("button", name="Record intake").tap()
    expect(page.locator(".status")).to_contain_text("Active")
    enrollment = Enrollment.objects.get(referral=referral)
    assert enrollment.status == "active" and enrollment.intake_completed_on == today

    # A release of information, signed with a finger, naming the prosecutor's office.
    office = Organization.objects.get(jurisdiction=day["site"], kind="prosecutor")
    page.goto(f"/casework/enrollments/{enrollment.pk}/")
    page.get_by_role("link", name="Releases of information").tap()
    page.get_by_role("link", name="New release").tap()
    page.get_by_label(office.name).check()
    page.get_by_label("Purpose").fill("Coordinate my case with the court")
    page.get_by_label("Expires on").fill((today + datetime.timedelta(days=365)).isoformat())
    _sign(page)
    _shot(page, "release")
    page.get_by_role("button", name="Save the release").tap()
    expect(page.locator("[data-release-state]")).to_have_text("In force")
    assert list(enrollment.person.releases.get().recipients.all()) == [office]

    # A task from the participant's page: bring his ID papers to the housing office.
    page.goto(f"/casework/enrollments/{enrollment.pk}/")
    page.get_by_text("Add a task").tap()
    page.get_by_label("What needs doing").fill("Bring ID papers to the housing office")
    page.get_by_label("Due").fill(today.isoformat())
    page.get_by_role("button", name="Add task").tap()
    expect(page.locator("#tasks-title + ul")).to_contain_text("Bring ID papers")
    assert Task.objects.get(enrollment=enrollment).owner == manager
    _shot(page, "profile")

    # The task is due today, so the inbox shows it.
    page.goto("/inbox/")
    expect(page.locator("[data-task]")).to_contain_text("Bring ID papers")
    _fits(page)

    # A status change: he is moving to his sister's for a while.
    page.goto(f"/casework/enrollments/{enrollment.pk}/")
    page.get_by_role("link", name="Status, exit, re-engage").tap()
    page.get_by_label("New status").select_option("inactive")
    page.locator("#move-on").fill(today.isoformat())  # the move form's own date
    page.get_by_label("Why (optional)").fill("Staying with his sister out of town")
    page.get_by_role("button", name="Change status").tap()
    expect(page.locator(".status").first).to_contain_text("Inactive")
    enrollment.refresh_from_db()
    assert enrollment.status == "inactive"
    _shot(page, "status")

    # The caseload, most urgent first, with the menu open.
    page.goto("/casework/")
    expect(page.get_by_role("heading", name="Caseload")).to_be_visible()
    _shot(page, "caseload")
    page.locator("details.menu summary").tap()
    _shot(page, "menu")
