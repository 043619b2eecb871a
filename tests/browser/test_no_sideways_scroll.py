"""No page scrolls sideways on a 390 px phone: every page of every role, at 390 x 844."""

import contextlib

import pytest
from django.conf import settings
from django.test import Client
from django.urls import NoReverseMatch, reverse

from divert.casework.models import Contact, Task
from divert.staff.roles import Role
from divert.web.menu import menu_for
from tests.conftest import local_today

pytestmark = pytest.mark.browser

# A name with no place to break, as people's records sometimes have.
LONG = "Maximiliano-Bartholomew"


def _signed_in(context, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def _pages(user, enrollment, task) -> list[str]:
    urls = [item["url"] for item in menu_for(user)]
    for name, kwargs in (
        ("enrollment", {"enrollment_id": enrollment.pk}),
        ("case-notes", {"enrollment_id": enrollment.pk}),
        ("record-access", {"enrollment_id": enrollment.pk}),
        ("reassign", {"enrollment_id": enrollment.pk}),
        ("enrollment-intake", {"enrollment_id": enrollment.pk}),
        ("enrollment-status", {"enrollment_id": enrollment.pk}),
        ("task", {"task_id": task.pk}),
        ("casework-releases", {"enrollment_id": enrollment.pk}),
        ("casework-release-new", {"enrollment_id": enrollment.pk}),
        ("casework-release", {"release_id": enrollment.person.releases.first().pk}),
        ("casework-progress", {"enrollment_id": enrollment.pk}),
    ):
        with contextlib.suppress(NoReverseMatch):  # a page not built yet
            urls.append(reverse(name, kwargs=kwargs))
    return urls


@pytest.fixture
def busy_site(site, participant):
    enrollment = participant["enrollment"]
    person = participant["person"]
    person.first_name, person.last_name = LONG, f"{LONG}-{LONG}"
    person.save()
    cm = site["users"][Role.CASE_MANAGER]
    Contact.objects.create(
        enrollment=enrollment,
        staff=cm,
        occurred_at=participant["encounter"].occurred_at,
        kind="street",
        minutes=20,
    )
    task = Task.objects.create(
        jurisdiction=site["site"],
        enrollment=enrollment,
        owner=cm,
        created_by=cm,
        title=f"Call {LONG} about the housing application",
        due_on=local_today(),
    )
    return {"enrollment": enrollment, "task": task}


@pytest.mark.parametrize("role", list(Role))
def test_no_page_of_any_role_scrolls_sideways_at_390(
    browser, live_server, audit_guard_lifted_for_flush, site, busy_site, role
):
    from tests.browser.conftest import PHONE

    user = site["users"][role]
    context = browser.new_context(base_url=live_server.url, **PHONE)
    context.set_default_timeout(10_000)
    try:
        _signed_in(context, live_server, user)
        page = context.new_page()
        visited = []
        for url in ["/", *_pages(user, busy_site["enrollment"], busy_site["task"])]:
            response = page.goto(url)
            if response.status != 200:
                continue  # a page this role may not open: refused, nothing to lay out
            visited.append(url)
            menu = page.locator("details.menu summary")
            if menu.count():
                menu.first.click()  # the open menu must fit too
            width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert width[0] <= width[1], (role, url, width)
        assert visited, role
    finally:
        context.close()
