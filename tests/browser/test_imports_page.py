"""A program manager imports an export in a real browser: preview, import, fix a row."""

import pytest

from divert.records.models import JusticeEvent
from divert.staff.roles import Role
from tests.records.helpers import BOOKING_HEADER, day, padded

pytestmark = pytest.mark.browser

PASSWORD = "pw-for-tests-only"  # set by make_site in tests/conftest.py


@pytest.fixture
def desk(browser, live_server, audit_guard_lifted_for_flush):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def test_a_program_manager_previews_imports_and_fixes_a_row(desk, site, tmp_path):
    from playwright.sync_api import expect

    page = desk
    export = tmp_path / "bookings.csv"
    export.write_text(
        "\n".join([BOOKING_HEADER, padded(f"1,501,{day(3)},1"), padded("2,502,31/02,1")]) + "\n"
    )
    page.goto("/login/")
    page.get_by_label("Username").fill(site["users"][Role.PROGRAM_MANAGER].username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Imports and quarantine").click()

    page.get_by_label("What the file holds").select_option("booking")
    page.get_by_label("Export file").set_input_files(str(export))
    page.get_by_label("Mapping:", exact=True).select_option("synth-county-jail.toml")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#preview")).to_contain_text("Nothing has been written")
    expect(page.locator("#preview")).to_contain_text("not a valid date: '31/02'")
    assert JusticeEvent.objects.count() == 0

    # The file is chosen again: a preview keeps nothing, not even the upload.
    page.get_by_label("Export file").set_input_files(str(export))
    page.get_by_label("Mapping:", exact=True).select_option("synth-county-jail.toml")
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.locator("#counts")).to_contain_text("1 accepted")
    expect(page.locator("#counts")).to_contain_text("1 quarantined")

    page.get_by_role("link", name="3", exact=True).click()
    page.get_by_label("booked_at:").fill(day(2))
    page.get_by_role("button", name="Retry this row").click()
    expect(page.locator("tr[data-status='fixed']")).to_be_visible()
    assert JusticeEvent.objects.filter(source_event_id="booking-2").exists()
