"""Steps the phone browser tests share."""

from tests.browser.conftest import PHONE

PASSWORD = "pw-for-tests-only"  # set by make_site in tests/conftest.py


def assert_fits(page) -> None:
    """No sideways scroll: the page is no wider than the phone."""
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, (page.url, scroll, inner)


def log_in(page, user) -> None:
    page.goto("/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/login/" not in url)


def phone_page(browser, live_server, user, *, timeout_ms: int = 30_000):
    """A fresh phone context on the live server, logged in as `user`: (context, page)."""
    context = browser.new_context(base_url=live_server.url, **PHONE)
    context.set_default_timeout(timeout_ms)
    page = context.new_page()
    log_in(page, user)
    return context, page
