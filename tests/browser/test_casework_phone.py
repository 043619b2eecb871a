"""The case manager's plan and contacts on a phone, in a real browser, also with no network."""

import pytest

from divert.casework.models import Contact, Goal, GoalStep, InterventionPlan
from divert.staff.roles import Role

pytestmark = pytest.mark.browser

PASSWORD = "pw-for-tests-only"  # set by make_site in tests/conftest.py


def _log_in(page, user) -> None:
    from playwright.sync_api import expect

    page.goto("/login/", timeout=60_000)  # the live server's first answer imports the site
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").tap()
    expect(page.get_by_role("heading", name="Inbox")).to_be_visible()  # a case manager's landing


def _watch(page) -> list[str]:
    seen: list[str] = []
    page.on(
        "console",
        lambda m: seen.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.on("pageerror", lambda exc: seen.append(str(exc)))
    return seen


def _server_now() -> str:
    """The site's wall clock as the server has it: the test clock is frozen at a chosen hour,
    and the browser's own clock (which fills in "now" for the next contact) is not."""
    from divert.jurisdictions.clock import site_now

    return site_now(None).strftime("%Y-%m-%dT%H:%M")


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_case_manager_makes_a_plan_with_a_goal_and_a_step_on_a_phone(phone, site, participant):
    from playwright.sync_api import expect

    page = phone
    enrollment = participant["enrollment"]
    InterventionPlan.objects.filter(enrollment=enrollment).delete()
    blocked = _watch(page)
    _log_in(page, site["users"][Role.CASE_MANAGER])

    page.goto(f"/casework/enrollments/{enrollment.pk}/")
    page.get_by_role("link", name="Start the plan").tap()
    expect(page.get_by_role("heading", name="No plan yet")).to_be_visible()
    assert not InterventionPlan.objects.filter(enrollment=enrollment).exists()
    page.get_by_label("Summary, in the participant's words").fill("Housing first, his pace.")
    page.get_by_role("button", name="Start the plan").tap()

    adding = page.locator("section", has=page.get_by_role("heading", name="Add a goal"))
    adding.get_by_label("Domain").select_option("housing")
    adding.get_by_label("Goal", exact=True).fill("A room of his own")
    adding.get_by_label("Who does it").select_option("together")
    adding.get_by_role("button", name="Add the goal").tap()
    goal_card = page.locator("li.goal", has_text="A room of his own")
    expect(goal_card).to_be_visible()
    expect(goal_card).to_contain_text("Housing")

    goal_card.get_by_label("Next step").fill("Get a state ID")
    goal_card.get_by_role("button", name="Add the step").tap()
    tick = page.get_by_role("button", name="Mark done: Get a state ID")
    expect(tick).to_be_visible()
    tick.tap()
    expect(page.get_by_role("button", name="Mark not done: Get a state ID")).to_be_visible()

    goal_card = page.locator("li.goal", has_text="A room of his own")
    goal_card.locator("summary", has_text="Change this goal").tap()
    goal_card.get_by_label("Status").select_option("met")
    goal_card.get_by_label("Why the change").fill("moved in on Friday")
    goal_card.get_by_role("button", name="Save the goal").tap()
    expect(page.locator("li.goal", has_text="A room of his own").locator(".meta")).to_contain_text(
        "Met"
    )
    assert _fits(page)

    goal = Goal.objects.get(plan__enrollment=enrollment)
    assert (goal.status, goal.owner, goal.version) == ("met", "together", 2)
    assert goal.history.latest().history_change_reason == "moved in on Friday"
    assert GoalStep.objects.get(goal=goal).done_on is not None
    page.goto(f"/casework/goals/{goal.pk}/history/")
    expect(page.get_by_text("moved in on Friday")).to_be_visible()
    assert blocked == []


def test_two_contacts_logged_offline_are_sent_once_the_network_returns(phone, site, participant):
    from playwright.sync_api import expect

    page = phone
    enrollment = participant["enrollment"]
    blocked = _watch(page)
    _log_in(page, site["users"][Role.CASE_MANAGER])
    page.goto(f"/casework/enrollments/{enrollment.pk}/contacts/new/")
    # The app installs its service worker (from the site root) while online.
    assert page.evaluate("navigator.serviceWorker.ready.then(r => r.active.scriptURL)").endswith(
        "/sw.js"
    )
    assert _fits(page)
    # The whole form fits one 390 x 844 screen.
    button = page.get_by_role("button", name="Log the contact").bounding_box()
    assert button["y"] + button["height"] <= 844

    status = page.locator("[data-queue-status] .queue-count").first
    page.context.set_offline(True)
    for place, note in (("shelter", "Met at the shelter."), ("street", "Under the bridge.")):
        page.get_by_label("Where").select_option(place)
        page.get_by_label("Minutes").fill("15")
        page.get_by_label("Short note").fill(note)
        page.get_by_label("When").fill(_server_now())
        page.get_by_role("button", name="Log the contact").tap()
        expect(page.get_by_label("Short note")).to_have_value("")  # ready for the next one
    expect(status).to_have_text("2 contacts waiting to send.")
    assert Contact.objects.count() == 0

    page.context.set_offline(False)
    expect(status).to_have_text("All contacts sent (2 just now).", timeout=30_000)
    stored = list(Contact.objects.order_by("occurred_at", "pk"))
    assert len(stored) == 2
    assert sorted(c.note for c in stored) == ["Met at the shelter.", "Under the bridge."]
    assert len({c.client_id for c in stored}) == 2
    assert {c.staff_id for c in stored} == {site["users"][Role.CASE_MANAGER].pk}
    assert {c.minutes for c in stored} == {15}

    # Reopened with no network, the page is the stored shell: the form, and no one's name.
    page.context.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", name="No network")).to_be_visible()
    expect(page.locator("#offline-record")).to_have_text(f"#{enrollment.pk}")
    assert participant["person"].last_name not in page.content()
    page.get_by_label("Short note").fill("Third, from the shell.")
    page.get_by_label("When").fill(_server_now())
    page.get_by_role("button", name="Log the contact").tap()
    expect(page.locator("#offline-queue .queue-count")).to_have_text("1 contact waiting to send.")
    page.context.set_offline(False)
    # The shell reloads itself when the browser reports the network back (chromium's emulation
    # does not always say so); a person may also pull to refresh.
    real = page.get_by_role("heading", name="Log a contact: Robert Jones")
    try:
        expect(real).to_be_visible(timeout=10_000)
    except AssertionError:
        page.reload()
        expect(real).to_be_visible(timeout=30_000)
    expect(page.locator("[data-queue-status] .queue-count").first).to_have_text(
        "All contacts sent (1 just now).", timeout=30_000
    )
    assert Contact.objects.count() == 3
    assert blocked == []
