"""A provider's staff member keeps their service's places and waitlist current on a phone
(Debian chromium, 390 x 844, no sideways scroll), and the case manager sees it in the directory."""

import pytest

from divert.directory.models import Service
from divert.staff.roles import Role
from tests.browser.conftest import PHONE
from tests.directory.helpers import load_directory

pytestmark = pytest.mark.browser

PASSWORD = "pw-for-tests-only"  # set by make_site in tests/conftest.py


def _fits(page) -> None:
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, (page.url, scroll, inner)


def _phone(browser, live_server, user):
    context = browser.new_context(base_url=live_server.url, **PHONE)
    context.set_default_timeout(60_000)
    page = context.new_page()
    page.goto("/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").tap()
    page.wait_for_url(lambda url: "/login/" not in url)
    return context, page


def test_a_provider_says_how_full_a_service_is(
    browser, live_server, audit_guard_lifted_for_flush, site, patient_expect
):
    from playwright.sync_api import expect

    load_directory(site)
    shelter = Service.objects.get(name="Night shelter")
    contexts = []
    try:
        context, page = _phone(browser, live_server, site["users"][Role.PARTNER])
        contexts.append(context)
        page.goto("/")
        page.get_by_role("link", name="Places and waitlist").first.tap()
        card = page.locator(f'[data-service="{shelter.pk}"]')
        expect(card).to_contain_text("Not said yet")
        _fits(page)
        card.get_by_label("Open places").fill("-2")
        card.get_by_role("button", name="Save Night shelter").tap()
        card = page.locator(f'[data-service="{shelter.pk}"]')
        expect(card.get_by_role("alert")).to_contain_text("cannot be negative")
        _fits(page)
        card.get_by_label("Open places").fill("2")
        card.get_by_label("Accepting new clients").select_option("yes")
        card.get_by_label("People on the waitlist").fill("5")
        card.get_by_role("button", name="Save Night shelter").tap()
        expect(page.get_by_role("status")).to_contain_text("Saved: Night shelter")
        expect(page.locator(f'[data-service="{shelter.pk}"]')).to_contain_text("Last said")
        _fits(page)
        shelter.refresh_from_db()
        assert (shelter.capacity, shelter.accepting_new, shelter.waitlist) == (2, True, 5)

        context, cm = _phone(browser, live_server, site["users"][Role.CASE_MANAGER])
        contexts.append(context)
        cm.goto("/directory/")
        services = cm.get_by_role("list", name="Services")
        expect(services).to_contain_text("2 places open")
        expect(services).to_contain_text("Accepting new clients")
        expect(services).to_contain_text("5 waiting")
        _fits(cm)
    finally:
        for context in contexts:
            context.close()
