"""Browser tests: Playwright's sync API driving Debian's chromium against pytest-django's live server.

The live server needs real commits, so these tests use `transactional_db`, which empties every
table at teardown. The audit table refuses deletes and truncates (divert.audit.guard), so the
guard is lifted just before that flush and put back once the module is done.
"""

import os
from pathlib import Path

import pytest
from django.db import connection, connections

from divert.audit import guard

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
}


@pytest.fixture(scope="module")
def chromium_path() -> Path:
    if not CHROMIUM.exists():
        pytest.skip(
            "Debian's chromium is not installed at /usr/bin/chromium; "
            "run scripts/ensure-system-packages (apt-get install -y chromium)"
        )
    return CHROMIUM


@pytest.fixture(scope="module")
def _audit_guard_restored(django_db_setup, django_db_blocker):
    """After the module's last flush, put the guard back (the test database may be reused)."""
    yield
    with django_db_blocker.unblock():
        guard.install(connection)


@pytest.fixture(scope="module")
def browser(chromium_path, _audit_guard_restored, live_server):
    """One headless chromium per module (about a second to start).

    The test database and the live server are set up first, outside Playwright: while
    Playwright's event loop runs on this thread, Django keeps database connections in a context
    variable rather than in the thread, so whatever is opened then is closed before it stops.
    """
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop running on this thread, so Django would take
    # every ORM call in the test (fixtures, assertions) for one made from async code.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(chromium_path), headless=True, args=CHROMIUM_ARGS
            )
            try:
                yield chromium
            finally:
                chromium.close()
                connections.close_all()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def audit_guard_lifted_for_flush(_audit_guard_restored, transactional_db, live_server):
    """The guard is on during the test and off for `transactional_db`'s flush.

    Set up after `transactional_db`, so torn down before it: the flush then finds no trigger.
    """
    guard.install(connection)
    yield
    guard.remove(connection)


@pytest.fixture
def phone(browser, live_server, audit_guard_lifted_for_flush):
    """A fresh phone-sized page on the live server (no cookies carried between tests)."""
    context = browser.new_context(base_url=live_server.url, **PHONE)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def patient_expect():
    """Long flows on a shared machine: give each expectation 15 s rather than 5."""
    from playwright.sync_api import expect

    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=5_000)
