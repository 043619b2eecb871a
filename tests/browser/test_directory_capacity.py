"""A provider's staff member keeps their service's places and waitlist current on a phone
(Debian chromium, 390 x 844, no sideways scroll), and the case manager sees it in the directory."""

import pytest

from divert.directory.models import Service
from divert.staff.roles import Role
from tests.browser.helpers import assert_fits, phone_page
from tests.directory.helpers import load_directory

pytestmark = pytest.mark.browser


def test_a_provider_says_how_full_a_service_is(
    browser, live_server, audit_guard_lifted_for_flush, site, patient_expect
):
    from playwright.sync_api import expect

    load_directory(site)
    shelter = Service.objects.get(name="Night shelter")
    contexts = []
    try:
        context, page = phone_page(
            browser, live_server, site["users"][Role.PARTNER], timeout_ms=60_000
        )
        contexts.append(context)
        page.goto("/")
        page.get_by_role("link", name="Places and waitlist").first.tap()
        card = page.locator(f'[data-service="{shelter.pk}"]')
        expect(card).to_contain_text("Not said yet")
        assert_fits(page)
        card.get_by_label("Open places").fill("-2")
        card.get_by_role("button", name="Save Night shelter").tap()
        card = page.locator(f'[data-service="{shelter.pk}"]')
        expect(card.get_by_role("alert")).to_contain_text("cannot be negative")
        assert_fits(page)
        card.get_by_label("Open places").fill("2")
        card.get_by_label("Accepting new clients").select_option("yes")
        card.get_by_label("People on the waitlist").fill("5")
        card.get_by_role("button", name="Save Night shelter").tap()
        expect(page.get_by_role("status")).to_contain_text("Saved: Night shelter")
        expect(page.locator(f'[data-service="{shelter.pk}"]')).to_contain_text("Last said")
        assert_fits(page)
        shelter.refresh_from_db()
        assert (shelter.capacity, shelter.accepting_new, shelter.waitlist) == (2, True, 5)

        context, cm = phone_page(
            browser, live_server, site["users"][Role.CASE_MANAGER], timeout_ms=60_000
        )
        contexts.append(context)
        cm.goto("/directory/")
        services = cm.get_by_role("list", name="Services")
        expect(services).to_contain_text("2 places open")
        expect(services).to_contain_text("Accepting new clients")
        expect(services).to_contain_text("5 waiting")
        assert_fits(cm)
    finally:
        for context in contexts:
            context.close()
