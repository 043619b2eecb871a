"""The pages and the API docs work in a real browser under the Content-Security-Policy."""

import re

import pytest

from divert.staff.roles import Role

pytestmark = pytest.mark.browser

PASSWORD = "pw-for-tests-only"  # set by make_site in tests/conftest.py


def _watch_for_csp_violations(page) -> list[str]:
    """Collect what chromium says when the policy blocks something, and page errors."""
    seen: list[str] = []
    page.on(
        "console",
        lambda m: seen.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.on("pageerror", lambda exc: seen.append(str(exc)))
    return seen


def _log_in(page, user) -> None:
    from playwright.sync_api import expect

    page.goto("/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").tap()
    # Case managers land on the inbox, others on the welcome page.
    expect(page.get_by_role("heading", name=re.compile("Welcome|Inbox"))).to_be_visible()


def test_the_htmx_search_works_and_nothing_is_blocked(phone, site):
    from playwright.sync_api import expect

    from divert.people.models import Person

    Person.objects.create(jurisdiction=site["site"], first_name="Robert", last_name="Smith")
    page = phone
    blocked = _watch_for_csp_violations(page)
    response = page.goto("/login/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    _log_in(page, site["users"][Role.OFFICER])
    page.goto("/field/lookup/")
    page.get_by_label("Name or alias").press_sequentially("Bob Smith")
    # Typing alone (no submit) asks htmx to fetch results into the page.
    expect(page.locator("#results li.card", has_text="Robert Smith")).to_be_visible()
    assert page.url.endswith("/field/lookup/")
    assert blocked == []


def test_the_api_docs_render_from_local_files_under_the_policy(phone, site, live_server):
    from playwright.sync_api import expect

    page = phone
    blocked = _watch_for_csp_violations(page)
    outside: list[str] = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None,
    )
    _log_in(page, site["users"][Role.CASE_MANAGER])
    page.goto("/api/v1/docs")
    expect(page.locator("#swagger-ui .info .title")).to_contain_text("divert API")
    expect(page.locator("#swagger-ui .opblock").first).to_be_visible()
    assert outside == []
    assert blocked == []
