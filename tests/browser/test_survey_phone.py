"""A community member answers a legitimacy survey on a phone through its link, with no
account (Debian chromium, 390 x 844, no sideways scroll); the program manager opens the
survey and sees its results with small counts hidden."""

import pytest

from divert.staff.roles import Role
from divert.surveys import services
from divert.surveys.models import Survey, SurveyResponse
from tests.browser.conftest import PHONE
from tests.browser.helpers import assert_fits, phone_page
from tests.casework.helpers import days

pytestmark = pytest.mark.browser

AGREE = {"pj_respect": 5, "pj_fair": 4, "pj_voice": 4, "pj_explain": 4, "lg_trust": 4}


def test_a_neighbour_answers_on_a_phone_and_the_manager_sees_hidden_small_counts(
    browser, live_server, audit_guard_lifted_for_flush, site, patient_expect
):
    from playwright.sync_api import expect

    contexts = []
    try:
        context, manager = phone_page(
            browser, live_server, site["users"][Role.PROGRAM_MANAGER], timeout_ms=60_000
        )
        contexts.append(context)
        manager.goto("/")
        manager.get_by_role("link", name="Surveys").first.tap()
        manager.get_by_label("Title").fill("Downtown neighbours")
        manager.get_by_label("Who answers").select_option("community")
        manager.get_by_label("Opens").fill(days(0).isoformat())
        assert_fits(manager)
        manager.get_by_role("button", name="Open the survey").tap()
        expect(manager.get_by_role("heading", name="Downtown neighbours")).to_be_visible()
        link = manager.locator("[data-link]").input_value()
        survey = Survey.objects.get(title="Downtown neighbours")
        assert link.endswith(f"/s/{survey.token}/")
        assert_fits(manager)

        # Anyone with the link: a fresh phone, no account.
        neighbour_context = browser.new_context(base_url=live_server.url, **PHONE)
        contexts.append(neighbour_context)
        neighbour = neighbour_context.new_page()
        neighbour.set_default_timeout(60_000)
        neighbour.goto(link)
        expect(neighbour.get_by_role("heading", name="Police and community survey")).to_be_visible()
        assert_fits(neighbour)
        group = neighbour.get_by_role("group", name="Police here treat people with dignity")
        group.get_by_label("Strongly agree").check()
        neighbour.get_by_role("group", name="Police here make fair decisions").get_by_label(
            "Disagree", exact=True
        ).check()
        neighbour.get_by_role("button", name="Send my answers").tap()
        expect(neighbour.get_by_role("status")).to_contain_text("your answers are recorded")
        assert_fits(neighbour)
        neighbour.goto(link)  # again: thanked, not asked twice
        expect(neighbour.get_by_role("button", name="Send my answers")).to_have_count(0)
        [stored] = SurveyResponse.objects.filter(survey=survey)
        assert stored.answers["pj_respect"] == 5 and stored.answers["pj_fair"] == 2
        assert stored.person is None

        manager.reload()
        expect(manager.locator('[data-measure="procedural_justice"]')).to_contain_text(
            "too few answers to show"
        )
        for _ in range(24):
            services.response_by_link(token=survey.token, answers=AGREE)
        for _ in range(11):
            services.response_by_link(token=survey.token, answers={"pj_respect": 1, "pj_fair": 2})
        manager.reload()
        row = manager.locator('[data-measure="procedural_justice"]')
        expect(row).to_contain_text("of 36")
        expect(manager.locator('[data-measure="legitimacy"]')).to_contain_text("No answers")
        assert_fits(manager)
    finally:
        for context in contexts:
            context.close()
