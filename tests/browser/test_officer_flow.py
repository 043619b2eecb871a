"""The officer's path on a phone, in a real browser: log in, find, screen, divert, hand off."""

import datetime
import re

import pytest

from divert.charges.models import ChargeHold
from divert.field.models import Referral, Screening
from divert.field.policies import policy_load
from divert.jurisdictions.models import Area
from divert.people.models import Person
from divert.staff.roles import Role
from tests.browser.helpers import shot
from tests.field.conftest import POLICIES

pytestmark = pytest.mark.browser

PASSWORD = "pw-for-tests-only"  # set by make_site in tests/conftest.py


@pytest.fixture
def field_site(site):
    """Seattle's policy, an on-call case manager with a phone, an area and Robert Smith."""
    policy_load(
        jurisdiction=site["site"],
        text=(POLICIES / "seattle-2011.toml").read_text(),
        source="seattle-2011.toml",
    )
    manager = site["users"][Role.CASE_MANAGER]
    manager.on_call = True
    manager.save()
    robert = Person.objects.create(
        jurisdiction=site["site"],
        first_name="Robert",
        last_name="Smith",
        date_of_birth=datetime.date(1984, 2, 29),
    )
    area = Area.objects.create(jurisdiction=site["site"], name="West")
    return {
        "officer": site["users"][Role.OFFICER],
        "manager": manager,
        "robert": robert,
        "area": area,
    }


def test_an_officer_on_a_phone_screens_diverts_and_hands_off(phone, field_site, tmp_path):
    from playwright.sync_api import expect

    page = phone
    officer, manager, robert = field_site["officer"], field_site["manager"], field_site["robert"]

    # Log in through the real login page.
    page.goto("/login/")
    page.get_by_label("Username").fill(officer.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").tap()
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()

    # Find the person by a nickname.
    page.locator("main a[href='/field/lookup/']").first.tap()
    page.get_by_label("Name or alias").fill("Bob Smith")
    page.get_by_role("button", name="Search").tap()
    result = page.locator("#results li.card", has_text="Robert Smith")
    expect(result).to_contain_text("born 1984")
    expect(result).to_contain_text("Not enrolled")
    result.get_by_role("link", name="Screen for LEAD").tap()

    # Screen: 35A, possession of 2.5 g of heroin.
    expect(page.get_by_role("heading", name="Screen Robert Smith")).to_be_visible()
    page.get_by_label("Offense").select_option("35A")
    page.get_by_label("Activity").select_option("possess")
    page.get_by_label("Drug").select_option("heroin")
    page.get_by_label("Grams").fill("2.5")
    page.get_by_label("Area").select_option(label="West")
    page.get_by_label("Location").fill("3rd & Pine")
    page.get_by_role("button", name="Check eligibility").tap()

    # The decision, with its reasons area, fits the phone's width.
    expect(page).to_have_url(re.compile(r"/field/screenings/\d+/$"))
    screening = Screening.objects.get(person=robert)
    assert page.url.endswith(f"/field/screenings/{screening.pk}/")
    verdict = page.locator("section[aria-labelledby=verdict]")
    expect(verdict.get_by_role("heading")).to_have_text("Eligible for LEAD")
    # An eligible case fires no exclusion, so the card shows the policy used and the deadline.
    expect(verdict).to_be_visible()
    expect(verdict).to_contain_text("Policy seattle v2011.1")
    expect(verdict).to_contain_text("intake within 30 days")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the decision page scrolls sideways: {width}px on a 390px phone"
    screenshot = tmp_path / "decision.png"
    shot(page, screenshot)
    assert screenshot.stat().st_size > 1000

    page.get_by_role("button", name="Divert (arrest diversion)").tap()

    # The hand-off page: who was notified, and their number.
    expect(page.get_by_role("heading", name="Hand-off")).to_be_visible()
    expect(page.get_by_text("has been notified")).to_be_visible()
    call = page.get_by_role("link", name=f"Call {manager.phone}")
    expect(call).to_have_attribute("href", f"tel:{manager.phone}")
    page.get_by_role("button", name="Hand-off done").tap()
    expect(page.get_by_role("status")).to_contain_text("Handed off at")
    expect(page.get_by_role("button", name="Hand-off done")).to_have_count(0)

    # And in the database.
    referral = Referral.objects.select_related("encounter").get(person=robert)
    assert referral.pathway == "arrest_diversion"
    assert referral.case_manager == manager
    assert referral.handed_off_at is not None
    assert referral.encounter.location == "3rd & Pine"
    assert referral.encounter.area == field_site["area"]
    assert ChargeHold.objects.filter(referral=referral).exists()


def test_the_login_form_works_from_the_keyboard_with_visible_labels(phone, field_site):
    from playwright.sync_api import expect

    page = phone
    page.goto("/login/")
    wanted = ["id_username", "id_password", "id_otp_token", "submit"]
    labels = {
        "id_username": "Username",
        "id_password": "Password",
        "id_otp_token": "One-time code",
    }

    # Tab from the top of the page and note where focus goes.
    order = []
    for _ in range(12):
        page.keyboard.press("Tab")
        order.append(
            page.evaluate(
                "() => { const e = document.activeElement;"
                " return e.id || (e.type === 'submit' ? 'submit' : e.tagName + ':' + e.textContent.trim()); }"
            )
        )
        if order[-1] == "submit":
            break
    first = order.index("id_username")
    assert order[first : first + 4] == wanted, order

    # Each field has a visible label tied to it, and the button says what it does.
    for field, text in labels.items():
        label = page.locator(f"label[for={field}]")
        expect(label).to_be_visible()
        expect(label).to_contain_text(text)
        expect(page.get_by_label(text)).to_have_id(field)
    expect(page.get_by_role("button", name="Log in")).to_be_visible()

    # Keyboard only: type into each field in turn and submit with Enter.
    officer = field_site["officer"]
    page.locator("#id_username").focus()
    page.keyboard.type(officer.username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()
