"""A program manager opens the scorecard on a phone and sees small counts hidden as <11; the
public page of the site shows the same, to anyone, with no login. No sideways scroll."""

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import Client

from divert.staff.roles import Role
from tests.browser.helpers import assert_fits

pytestmark = pytest.mark.browser


def _signed_in(context, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def test_the_program_manager_sees_the_scorecard_with_suppression(
    browser, live_server, audit_guard_lifted_for_flush, site, participant, patient_expect
):
    from playwright.sync_api import expect

    from tests.browser.conftest import PHONE

    caches["dashboard"].clear()
    context = browser.new_context(base_url=live_server.url, **PHONE)
    context.set_default_timeout(30_000)
    try:
        _signed_in(context, live_server, site["users"][Role.PROGRAM_MANAGER])
        page = context.new_page()
        page.goto("/")
        page.get_by_role("link", name="Scorecard").first.click()
        expect(page.get_by_role("heading", name="Scorecard", exact=True)).to_be_visible()
        goal = page.locator("#goal-reorient")
        expect(goal.get_by_role("heading", name="Reorient the response")).to_be_visible()
        # One referral: the pathway mix rests on a small count, shown as <11.
        row = goal.locator("tr", has_text="Arrest diversions among referrals")
        expect(row.locator(".suppressed").first).to_have_text("<11")
        expect(page.locator("#fidelity")).to_contain_text("Not estimable: no meeting records")
        expect(page.locator("body")).not_to_contain_text("Jones")
        assert_fits(page)
        # Filters: a period with nothing in it.
        page.get_by_label("From").fill("2001-01-01")
        page.get_by_label("Up to (not including)").fill("2002-01-01")
        page.get_by_role("button", name="Show").click()
        expect(row).to_contain_text("Not estimable")
        assert_fits(page)
    finally:
        context.close()

    public = browser.new_context(base_url=live_server.url, **PHONE)
    public.set_default_timeout(30_000)
    try:
        page = public.new_page()
        page.goto(f"/public/{site['site'].slug}/")
        expect(page.get_by_role("heading", name="LEAD scorecard")).to_be_visible()
        row = page.locator("#goal-reorient tr", has_text="Arrest diversions among referrals")
        expect(row.locator(".suppressed").first).to_have_text("<11")
        expect(page.locator("body")).not_to_contain_text("Jones")
        expect(page.get_by_role("button", name="Log out")).to_have_count(0)
        assert_fits(page)
    finally:
        public.close()
