"""A release of information on a phone: signed with a finger, shared, then revoked at once."""

import datetime

import pytest

from divert.casework.models import ReleaseOfInformation
from divert.staff.roles import Role
from tests.conftest import local_today

pytestmark = pytest.mark.browser

PASSWORD = "pw-for-tests-only"  # set by make_site in tests/conftest.py


def _log_in(page, user) -> None:
    from playwright.sync_api import expect

    page.goto("/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").tap()
    expect(page.get_by_role("button", name="Log in")).to_have_count(0)


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _sign(page) -> None:
    pad = page.locator("canvas.signature-pad")
    pad.scroll_into_view_if_needed()  # the mouse reaches only what the viewport shows
    box = pad.bounding_box()
    x, y = box["x"], box["y"] + box["height"] / 2
    page.mouse.move(x + 20, y)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(x + 20 + step * 20, y + (15 if step % 2 else -15))
    page.mouse.up()


def test_a_signed_release_shares_progress_until_it_is_revoked(
    browser, live_server, audit_guard_lifted_for_flush, site, participant
):
    from playwright.sync_api import expect

    from tests.browser.conftest import PHONE

    enrollment = participant["enrollment"]
    participant["release"].delete()  # this test's release is the only one
    prosecutor_office = site["orgs"]["prosecutor"]
    seen_errors: list[str] = []

    manager = browser.new_context(base_url=live_server.url, **PHONE)
    prosecutor = browser.new_context(base_url=live_server.url, **PHONE)
    try:
        cm = manager.new_page()
        cm.set_default_timeout(30_000)
        cm.on("pageerror", lambda exc: seen_errors.append(str(exc)))
        cm.on(
            "console",
            lambda m: seen_errors.append(m.text) if "Content Security Policy" in m.text else None,
        )
        pr = prosecutor.new_page()
        pr.set_default_timeout(30_000)
        progress = f"/casework/enrollments/{enrollment.pk}/progress/"
        api = f"/api/v1/casework/enrollments/{enrollment.pk}/progress"

        _log_in(pr, site["users"][Role.PROSECUTOR])
        assert pr.goto(progress).status == 403

        _log_in(cm, site["users"][Role.CASE_MANAGER])
        cm.goto(f"/casework/enrollments/{enrollment.pk}/")
        cm.get_by_role("link", name="Releases of information").tap()
        expect(cm.get_by_role("heading", name="In force")).to_be_visible()
        assert _fits(cm)
        cm.get_by_role("link", name="New release").tap()
        expect(cm.locator("canvas.signature-pad")).to_be_visible()
        assert _fits(cm)

        # A save without a signature or witness is refused at the field, and nothing is kept.
        cm.get_by_label(prosecutor_office.name).check()
        cm.get_by_label("Purpose").fill("coordinate my case with the court")
        expires = local_today() + datetime.timedelta(days=180)
        cm.get_by_label("Expires on").fill(expires.isoformat())
        cm.get_by_role("button", name="Save the release").tap()
        expect(cm.get_by_text("Have the participant sign")).to_be_visible()
        assert not ReleaseOfInformation.objects.exists()

        _sign(cm)
        cm.get_by_role("button", name="Clear the signature").tap()
        assert cm.locator("input[name=signature_png]").input_value() == ""
        _sign(cm)
        assert (
            cm.locator("input[name=signature_png]")
            .input_value()
            .startswith("data:image/png;base64,")
        )
        cm.get_by_role("button", name="Save the release").tap()
        expect(cm.locator("[data-release-state]")).to_have_text("In force")
        expect(cm.get_by_role("img", name="Signature of Robert Jones")).to_be_visible()
        # The signature image loads through its checked view.
        # Polled from here: wait_for_function evaluates its predicate inside the page, which
        # the site's CSP (no eval) refuses once the image is slower than the first check.
        image = cm.locator("img.signature-image")
        for _ in range(150):
            if image.evaluate("img => img.complete && img.naturalWidth") > 0:
                break
            cm.wait_for_timeout(100)
        else:
            pytest.fail("the signature image did not load")
        assert _fits(cm)
        release = ReleaseOfInformation.objects.get()
        assert list(release.recipients.all()) == [prosecutor_office]
        assert release.signature_image

        # The prosecutor's office now sees progress, from its charge-hold queue.
        pr.goto("/charges/")
        pr.get_by_role("link", name="progress").tap()
        expect(pr.get_by_role("heading", name="Progress")).to_be_visible()
        expect(pr.get_by_text(ReleaseOfInformation.REDISCLOSURE_NOTICE)).to_be_visible()
        assert _fits(pr)
        assert pr.request.get(api).status == 200

        # Revoked: one action, with a confirmation, in force at once.
        cm.locator("summary", has_text="Revoke this release").tap()
        cm.get_by_label("Reason (optional)").fill("changed his mind")
        cm.get_by_role("button", name="Yes, revoke now").tap()
        expect(cm.locator("[data-release-state]")).to_contain_text("Revoked")
        assert _fits(cm)

        assert pr.goto(progress).status == 403
        assert pr.request.get(api).status == 403
        pr.goto("/charges/")
        expect(pr.get_by_role("link", name="progress")).to_have_count(0)
        assert seen_errors == []
    finally:
        manager.close()
        prosecutor.close()
