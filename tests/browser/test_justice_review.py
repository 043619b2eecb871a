"""A program manager decides two justice records are one person by key, sees the link it
gives, undoes it on a phone, and the link is gone. No sideways scroll on the phone."""

import datetime

import pytest

from divert.linkage.models import JusticePerson, Link, PairDecision
from divert.people.models import Person
from divert.staff.roles import Role
from tests.browser.helpers import assert_fits, log_in, phone_page

pytestmark = pytest.mark.browser

BORN = datetime.date(1979, 8, 2)


@pytest.fixture
def records(site):
    """Denise's jail record, linked to her, and a court record of hers without a birth date."""
    s = site["site"]
    denise = Person.objects.create(
        jurisdiction=s, first_name="Denise", last_name="Okafor", date_of_birth=BORN
    )
    jail, court = (
        JusticePerson.objects.create(
            jurisdiction=s,
            source_system=system,
            source_person_id=key,
            first_name="Denise",
            last_name="Okafor",
            date_of_birth=born,
            sex="female",
        )
        for system, key, born in [("county-jail", "J9", BORN), ("county-court", "C9", None)]
    )
    Link.objects.create(
        jurisdiction=s,
        person=denise,
        justice_person=jail,
        match_probability=0.99,
        match_weight=12,
        model_version="m",
        status="auto",
    )
    return {"denise": denise, "jail": jail, "court": court}


def test_same_person_by_key_on_a_desk_then_undone_on_a_phone(
    browser, live_server, audit_guard_lifted_for_flush, site, records
):
    from playwright.sync_api import expect

    manager = site["users"][Role.PROGRAM_MANAGER]
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    page = context.new_page()
    try:
        log_in(page, manager)
        page.get_by_role("link", name="Justice record review").first.click()
        pair = page.locator("[data-pair]")
        expect(pair).to_have_count(1)
        expect(pair).to_contain_text("county-court C9")
        expect(pair).to_contain_text(f"divert person {records['denise'].pk}")
        expect(pair).to_have_class("card pair current")
        page.keyboard.press("s")
        expect(pair.locator("[data-state=same]")).to_be_visible()
        shared = Link.objects.get(justice_person=records["court"])
        assert shared.person == records["denise"]
    finally:
        context.close()

    context, page = phone_page(browser, live_server, manager)
    try:
        page.goto("/links/justice-duplicates/")
        expect(page.locator("#recent")).to_contain_text("Same person")
        assert_fits(page)
        page.locator("#recent").get_by_role("button", name="Undo").click()
        expect(page.locator("[data-pair]")).to_have_count(1)
        expect(page.locator("#recent")).to_contain_text("Undone")
        assert_fits(page)
        assert PairDecision.objects.get(side="justice").decision == "undone"
        assert not Link.objects.filter(justice_person=records["court"]).exists()
    finally:
        context.close()
