"""The liaison prosecutor on a phone: the queue, a decision, progress and legal coordination."""

import re
from pathlib import Path

import pytest

from divert.charges.models import ChargeHold, LegalMatter
from divert.staff.roles import Role
from tests.browser.helpers import shot
from tests.charges.test_pages import hold_for

pytestmark = pytest.mark.browser

PASSWORD = "pw-for-tests-only"  # set by make_site in tests/conftest.py
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "roles" / "img"


def _shot(page, name: str) -> None:
    shot(page, SHOTS / f"prosecutor-{name}.png")


def test_a_prosecutor_decides_a_hold_and_coordinates_on_a_phone(phone, site, participant):
    from playwright.sync_api import expect

    page = phone
    page.set_default_timeout(30_000)  # a shared machine: the live server can be slow
    late = hold_for(site, "Lee Late", status="awaiting_decision", due=-3)
    hold_for(site, "Sam Soon", status="holding", due=2)
    hold_for(site, "Fay Filed", status="filed", due=-90)
    prosecutor = site["users"][Role.PROSECUTOR]

    page.goto("/login/")
    page.get_by_label("Username").fill(prosecutor.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").tap()
    page.locator("main a[href='/charges/']").first.tap()

    # The queue opens on the hold needing a decision; decided holds wait behind a filter.
    rows = page.locator("table.cards tbody tr")
    expect(rows.first).to_contain_text("Lee Late")
    expect(page.locator("main")).not_to_contain_text("Fay Filed")
    expect(page.locator("nav.pager")).to_contain_text("3 holds")
    _shot(page, "queue")

    rows.first.get_by_role("link", name="Decide").tap()
    page.get_by_label("Decline to file").check()
    page.get_by_label("Reason").fill("Engaged with case management since the deadline")
    # Without the tick the browser itself holds the form back (the server refuses it too).
    page.get_by_role("button", name="Record the decision").tap()
    expect(page).to_have_url(re.compile(r"/charges/holds/\d+/"))
    assert late.history.count() == 1
    page.get_by_label("I confirm").check()
    _shot(page, "decide")
    page.get_by_role("button", name="Record the decision").tap()
    expect(page.locator(".messages")).to_contain_text("Declined to file: Lee Late")
    late.refresh_from_db()
    assert late.status == ChargeHold.Status.DECLINED

    # Robert Jones's release names this office: progress and legal coordination open.
    page.get_by_label("Show").select_option("all")
    page.get_by_role("button", name="Show").tap()
    robert = page.locator("table.cards tbody tr", has_text="Robert Jones")
    robert.get_by_role("link", name="Progress").tap()
    expect(page.get_by_role("heading", name="Progress", exact=True)).to_be_visible()
    expect(page.locator("main")).to_contain_text("Attended")
    expect(page.locator("main")).not_to_contain_text("buprenorphine")
    _shot(page, "progress")

    page.go_back()
    robert = page.locator("table.cards tbody tr", has_text="Robert Jones")
    robert.get_by_role("link", name="Legal").tap()
    page.get_by_label("What", exact=True).select_option("warrant")
    page.get_by_label("Charge or warrant, in short").fill("FTA warrant, theft 3")
    page.get_by_role("button", name="Add", exact=True).tap()
    expect(page).to_have_url(re.compile(r"/charges/enrollments/\d+/legal/$"))
    expect(page.locator("main")).to_contain_text("FTA warrant, theft 3")
    page.get_by_label("Your position", exact=True).select_option("quash")
    page.get_by_role("button", name="Save position").tap()
    expect(page.locator(".messages")).to_contain_text("Position saved")
    _shot(page, "legal")
    assert LegalMatter.objects.get().liaison_position == "quash"
