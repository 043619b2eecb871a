"""Flexible funds on phones (Debian chromium, 390 x 844, no sideways scroll): the program
manager sets the site's approval amount; a case manager records a bus pass with a receipt photo and a motel night over the site's approval amount,
which waits; a supervisor approves it on their page but cannot approve a spend of their own;
the program manager sees the balances and the spend per participant per month and downloads
the funder's CSV."""

import csv
import datetime
import io
from decimal import Decimal
from pathlib import Path

import pytest

from divert.funds.models import FundBudget, FundRules, FundSpend
from divert.staff.roles import Role
from tests.browser.helpers import assert_fits, phone_page
from tests.conftest import local_today

pytestmark = pytest.mark.browser

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40


def _record(page, enrollment, amount: str, vendor: str, receipt: bool = False) -> None:
    from playwright.sync_api import expect

    page.goto(f"/casework/enrollments/{enrollment.pk}/funds/")
    page.get_by_label("Category").select_option("transport")
    page.get_by_label("Amount").fill(amount)
    page.get_by_label("Vendor").fill(vendor)
    page.get_by_label("What for").fill("getting to appointments")
    if receipt:
        page.get_by_label("Receipt photo").set_input_files(
            {"name": "receipt.png", "mimeType": "image/png", "buffer": PNG}
        )
    page.get_by_role("button", name="Record the spend").tap()
    expect(page.get_by_role("status")).to_contain_text(f"Spend recorded: {amount}")
    assert_fits(page)


def test_spend_approve_and_report_on_phones(
    browser, live_server, audit_guard_lifted_for_flush, site, participant, patient_expect
):
    from playwright.sync_api import expect

    today = local_today()
    FundBudget.objects.create(
        jurisdiction=site["site"],
        category="transport",
        label="Transport",
        starts_on=today.replace(day=1),
        ends_on=today + datetime.timedelta(days=60),
        amount=Decimal("500.00"),
    )
    enrollment = participant["enrollment"]
    users = site["users"]
    contexts = []
    try:
        # The program manager sets the site's approval amount on its page.
        context, pm = phone_page(browser, live_server, users[Role.PROGRAM_MANAGER])
        contexts.append(context)
        pm.goto("/funds/")
        pm.get_by_role("link", name="Change the approval amount").tap()
        expect(pm.get_by_role("heading", name="Approval amount")).to_be_visible()
        pm.get_by_label("A supervisor approves spends over").fill("-5")
        pm.get_by_role("button", name="Save").tap()
        expect(pm.locator("main")).to_contain_text("cannot be negative")
        assert_fits(pm)
        pm.get_by_label("A supervisor approves spends over").fill("90")
        pm.get_by_role("button", name="Save").tap()
        expect(pm.get_by_role("status")).to_contain_text("Spends over 90.00 now wait")
        assert_fits(pm)
        assert FundRules.objects.get(jurisdiction=site["site"]).approval_over == Decimal("90")

        # The case manager records a bus pass with its receipt, and a motel night that waits.
        context, page = phone_page(browser, live_server, users[Role.CASE_MANAGER])
        contexts.append(context)
        page.goto(f"/casework/enrollments/{enrollment.pk}/")
        page.get_by_role("link", name="Flexible funds").tap()
        expect(page.get_by_role("heading", name="Flexible funds: Robert Jones")).to_be_visible()
        assert_fits(page)
        _record(page, enrollment, "25.00", "King County Metro", receipt=True)
        expect(page.get_by_role("link", name="View")).to_be_visible()
        _record(page, enrollment, "150.00", "Motel 6")
        expect(page.get_by_role("table")).to_contain_text("Awaiting a supervisor")
        motel = FundSpend.objects.get(vendor="Motel 6")
        assert motel.status == "awaiting" and motel.approved_by is None
        bus = FundSpend.objects.get(vendor="King County Metro")
        assert (bus.status, bus.receipt_type) == ("approved", "image/png")

        # The supervisor approves the motel night on their page; their own large spend waits.
        context, sup = phone_page(browser, live_server, users[Role.SUPERVISOR])
        contexts.append(context)
        _record(sup, enrollment, "120.00", "Shell")
        sup.goto("/funds/")
        awaiting = sup.get_by_role("region", name="Awaiting your approval")
        expect(awaiting).to_contain_text("Motel 6")
        own = awaiting.locator("li", has_text="Shell")
        expect(own).to_contain_text("another supervisor approves it")
        expect(own.get_by_role("button", name="Approve")).to_have_count(0)
        assert_fits(sup)
        awaiting.locator("li", has_text="Motel 6").get_by_role("button", name="Approve").tap()
        expect(sup.get_by_role("status")).to_contain_text("Approved: 150.00 to Motel 6")
        assert_fits(sup)
        motel.refresh_from_db()
        assert (motel.status, motel.approved_by) == ("approved", users[Role.SUPERVISOR])
        assert FundSpend.objects.get(vendor="Shell").status == "awaiting"

        # The program manager sees balances and monthly spend, and downloads the CSV.
        pm.goto("/funds/")
        balances = pm.get_by_role("table", name="Budget by period and category")
        row = balances.locator("tbody tr").first
        for label, value in (
            ("Budget", "500.00"),
            ("Spent", "175.00"),
            ("Awaiting", "120.00"),
            ("Left", "205.00"),
        ):
            expect(row.locator(f'td[data-label="{label}"]')).to_have_text(value)
        monthly = pm.get_by_role("table", name="Spend per participant per month")
        expect(monthly).to_contain_text(f"Enrollment {enrollment.pk}")
        expect(monthly).to_contain_text("295.00")
        expect(pm.locator("main")).not_to_contain_text("Robert")
        assert_fits(pm)
        with pm.expect_download() as info:
            pm.get_by_role("link", name="Download CSV for the funder").tap()
        rows = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text())))
        assert sorted(r["vendor"] for r in rows) == ["King County Metro", "Motel 6", "Shell"]
        assert {r["participant"] for r in rows} == {f"E{enrollment.pk}"}
        assert next(r for r in rows if r["vendor"] == "Motel 6")["approved_by"] == (
            users[Role.SUPERVISOR].username
        )
    finally:
        for context in contexts:
            context.close()
