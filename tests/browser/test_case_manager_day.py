"""A case manager's day on a phone (Debian chromium, 390 x 844), from a new hand-off to a
status change, with no sideways scroll on any page. Screenshots go to docs/roles/img/ for
docs/roles/case-manager.md, which walks through the same steps.

One flow, one function per step, in the order of the day: the hand-off arrives in the open
inbox without a reload; the participant's page; intake; the assessment; a release of
information signed with a finger; the plan with a goal; a contact logged with no network and
sent once it returns; a task; a status change; the caseload and the menu. A new step is a function called in its place in the flow.
"""

import datetime
from pathlib import Path

import pytest

from divert.assessment.models import Answer
from divert.casework.models import Contact, Enrollment, Goal, InterventionPlan, Task
from divert.field import diversion
from divert.field.policies import policy_load
from divert.jurisdictions.models import Organization
from divert.people.models import Person
from divert.staff.roles import Role
from tests.browser.helpers import assert_fits, shot
from tests.browser.test_casework_phone import _watch
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


def _shot(page, name: str) -> None:
    shot(page, SHOTS / f"case-manager-{name}.png")


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


def _log_in(page, manager) -> None:
    """Morning: log in on the phone and land on the inbox."""
    from playwright.sync_api import expect

    page.goto("/login/", timeout=60_000)  # the live server's first answer imports the site
    page.get_by_label("Username").fill(manager.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").tap()
    expect(page.get_by_role("heading", name="Inbox", exact=True)).to_be_visible()
    expect(page.locator("#handoffs")).to_contain_text("No new hand-offs")
    assert_fits(page)


def _hand_off(page, day):
    """An officer diverts someone on the street (the officer's own phone; its browser test is
    test_officer_flow). The open inbox shows the hand-off at its next poll, unreloaded."""
    from playwright.sync_api import expect

    person = Person.objects.create(jurisdiction=day["site"], first_name="Marcus", last_name="Hale")
    case = {**POSSESSION, "date": local_today().isoformat()}
    screening = diversion.screening_run(user=day["officer"], case=case, person=person)
    referral = diversion.diversion_create(
        user=day["officer"], screening=screening, pathway="arrest_diversion"
    )
    row = page.locator(f'#handoffs tr[data-referral="{referral.pk}"]')
    expect(row).to_contain_text("Marcus Hale", timeout=45_000)  # polled every 30 s
    expect(row).to_contain_text("min of 30")
    expect(row).to_contain_text("days left")
    _shot(page, "inbox")
    return referral, row


def _profile(page, row) -> None:
    """The participant's page: status, the intake deadline, and what to do next."""
    from playwright.sync_api import expect

    row.get_by_role("link", name="Marcus Hale").tap()
    expect(page.get_by_role("heading", name="Marcus Hale")).to_be_visible()
    expect(page.locator("[data-deadline]")).to_contain_text("Intake due")
    _shot(page, "profile-new")


def _intake(page, referral) -> Enrollment:
    """Intake, dated today."""
    from playwright.sync_api import expect

    today = local_today()
    page.get_by_role("link", name="Record intake").first.tap()
    expect(page.get_by_role("heading", name="Intake: Marcus Hale")).to_be_visible()
    page.get_by_label("Intake date").fill(today.isoformat())
    _shot(page, "intake")
    page.get_by_role("button", name="Record intake").tap()
    expect(page.locator(".status")).to_contain_text("Active")
    enrollment = Enrollment.objects.get(referral=referral)
    assert enrollment.status == "active" and enrollment.intake_completed_on == today
    return enrollment


def _assessment(page, enrollment) -> None:
    """The intake assessment on the site's instrument (divert's default here): where he sleeps,
    and a health answer kept from justice partners."""
    from playwright.sync_api import expect

    page.goto(f"/casework/enrollments/{enrollment.pk}/")
    page.get_by_role("link", name="Assessments and monthly measures").tap()
    page.get_by_role("link", name="New assessment").tap()
    expect(page.get_by_role("heading", name="Assessment: Marcus Hale")).to_be_visible()
    page.get_by_label("Where have you slept most nights in the last 30 days?").select_option(
        "shelter"
    )
    page.get_by_label("Heroin, fentanyl or other opioids").check()
    _shot(page, "assessment-form")
    page.get_by_role("button", name="Save assessment").tap()
    expect(page.get_by_text("Emergency shelter")).to_be_visible()
    _shot(page, "assessment")
    assert Answer.objects.filter(assessment__enrollment=enrollment, health=True).exists()


def _release(page, enrollment) -> None:
    """A release of information, signed with a finger, naming the prosecutor's office."""
    from playwright.sync_api import expect

    from tests.browser.test_release import _sign

    office = Organization.objects.get(jurisdiction=enrollment.jurisdiction, kind="prosecutor")
    page.goto(f"/casework/enrollments/{enrollment.pk}/")
    page.get_by_role("link", name="Releases of information").tap()
    page.get_by_role("link", name="New release").tap()
    page.get_by_label(office.name).check()
    page.get_by_label("Purpose").fill("Coordinate my case with the court")
    expires = local_today() + datetime.timedelta(days=365)
    page.get_by_label("Expires on").fill(expires.isoformat())
    _sign(page)
    _shot(page, "release")
    page.get_by_role("button", name="Save the release").tap()
    expect(page.locator("[data-release-state]")).to_have_text("In force")
    assert list(enrollment.person.releases.get().recipients.all()) == [office]


def _plan(page, enrollment) -> None:
    """The plan, started when he is ready, with a first goal."""
    from playwright.sync_api import expect

    page.goto(f"/casework/enrollments/{enrollment.pk}/")
    page.get_by_role("link", name="Start the plan").tap()
    expect(page.get_by_role("heading", name="No plan yet")).to_be_visible()
    page.get_by_label("Summary, in the participant's words").fill("A room, then work.")
    page.get_by_role("button", name="Start the plan").tap()
    adding = page.locator("section", has=page.get_by_role("heading", name="Add a goal"))
    adding.get_by_label("Domain").select_option("documents")
    adding.get_by_label("Goal", exact=True).fill("A state ID")
    adding.get_by_label("Who does it").select_option("together")
    adding.get_by_role("button", name="Add the goal").tap()
    goal = page.locator("li.goal", has_text="A state ID")
    expect(goal).to_be_visible()
    goal.get_by_label("Next step").fill("Birth certificate from the county")
    goal.get_by_role("button", name="Add the step").tap()
    expect(page.get_by_role("button", name="Mark done: Birth certificate")).to_be_visible()
    _shot(page, "plan")
    assert InterventionPlan.objects.filter(enrollment=enrollment).count() == 1
    assert Goal.objects.get(plan__enrollment=enrollment).description == "A state ID"


def _contact_offline(page, enrollment) -> None:
    """Under the bridge, no signal: the contact waits on the phone and is sent, once, when
    the network returns."""
    from playwright.sync_api import expect

    page.goto(f"/casework/enrollments/{enrollment.pk}/contacts/new/")
    ready = "navigator.serviceWorker.ready.then(r => r.active.scriptURL)"
    assert page.evaluate(ready).endswith("/sw.js")  # installed while online
    status = page.locator("[data-queue-status] .queue-count").first
    page.context.set_offline(True)
    page.get_by_label("Where").select_option("street")
    page.get_by_label("Minutes").fill("20")
    page.get_by_label("Short note").fill("Under the bridge; brought water.")
    page.get_by_role("button", name="Log the contact").tap()
    expect(status).to_have_text("1 contact waiting to send.")
    _shot(page, "contact-offline")
    assert not Contact.objects.filter(enrollment=enrollment).exists()
    page.context.set_offline(False)
    expect(status).to_have_text("All contacts sent (1 just now).", timeout=30_000)
    [contact] = Contact.objects.filter(enrollment=enrollment)
    assert (contact.place, contact.minutes) == ("street", 20)
    page.reload()
    expect(page.locator(".contacts-list")).to_contain_text("Under the bridge")
    _shot(page, "contact-sent")


def _task(page, enrollment, manager) -> None:
    """A task from the participant's page, due today, so the inbox shows it."""
    from playwright.sync_api import expect

    page.goto(f"/casework/enrollments/{enrollment.pk}/")
    page.get_by_text("Add a task").tap()
    page.get_by_label("What needs doing").fill("Bring ID papers to the housing office")
    page.get_by_label("Due").fill(local_today().isoformat())
    page.get_by_role("button", name="Add task").tap()
    # The form posts to the task list, which sends the browser back here.
    page.wait_for_url(f"**/casework/enrollments/{enrollment.pk}/", timeout=60_000)
    expect(page.locator("#tasks-title + ul")).to_contain_text("Bring ID papers")
    assert Task.objects.get(enrollment=enrollment).owner == manager
    _shot(page, "profile")
    page.goto("/inbox/")
    expect(page.locator("[data-task]")).to_contain_text("Bring ID papers")
    assert_fits(page)


def _status_change(page, enrollment) -> None:
    """He is moving to his sister's for a while: inactive, with why."""
    from playwright.sync_api import expect

    page.goto(f"/casework/enrollments/{enrollment.pk}/")
    page.get_by_role("link", name="Status, exit, re-engage").tap()
    page.get_by_label("New status").select_option("inactive")
    page.locator("#move-on").fill(local_today().isoformat())  # the move form's own date
    page.get_by_label("Why (optional)").fill("Staying with his sister out of town")
    page.get_by_role("button", name="Change status").tap()
    expect(page.locator(".status").first).to_contain_text("Inactive")
    enrollment.refresh_from_db()
    assert enrollment.status == "inactive"
    _shot(page, "status")


def _caseload(page) -> None:
    """The caseload, most urgent first, and the menu."""
    from playwright.sync_api import expect

    page.goto("/casework/")
    expect(page.get_by_role("heading", name="Caseload")).to_be_visible()
    _shot(page, "caseload")
    page.locator("details.menu summary").tap()
    _shot(page, "menu")


def test_a_case_managers_day_from_hand_off_to_status_change(phone, day, patient_expect):
    page, manager = phone, day["manager"]
    blocked = _watch(page)
    _log_in(page, manager)
    referral, row = _hand_off(page, day)
    _profile(page, row)
    enrollment = _intake(page, referral)
    _assessment(page, enrollment)
    _release(page, enrollment)
    _plan(page, enrollment)
    _contact_offline(page, enrollment)
    _task(page, enrollment, manager)
    _status_change(page, enrollment)
    _caseload(page)
    assert blocked == []
