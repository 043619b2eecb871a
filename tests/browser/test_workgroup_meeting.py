"""A work group meeting on phones: the case manager records an item with an action item; the
officer at the same meeting sees whom it discussed and whom to call, and nothing said."""

import datetime
import re
from pathlib import Path

import pytest

from divert.meetings.models import ActionItem, MeetingItem
from divert.staff.roles import Role
from tests.browser.helpers import assert_fits, log_in, shot
from tests.conftest import local_today

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "roles" / "img"


def _shot(page, name: str) -> None:
    shot(page, SHOTS / f"meeting-{name}.png")


def test_a_case_manager_records_a_meeting_and_an_officer_sees_only_whom_to_call(
    browser, live_server, phone, site, participant, patient_expect
):
    from playwright.sync_api import expect

    from tests.browser.conftest import PHONE

    page = phone
    page.set_default_timeout(30_000)
    cm, officer = site["users"][Role.CASE_MANAGER], site["users"][Role.OFFICER]
    due = local_today() + datetime.timedelta(days=2)

    log_in(page, cm)
    page.goto("/meetings/")
    page.get_by_label(officer.get_full_name()).check()
    page.get_by_label("Guests (names, optional)").fill("Outreach van")
    page.get_by_role("button", name="Open the meeting").tap()
    expect(page).to_have_url(re.compile(r"/meetings/\d+/$"))
    meeting_url = page.url
    item = page.locator("section.meeting-item", has_text="Robert Jones")  # from the agenda
    expect(item).to_contain_text("New referral")

    item.get_by_label("Discussion, in short").fill("Using daily; wants buprenorphine.")
    item.get_by_label("Decisions").fill("Clinic referral this week.")
    item.get_by_label(re.compile("^Legal coordination")).fill("FTA warrant: ask to quash.")
    item.get_by_role("button", name="Save").tap()
    expect(page.locator(".messages")).to_contain_text("Recorded: Robert Jones")

    item = page.locator("section.meeting-item", has_text="Robert Jones")
    # Adding an action item and marking it done redraw the record in place (htmx): the page
    # is not loaded again, so what was set on it before stays.
    page.evaluate("document.body.dataset.drawn = 'once'")
    item.locator("summary", has_text="Add an action item").tap()
    item.get_by_label("What needs doing").fill("Meet him at the clinic")
    item.get_by_label("Due").fill(due.isoformat())
    item.get_by_role("button", name="Add action item").tap()
    expect(page.locator("#meeting-record .saved")).to_contain_text("Action item added")
    expect(page.locator("ul.actions")).to_contain_text("Meet him at the clinic")
    assert page.evaluate("document.body.dataset.drawn") == "once"
    _shot(page, "case-manager")
    recorded = MeetingItem.objects.get(enrollment=participant["enrollment"])
    assert recorded.summary == "Using daily; wants buprenorphine."
    action = ActionItem.objects.get()
    assert (action.owner, action.due_on) == (cm, due)

    # The action item waits in the case manager's inbox.
    page.goto("/inbox/")
    expect(page.locator(f"[data-action='{action.pk}']")).to_contain_text("Meet him at the clinic")
    page.goto(meeting_url)
    page.evaluate("document.body.dataset.drawn = 'once'")
    page.locator(f"[data-action='{action.pk}']").get_by_role("button", name="Mark done").tap()
    expect(page.locator("#meeting-record .saved")).to_contain_text("Done: Meet him at the clinic")
    expect(
        page.locator(f"[data-action='{action.pk}']").get_by_role("button", name="Open again")
    ).to_be_visible()
    assert page.evaluate("document.body.dataset.drawn") == "once"
    action.refresh_from_db()
    assert action.done_on == local_today()
    # The minutes, as the case manager may read them, fit the phone and print plainly.
    page.get_by_role("link", name="Minutes for printing").tap()
    expect(page.locator("h1")).to_contain_text("minutes")
    expect(page.locator("main")).to_contain_text("Using daily; wants buprenorphine.")
    expect(page.locator("main")).to_contain_text("Meet him at the clinic")
    assert_fits(page)
    page.emulate_media(media="print")
    expect(page.get_by_role("link", name="PDF")).to_be_hidden()
    page.emulate_media(media="screen")

    # The officer, on their own phone, opens the same meeting.
    context = browser.new_context(base_url=live_server.url, **PHONE)
    try:
        cop = context.new_page()
        cop.set_default_timeout(30_000)
        log_in(cop, officer)
        cop.goto("/")
        cop.locator("main a[href='/meetings/']").first.tap()
        cop.get_by_role("link", name=re.compile("^Meeting ")).first.tap()
        main = cop.locator("main")
        expect(main).to_contain_text("Robert Jones")
        expect(main).to_contain_text("Call Case manager")
        expect(main).to_contain_text("206-555-0199")
        for hidden in (
            "buprenorphine",
            "Clinic referral",
            "FTA warrant",
            "Meet him",
            "New referral",
        ):
            expect(main).not_to_contain_text(hidden)
        expect(cop.get_by_role("button", name="Save")).to_have_count(0)
        expect(cop.locator("main a[href^='/casework/enrollments/']")).to_have_count(0)
        _shot(cop, "officer")
    finally:
        context.close()
