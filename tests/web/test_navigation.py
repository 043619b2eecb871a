"""The menu offers each role exactly the pages it may open, on every page, in one date format."""

import contextlib
import re

import pytest
from django.urls import NoReverseMatch, reverse

from divert.staff.roles import Role
from divert.web.menu import MENU

ITEM = re.compile(r'<nav aria-label="Main">(.*?)</nav>', re.S)


def menu_links(html: str) -> list[str]:
    found = ITEM.search(html)
    return re.findall(r'href="([^"]+)"', found.group(1)) if found else []


def _pages() -> list[str]:
    urls = []
    for _label, name in MENU:
        with contextlib.suppress(NoReverseMatch):
            urls.append(reverse(name))
    return urls


@pytest.mark.parametrize("role", list(Role))
def test_each_role_is_offered_exactly_the_pages_it_may_open(client, site, participant, role):
    client.force_login(site["users"][role])
    offered = menu_links(client.get("/", follow=True).content.decode())
    for url in _pages():
        status = client.get(url).status_code
        if url in offered:
            assert status == 200, (role, url, status)
        else:
            assert status == 403, (role, url, status)


def test_enforcement_is_offered_no_case_work(client, site):
    for role in (Role.OFFICER, Role.PROSECUTOR):
        client.force_login(site["users"][role])
        offered = menu_links(client.get("/", follow=True).content.decode())
        assert "/casework/" not in offered and "/alerts/" not in offered


def test_the_menu_is_on_every_page_and_marks_where_you_are(client, site, participant):
    client.force_login(site["users"][Role.CASE_MANAGER])
    html = client.get("/casework/").content.decode()
    assert '<a href="/casework/" aria-current="page">Caseload</a>' in html
    html = client.get(f"/casework/enrollments/{participant['enrollment'].pk}/").content.decode()
    assert "/casework/" in menu_links(html)


def test_dates_read_the_same_way_everywhere_in_the_sites_days(client, site, participant):
    client.force_login(site["users"][Role.CASE_MANAGER])
    html = client.get("/casework/").content.decode()
    referred = participant["enrollment"].referred_on
    assert referred.strftime("%a %-d %b %Y") in html
    assert referred.isoformat() not in html.split("<main", 1)[1].split("Download CSV")[1]


def test_anonymous_visitors_get_no_menu(client, db):
    assert menu_links(client.get("/login/").content.decode()) == []
