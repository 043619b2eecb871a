"""On a phone (Debian chromium, 390 x 844, no sideways scroll): an exit with a coded reason and
the person's return, and the default assessment with a health answer an officer never sees."""

import pytest

from divert.assessment.models import Answer
from divert.casework.models import Enrollment
from divert.staff.roles import Role
from tests.browser.conftest import PHONE
from tests.browser.test_casework_phone import _fits, _log_in, _watch
from tests.conftest import local_today

pytestmark = pytest.mark.browser

PASSWORD = "pw-for-tests-only"  # set by make_site in tests/conftest.py


def test_an_exit_with_a_coded_reason_and_the_return_on_a_phone(
    phone, site, participant, patient_expect
):
    from playwright.sync_api import expect

    page = phone
    enrollment = participant["enrollment"]
    blocked = _watch(page)
    _log_in(page, site["users"][Role.CASE_MANAGER])
    today = local_today()

    page.goto(f"/casework/enrollments/{enrollment.pk}/")
    page.get_by_role("link", name="Status, exit, re-engage").tap()
    expect(page.get_by_role("heading", name="Status: Robert Jones")).to_be_visible()
    assert _fits(page)
    reasons = page.get_by_label("Reason for exit")
    options = reasons.locator("option").evaluate_all("all => all.map(o => o.text)")
    assert "Moved away" in options
    # Harm reduction: nobody "fails out" (tests/casework cover a site's own reasons).
    assert not [o for o in options if "fail" in o.lower() or "non-compliant" in o.lower()], options

    # An exit needs a reason from the site's list: without one it is refused on its field.
    page.get_by_label("Exit date").fill(today.isoformat())
    page.get_by_role("button", name="Record exit").tap()
    exit_card = page.locator("section.card", has=page.get_by_role("heading", name="Exit"))
    expect(exit_card.locator(".errorlist, .error").first).to_be_visible()
    enrollment.refresh_from_db()
    assert enrollment.status == "active"

    reasons = page.get_by_label("Reason for exit")
    reasons.select_option("moved_away")
    page.get_by_label("Exit date").fill(today.isoformat())
    page.get_by_role("button", name="Record exit").tap()
    expect(page.locator(".status").first).to_have_text("Exited")
    expect(page.get_by_text("(Moved away)")).to_be_visible()
    assert _fits(page)
    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.exit_reason, enrollment.exited_on) == (
        "exited",
        "moved_away",
        today,
    )

    # He comes back the same week: a new enrollment, linked to the earlier one.
    expect(page.get_by_role("heading", name="Re-engage")).to_be_visible()
    page.get_by_label("Date they came back").fill(today.isoformat())
    page.get_by_role("button", name="Re-engage").tap()
    expect(page.get_by_text("Re-engaged after")).to_be_visible()
    expect(page.locator(".status").first).to_have_text("Referred")
    assert _fits(page)
    new = Enrollment.objects.get(previous=enrollment)
    assert (new.status, new.case_manager_id, new.referred_on) == (
        "referred",
        site["users"][Role.CASE_MANAGER].pk,
        today,
    )
    assert page.url.endswith(f"/casework/enrollments/{new.pk}/status/")
    # The earlier enrollment keeps its history and points to the new one.
    page.get_by_role("link", name="an earlier enrollment").tap()
    expect(page.get_by_role("link", name="the current enrollment")).to_be_visible()
    expect(page.locator(".status").first).to_have_text("Exited")
    assert blocked == []


def test_the_default_assessment_on_a_phone_and_its_health_answer_hidden_from_an_officer(
    phone, browser, live_server, site, participant, patient_expect
):
    from playwright.sync_api import expect

    page = phone
    enrollment = participant["enrollment"]
    blocked = _watch(page)
    _log_in(page, site["users"][Role.CASE_MANAGER])

    page.goto(f"/casework/enrollments/{enrollment.pk}/")
    page.get_by_role("link", name="Assessments and monthly measures").tap()
    page.get_by_role("link", name="New assessment").tap()
    expect(page.get_by_role("heading", name="Assessment: Robert Jones")).to_be_visible()
    # divert's default instrument: every domain, the health ones marked as such.
    for section in ("Housing", "Income and benefits", "Substance use", "Mental health"):
        expect(page.locator("legend", has_text=section).first).to_be_visible()
    expect(page.locator("legend", has_text="Substance use")).to_contain_text("health information")
    assert _fits(page)

    # The one required question left blank: refused on its field, nothing saved.
    page.get_by_role("button", name="Save assessment").tap()
    expect(page.locator(".errorlist").first).to_be_visible()
    assert not Answer.objects.exists()
    assert _fits(page)

    page.get_by_label("Where have you slept most nights in the last 30 days?").select_option(
        "shelter"
    )
    page.get_by_label("Heroin, fentanyl or other opioids").check()
    page.get_by_role("button", name="Save assessment").tap()
    expect(page.get_by_text("Heroin, fentanyl or other opioids")).to_be_visible()
    expect(page.get_by_text("Emergency shelter")).to_be_visible()
    assert _fits(page)
    detail = page.url
    substances = Answer.objects.get(question="substances")
    assert substances.health and substances.value == ["opioids"]
    assert blocked == []

    # The officer who diverted him, on their own phone: the answer is nowhere they can reach.
    officer = browser.new_context(base_url=live_server.url, **PHONE)
    officer.set_default_timeout(10_000)
    street = officer.new_page()
    try:
        street.goto("/login/", timeout=60_000)
        street.get_by_label("Username").fill(site["users"][Role.OFFICER].username)
        street.get_by_label("Password").fill(PASSWORD)
        street.get_by_role("button", name="Log in").tap()
        expect(street.get_by_role("button", name="Log in")).to_have_count(0)
        street.wait_for_load_state()
        answer = street.goto(detail)
        assert answer.status == 403
        assert "opioids" not in street.content().lower()
        assessments = street.goto(f"/casework/enrollments/{enrollment.pk}/assessments/")
        assert assessments.status == 403
        street.goto("/field/lookup/?q=Robert+Jones")
        expect(street.get_by_text("Robert Jones").first).to_be_visible()
        text = street.content().lower()
        assert "opioids" not in text and "heroin" not in text and "substance" not in text
        scroll = street.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert scroll
    finally:
        officer.close()
