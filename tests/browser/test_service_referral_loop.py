"""A case manager finds a service in the directory and refers a participant; the provider's
staff accept and complete it on their own page; the case manager sees the loop closed. Two
phones (Debian chromium, 390 x 844), no sideways scroll on any page."""

import datetime

import pytest

from divert.casework.models import ReleaseOfInformation, ServiceReferral
from divert.staff.roles import Role
from tests.browser.helpers import assert_fits, log_in
from tests.conftest import local_today
from tests.directory.helpers import load_directory

pytestmark = pytest.mark.browser


def test_refer_accept_complete_and_see_the_loop_closed(
    browser, phone, live_server, participant, site
):
    from playwright.sync_api import expect

    load_directory(site)
    today = local_today()
    release = ReleaseOfInformation.objects.create(
        person=participant["person"],
        discloser=site["orgs"]["case_management"],
        purpose="shelter referral",
        signed_on=today,
        expires_on=today + datetime.timedelta(days=90),
        signature="Robert Jones",
    )
    release.recipients.set([site["orgs"]["community"]])
    enrollment = participant["enrollment"]
    page = phone
    page.set_default_timeout(30_000)  # a shared, busy machine

    # The case manager, from the participant's page, searches the directory by need.
    log_in(page, site["users"][Role.CASE_MANAGER])
    page.goto(f"/casework/enrollments/{enrollment.pk}/")
    page.get_by_role("link", name="Refer to a service").tap()
    expect(page.get_by_role("heading", name="Services directory")).to_be_visible()
    page.get_by_label("Need").select_option("Housing")
    page.get_by_role("button", name="Search").tap()
    services = page.get_by_role("list", name="Services")
    expect(services).to_contain_text("Night shelter")
    expect(services).not_to_contain_text("Day clinic")
    assert_fits(page)
    page.get_by_role("link", name="Night shelter").tap()
    expect(page.get_by_role("heading", name="Night shelter")).to_be_visible()
    assert_fits(page)
    page.get_by_label("Note for the provider").fill("Needs a bed tonight")
    page.get_by_role("button", name="Send referral").tap()
    expect(page.get_by_text("Referral sent")).to_be_visible()
    referral = ServiceReferral.objects.get()
    assert referral.status == "sent"

    # The provider's staff, on another phone, answer it on their own page.
    partner = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
    )
    try:
        other = partner.new_page()
        other.set_default_timeout(30_000)
        log_in(other, site["users"][Role.PARTNER])
        other.goto("/referrals/services/")
        expect(other.get_by_role("heading", name="Service referrals", exact=True)).to_be_visible()
        card = other.locator(f'[data-service-referral="{referral.pk}"]')
        expect(card).to_contain_text("Robert Jones")
        expect(card).to_contain_text("Needs a bed tonight")
        expect(card).to_contain_text(ReleaseOfInformation.REDISCLOSURE_NOTICE)
        assert_fits(other)
        for button, shown in (("Accept", "Accepted"), ("Started", "In progress")):
            card.get_by_role("button", name=button, exact=True).tap()
            expect(card).to_contain_text(shown)
        assert_fits(other)
        card.get_by_role("button", name="Completed", exact=True).tap()
        # Closed, it leaves the list of open referrals.
        expect(other.get_by_role("status")).to_contain_text("Completed")
    finally:
        partner.close()
    referral.refresh_from_db()
    assert referral.status == "completed"

    # The case manager sees the loop closed.
    page.goto(f"/casework/enrollments/{enrollment.pk}/")
    expect(page.locator(f'[data-service-referral="{referral.pk}"]')).to_contain_text("Completed")
    assert_fits(page)
