"""Two supervisors on two phones reassign a case each, at the same moment, to a case manager one
place short of the cap: one case moves, the other is refused on the page, and the cap holds."""

import pytest

from divert.casework.models import Enrollment
from divert.staff.models import User
from divert.staff.roles import Role
from tests.browser.conftest import PHONE
from tests.casework.helpers import enroll

pytestmark = pytest.mark.browser

PASSWORD = "pw-for-tests-only"  # set by make_site in tests/conftest.py


def _supervisor_phone(browser, live_server, user: User):
    context = browser.new_context(base_url=live_server.url, **PHONE)
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.goto("/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").tap()
    page.wait_for_url(lambda url: "/login/" not in url)
    return context, page


def test_two_supervisors_reassigning_at_once_cannot_push_a_case_manager_over_the_cap(
    browser, live_server, audit_guard_lifted_for_flush, site
):
    from playwright.sync_api import expect

    taker = User.objects.create_user(
        username="taker",
        first_name="Tara",
        organization=site["orgs"]["case_management"],
        roles=["case_manager"],
    )
    for i in range(24):  # the site's cap is 25
        enroll(site, f"Held{i} Taker", manager=taker)
    moving = [enroll(site, "Moving One"), enroll(site, "Moving Two")]
    first = site["users"][Role.SUPERVISOR]
    second = User.objects.create_user(
        username="second-supervisor",
        password=PASSWORD,
        organization=site["orgs"]["case_management"],
        roles=["supervisor"],
    )

    phones = [_supervisor_phone(browser, live_server, user) for user in (first, second)]
    try:
        for (_, page), enrollment in zip(phones, moving, strict=True):
            page.goto(f"/casework/enrollments/{enrollment.pk}/reassign/")
            page.select_option("select[name=case_manager]", value=str(taker.pk))
            page.fill("[name=reason]", "Balancing the team")
        # Both forms go at once: each request is on its way before either answer is awaited.
        (_, a), (_, b) = phones
        with a.expect_navigation(), b.expect_navigation():
            a.evaluate("document.querySelector('main form').submit()")
            b.evaluate("document.querySelector('main form').submit()")
        outcomes = []
        for (_, page), enrollment in zip(phones, moving, strict=True):
            if "at the cap of 25" in page.locator("main").inner_text():
                expect(page.locator("h1")).to_have_text(f"Reassign {enrollment.person}")
                outcomes.append("refused")
            else:
                expect(page.locator("h1")).to_have_text(str(enrollment.person))
                expect(page.locator("main")).to_contain_text("Case reassigned.")
                outcomes.append("moved")
            scroll, inner = page.evaluate(
                "[document.documentElement.scrollWidth, window.innerWidth]"
            )
            assert scroll <= inner
    finally:
        for context, _ in phones:
            context.close()

    assert sorted(outcomes) == ["moved", "refused"]
    assert Enrollment.objects.filter(case_manager=taker, status="active").count() == 25
