"""Steps the phone browser tests share."""

from pathlib import Path

from tests.browser.conftest import PHONE

PASSWORD = "pw-for-tests-only"  # set by make_site in tests/conftest.py


def assert_fits(page) -> None:
    """No sideways scroll: the page is no wider than the phone."""
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, (page.url, scroll, inner)


def shot(page, path: Path) -> None:
    """A full-page screenshot of a page that fits the phone.

    Chromium takes it by laying the page out beyond the viewport. Once in a long CI run, every
    later tap then landed above and left of its target, as on a zoomed-out page, so the page
    scale is put back after each capture.
    """
    assert_fits(page)
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True, scale="css")
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("Emulation.resetPageScaleFactor")
    finally:
        cdp.detach()
    assert page.evaluate("visualViewport.scale") == 1, page.url


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
