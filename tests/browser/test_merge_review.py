"""A program manager clears likely duplicates by key: on a desk, merge and undo; on a phone,
"not the same". No case notes anywhere on the page; no sideways scroll on the phone."""

import datetime

import pytest

from divert.linkage.models import PairDecision, PersonMerge
from divert.people.models import Person
from divert.staff.roles import Role
from tests.browser.helpers import assert_fits, log_in, phone_page

pytestmark = pytest.mark.browser

BORN = datetime.date(1984, 3, 11)


@pytest.fixture
def pairs(site):
    s = site["site"]
    people = {}
    for first, last, born in [
        ("Tonya", "Butler", BORN),
        ("Tonya", "Buttler", BORN),
        ("Marcus", "Oyelaran", datetime.date(1979, 8, 2)),
        ("Marcus", "Oyelaren", datetime.date(1979, 8, 2)),
    ]:
        people[last] = Person.objects.create(
            jurisdiction=s, first_name=first, last_name=last, date_of_birth=born
        )
    return people


def test_merge_and_undo_by_key_on_a_desk(
    browser, live_server, audit_guard_lifted_for_flush, site, pairs
):
    from playwright.sync_api import expect

    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    page = context.new_page()
    try:
        log_in(page, site["users"][Role.PROGRAM_MANAGER])
        page.get_by_role("link", name="Merge review").first.click()
        expect(page.locator("[data-pair]")).to_have_count(2)
        first = page.locator("[data-pair]").first
        expect(first).to_have_class("card pair current")
        page.keyboard.press("j")
        second = page.locator("[data-pair]").nth(1)
        expect(second).to_have_class("card pair current")
        page.keyboard.press("k")
        expect(first).to_have_class("card pair current")
        page.keyboard.press("m")
        expect(first.locator("[data-state=same]")).to_be_visible()
        assert PersonMerge.objects.filter(undone_at__isnull=True).count() == 1
        page.keyboard.press("u")
        expect(first.get_by_role("button", name="Merge (m)")).to_be_visible()
        assert PersonMerge.objects.get().undone_at is not None
        assert PairDecision.objects.get().decision == "undone"
    finally:
        context.close()


def test_not_the_same_on_a_phone(browser, live_server, audit_guard_lifted_for_flush, site, pairs):
    from playwright.sync_api import expect

    context, page = phone_page(browser, live_server, site["users"][Role.PROGRAM_MANAGER])
    try:
        page.goto("/links/duplicates/")
        expect(page.locator("[data-pair]")).to_have_count(2)
        assert_fits(page)
        assert "note" not in page.locator("main").inner_text().lower()
        page.locator("[data-pair]").nth(1).get_by_role("button", name="Not the same (n)").click()
        expect(page.locator("[data-state=different]")).to_be_visible()
        assert_fits(page)
        assert PairDecision.objects.get().decision == "different"
        assert not PersonMerge.objects.exists()
        page.reload()
        expect(page.locator("[data-pair]")).to_have_count(1)
        expect(page.locator("#recent")).to_contain_text("Not the same")
    finally:
        context.close()
