"""The site's approval amount: set on a page and through the API by the program manager or the
administrator, refused naming the field when it is not a sensible amount, and audited."""

from decimal import Decimal

import pytest

from divert.audit.models import AuditEntry
from divert.funds.models import FundRules, FundSpend
from divert.funds.services import approval_over
from divert.staff.roles import Role
from tests.funds.test_funds import _spend, budget  # noqa: F401 (a fixture)


@pytest.mark.parametrize("role", [Role.PROGRAM_MANAGER, Role.ADMINISTRATOR])
def test_the_program_manager_or_administrator_sets_it_on_a_page_once(client, site, role):
    client.force_login(site["users"][role])
    page = client.get("/funds/rules/")
    assert page.status_code == 200 and "100.00" in page.content.decode()
    for _ in range(2):  # a double submit: one change
        assert client.post("/funds/rules/", {"approval_over": "250"}).status_code == 302
    rules = FundRules.objects.get(jurisdiction=site["site"])
    assert rules.approval_over == Decimal("250.00")
    assert rules.history.count() == 1
    assert "250.00" in client.get("/funds/rules/").content.decode()
    client.post("/funds/rules/", {"approval_over": "75.50"})
    assert rules.history.count() == 2
    assert rules.history.first().history_user == site["users"][role]
    changes = AuditEntry.objects.filter(
        kind="fund_rules", outcome="success", jurisdiction_id=site["site"].pk
    )
    assert list(changes.values_list("action", flat=True)) == ["create", "change"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-1", "negative"),
        ("10000000", "too large"),
        ("10000.01", "at most"),
        ("lots", "such as"),
        ("NaN", "such as"),
        ("Infinity", "such as"),
        ("", "required"),
    ],
)
def test_a_bad_amount_is_refused_naming_the_field(client, site, value, message):
    client.force_login(site["users"][Role.PROGRAM_MANAGER])
    response = client.post("/funds/rules/", {"approval_over": value})
    assert response.status_code == 422
    [error] = response.context["form"].errors["approval_over"]
    assert message in error
    api = client.put(
        "/api/v1/funds/rules", {"approval_over": value}, content_type="application/json"
    )
    assert api.status_code == 422
    if value:
        assert api.json()["detail"][0]["field"] == "approval_over"
    assert not FundRules.objects.exists()


def test_the_api_reads_and_sets_it(client, site):
    client.force_login(site["users"][Role.CASE_MANAGER])
    assert client.get("/api/v1/funds/rules").json() == {"approval_over": "100.00"}
    refused = client.put(
        "/api/v1/funds/rules", {"approval_over": "5000"}, content_type="application/json"
    )
    assert refused.status_code == 403
    client.force_login(site["users"][Role.PROGRAM_MANAGER])
    response = client.put(
        "/api/v1/funds/rules", {"approval_over": "40"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json() == {"approval_over": "40.00"}
    assert approval_over(site["site"].pk) == Decimal("40.00")


@pytest.mark.parametrize(
    "role",
    [
        Role.CASE_MANAGER,
        Role.SUPERVISOR,
        Role.OFFICER,
        Role.PROSECUTOR,
        Role.DEFENDER,
        Role.EVALUATOR,
        Role.PARTNER,
    ],
)
def test_no_other_role_sets_it(client, site, role):
    client.force_login(site["users"][role])
    assert client.get("/funds/rules/").status_code == 403
    assert client.post("/funds/rules/", {"approval_over": "9999"}).status_code == 403
    assert not FundRules.objects.exists()
    denied = AuditEntry.objects.filter(kind="fund_rules", outcome="denied")
    assert denied.exists()


def test_it_is_set_for_the_own_site_only_and_takes_effect(
    client,
    site,
    other_site,
    participant,
    budget,  # noqa: F811
):
    FundRules.objects.create(jurisdiction=other_site["site"], approval_over=Decimal("500"))
    client.force_login(site["users"][Role.PROGRAM_MANAGER])
    client.post("/funds/rules/", {"approval_over": "20"})
    assert approval_over(other_site["site"].pk) == Decimal("500.00")
    assert approval_over(site["site"].pk) == Decimal("20.00")
    client.force_login(site["users"][Role.CASE_MANAGER])
    _spend(client, participant["enrollment"], amount="25.00")
    assert FundSpend.objects.get().status == "awaiting"
    assert "Spends over 20.00" in client.get("/funds/").content.decode()


def test_the_admin_screen_keeps_to_the_administrators_site(client, site, other_site):
    theirs = FundRules.objects.create(jurisdiction=other_site["site"], approval_over=Decimal("5"))
    admin = site["users"][Role.ADMINISTRATOR]
    admin.is_staff = True
    admin.save()
    client.force_login(admin)
    url = f"/admin/funds/fundrules/{theirs.pk}/change/"
    assert client.get(url).status_code in (302, 404)
    client.post(url, {"jurisdiction": other_site["site"].pk, "approval_over": "9000"})
    theirs.refresh_from_db()
    assert theirs.approval_over == Decimal("5.00")
    assert "Elsewhere" not in client.get("/admin/funds/fundrules/").content.decode()
    add = client.post(
        "/admin/funds/fundrules/add/",
        {"jurisdiction": other_site["site"].pk, "approval_over": "1"},
    )
    assert add.status_code in (200, 403)
    assert FundRules.objects.filter(jurisdiction=other_site["site"]).count() == 1


@pytest.mark.parametrize(
    ("value", "message"), [("10000.01", "at most 10000.00"), ("-1", "negative")]
)
def test_the_admin_applies_the_same_limit_as_the_page_and_the_api(client, site, value, message):
    admin = site["users"][Role.ADMINISTRATOR]
    admin.is_staff = True
    admin.save()
    client.force_login(admin)
    response = client.post(
        "/admin/funds/fundrules/add/", {"jurisdiction": site["site"].pk, "approval_over": value}
    )
    assert response.status_code == 200 and message in response.content.decode()
    assert not FundRules.objects.exists()
    good = client.post(
        "/admin/funds/fundrules/add/", {"jurisdiction": site["site"].pk, "approval_over": "10000"}
    )
    assert good.status_code == 302
    assert FundRules.objects.get().approval_over == Decimal("10000.00")
