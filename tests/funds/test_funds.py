"""Flexible funds: budget lines, spends with their checks, approval, balances and the export."""

import base64
import csv
import datetime
import io
import uuid
from decimal import Decimal

import pytest

from divert.audit.models import AuditEntry
from divert.funds.models import FundBudget, FundRules, FundSpend
from divert.staff.roles import Role
from tests.conftest import local_today

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40


@pytest.fixture
def budget(site):
    today = local_today()
    FundRules.objects.create(jurisdiction=site["site"], approval_over=Decimal("100"))
    return FundBudget.objects.create(
        jurisdiction=site["site"],
        category="transport",
        label="Transport",
        starts_on=today.replace(day=1) - datetime.timedelta(days=40),
        ends_on=today + datetime.timedelta(days=60),
        amount=Decimal("300.00"),
    )


def _spend(client, enrollment, **extra):
    form = {
        "category": "transport",
        "amount": "25.00",
        "vendor": "King County Metro",
        "spent_on": local_today().isoformat(),
        "purpose": "bus pass",
        **extra,
    }
    return client.post(f"/casework/enrollments/{enrollment.pk}/funds/", form)


def test_a_case_manager_records_a_spend_once_with_a_receipt(client, site, participant, budget):
    enrollment = participant["enrollment"]
    client.force_login(site["users"][Role.CASE_MANAGER])
    assert (
        "Flexible funds" in client.get(f"/casework/enrollments/{enrollment.pk}/").content.decode()
    )
    once = str(uuid.uuid4())
    receipt = io.BytesIO(PNG)
    receipt.name = "receipt.exe"  # the name does not matter: the content does
    assert _spend(client, enrollment, client_id=once, receipt=receipt).status_code == 302
    assert _spend(client, enrollment, client_id=once).status_code == 302  # a double submit
    [spend] = FundSpend.objects.all()
    assert (spend.amount, spend.status, spend.approved_by) == (
        Decimal("25.00"),
        "approved",
        site["users"][Role.CASE_MANAGER],
    )
    assert spend.receipt_type == "image/png"
    response = client.get(f"/funds/spends/{spend.pk}/receipt/")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"amount": "-5"}, "amount"),
        ({"amount": "0"}, "amount"),
        ({"amount": "301"}, "amount"),
        ({"category": "yachts"}, "category"),
        ({"vendor": " "}, "vendor"),
        ({"spent_on": "2999-01-01"}, "spent_on"),
    ],
)
def test_bad_spends_are_refused_by_field_on_the_page(
    client, site, participant, budget, extra, field
):
    client.force_login(site["users"][Role.CASE_MANAGER])
    response = _spend(client, participant["enrollment"], **extra)
    assert response.status_code == 422
    assert response.context["form"].errors.get(field), response.context["form"].errors
    assert not FundSpend.objects.exists()


def test_a_receipt_is_checked_by_content_and_size(client, site, participant, budget, settings):
    settings.DIVERT_UPLOAD_MAX_MB = 1
    client.force_login(site["users"][Role.CASE_MANAGER])
    fake = io.BytesIO(b"<svg onload=alert(1)></svg>" * 4)
    fake.name = "receipt.png"
    response = _spend(client, participant["enrollment"], receipt=fake)
    assert response.status_code == 422 and response.context["form"].errors["receipt"]
    huge = io.BytesIO(PNG + b"\0" * (1024 * 1024))
    huge.name = "big.png"
    response = _spend(client, participant["enrollment"], receipt=huge)
    assert response.status_code == 422
    assert "larger than 1 MB" in response.context["form"].errors["receipt"][0]
    assert "up to 1 MB" in response.content.decode()
    assert not FundSpend.objects.exists()


def _multipart(client, enrollment, receipt=None, **extra):
    fields = {
        "category": "transport",
        "amount": "25.00",
        "vendor": "King County Metro",
        "spent_on": local_today().isoformat(),
        **extra,
    }
    if receipt is not None:
        fields["receipt"] = receipt
    return client.post(f"/api/v1/funds/enrollments/{enrollment.pk}/spends/with-receipt", fields)


def _file(data: bytes, name: str = "receipt.png"):
    upload = io.BytesIO(data)
    upload.name = name
    return upload


def test_the_api_takes_a_receipt_as_a_multipart_file_once(client, site, participant, budget):
    enrollment = participant["enrollment"]
    client.force_login(site["users"][Role.CASE_MANAGER])
    once = str(uuid.uuid4())
    first = _multipart(client, enrollment, _file(PNG, "r.exe"), client_id=once)
    assert first.status_code == 201, first.content
    assert first.json()["has_receipt"] is True and first.json()["status"] == "approved"
    again = _multipart(client, enrollment, _file(PNG), client_id=once)  # a double submit
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"]
    without = _multipart(client, enrollment, purpose="no receipt kept")
    assert without.status_code == 201 and without.json()["has_receipt"] is False
    spend = FundSpend.objects.get(pk=first.json()["id"])
    assert (bytes(spend.receipt), spend.receipt_type) == (PNG, "image/png")
    assert FundSpend.objects.count() == 2
    created = AuditEntry.objects.filter(action="create", kind="fund_spend", outcome="success")
    assert created.filter(object_id=str(spend.pk)).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<svg onload=alert(1)></svg>", "JPEG, PNG or WebP"),
        (b"MZ" + b"\0" * 100, "JPEG, PNG or WebP"),
        (b"", "empty"),
        (PNG + b"\0" * (1024 * 1024), "larger than 1 MB"),
    ],
    ids=["svg", "executable", "empty", "oversize"],
)
def test_a_multipart_receipt_is_refused_naming_the_field(
    client, site, participant, budget, settings, data, message
):
    settings.DIVERT_UPLOAD_MAX_MB = 1
    client.force_login(site["users"][Role.CASE_MANAGER])
    response = _multipart(client, participant["enrollment"], _file(data))
    assert response.status_code == 422, response.content
    [error] = response.json()["detail"]
    assert error["field"] == "receipt" and message in error["message"]
    assert not FundSpend.objects.exists()


def test_a_multipart_spend_is_refused_by_field_and_by_role(client, site, participant, budget):
    enrollment = participant["enrollment"]
    client.force_login(site["users"][Role.CASE_MANAGER])
    response = _multipart(client, enrollment, _file(PNG), amount="-3")
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "amount"
    client.force_login(site["users"][Role.PROGRAM_MANAGER])
    assert _multipart(client, enrollment, _file(PNG)).status_code == 403
    assert not FundSpend.objects.exists()


def test_a_base64_receipt_is_checked_the_same_way(client, site, participant, budget, settings):
    settings.DIVERT_UPLOAD_MAX_MB = 1
    client.force_login(site["users"][Role.CASE_MANAGER])
    url = f"/api/v1/funds/enrollments/{participant['enrollment'].pk}/spends"
    body = {"category": "transport", "amount": "5", "vendor": "Metro"}
    body["spent_on"] = local_today().isoformat()
    big = base64.b64encode(PNG + b"\0" * (1024 * 1024)).decode()
    for encoded, message in ((big, "larger than 1 MB"), ("!!", "base64")):
        response = client.post(
            url, {**body, "receipt_base64": encoded}, content_type="application/json"
        )
        assert response.status_code == 422
        [error] = response.json()["detail"]
        assert error["field"] == "receipt_base64" and message in error["message"]
    ok = client.post(
        url,
        {**body, "receipt_base64": base64.b64encode(PNG).decode()},
        content_type="application/json",
    )
    assert ok.status_code == 201 and ok.json()["has_receipt"] is True


def test_the_api_refuses_with_the_one_error_shape(client, site, participant, budget):
    client.force_login(site["users"][Role.CASE_MANAGER])
    url = f"/api/v1/funds/enrollments/{participant['enrollment'].pk}/spends"
    body = {
        "category": "transport",
        "amount": "250",
        "vendor": "Motel 6",
        "spent_on": local_today().isoformat(),
    }
    first = client.post(url, body, content_type="application/json")
    assert first.status_code == 201 and first.json()["status"] == "awaiting"
    over = client.post(url, {**body, "amount": "60"}, content_type="application/json")
    assert over.status_code == 422
    assert (
        over.json()["detail"][0]["field"] == "amount"
        and "50.00" in over.json()["detail"][0]["message"]
    )
    unknown = client.post(url, {**body, "category": "boats"}, content_type="application/json")
    assert unknown.json()["detail"][0]["field"] == "category"
    negative = client.post(url, {**body, "amount": "-1"}, content_type="application/json")
    assert negative.status_code == 422 and negative.json()["detail"][0]["field"] == "amount"
    bad = client.post(
        url,
        {**body, "amount": "5", "receipt_base64": base64.b64encode(b"MZ" * 50).decode()},
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "receipt_base64"
    assert FundSpend.objects.count() == 1


def test_a_supervisor_approves_a_large_spend_but_not_their_own(client, site, participant, budget):
    enrollment = participant["enrollment"]
    client.force_login(site["users"][Role.CASE_MANAGER])
    _spend(client, enrollment, amount="150", vendor="Motel 6")
    spend = FundSpend.objects.get()
    assert spend.status == "awaiting" and spend.approved_by is None
    decide = f"/funds/spends/{spend.pk}/decide/"
    assert client.post(decide, {"approve": "1"}).status_code == 403  # case managers do not approve
    supervisor = site["users"][Role.SUPERVISOR]
    client.force_login(supervisor)
    assert "Motel 6" in client.get("/funds/").content.decode()
    client.post(decide, {"approve": "1"})
    client.post(decide, {"approve": "1"})  # twice: nothing more
    spend.refresh_from_db()
    assert (spend.status, spend.approved_by, spend.approved_on) == (
        "approved",
        supervisor,
        local_today(),
    )
    own = client.post(
        f"/api/v1/funds/enrollments/{enrollment.pk}/spends",
        {
            "category": "transport",
            "amount": "120",
            "vendor": "Shell",
            "spent_on": str(local_today()),
        },
        content_type="application/json",
    )
    # A supervisor's own spend over the amount waits for another supervisor: nobody approves
    # their own, neither as they record it nor afterwards.
    assert own.json()["status"] == "awaiting" and own.json()["approved_by"] is None
    page = client.get("/funds/").content.decode()
    assert "another supervisor approves it" in page
    refused = client.post(
        f"/api/v1/funds/spends/{own.json()['id']}/decision",
        {"approve": True},
        content_type="application/json",
    )
    assert refused.status_code == 422 and refused.json()["detail"][0]["field"] == "approve"
    assert FundSpend.objects.get(pk=own.json()["id"]).status == "awaiting"


def test_balances_and_monthly_spend_for_the_program_manager(client, site, participant, budget):
    client.force_login(site["users"][Role.CASE_MANAGER])
    _spend(client, participant["enrollment"], amount="40")
    _spend(client, participant["enrollment"], amount="150")
    client.force_login(site["users"][Role.PROGRAM_MANAGER])
    [line] = client.get("/api/v1/funds/budgets").json()
    assert (line["spent"], line["awaiting"], line["left"]) == ("40.00", "150.00", "110.00")
    [month] = client.get("/api/v1/funds/spends/by-month").json()
    assert month["total"] == "190.00" and month["spends"] == 2
    page = client.get("/funds/").content.decode()
    assert "Robert" not in page and f"Enrollment {participant['enrollment'].pk}" in page
    assert (
        client.get(f"/casework/enrollments/{participant['enrollment'].pk}/funds/").status_code
        == 403
    )


def test_the_program_manager_sets_the_budget_refusing_bad_lines(client, site, budget):
    client.force_login(site["users"][Role.PROGRAM_MANAGER])
    today = local_today()
    line = {
        "category": "phones",
        "label": "Phones",
        "starts_on": today,
        "ends_on": today,
        "amount": "-1",
    }
    assert client.post("/funds/", line).status_code == 422
    clash = {**line, "category": "transport", "amount": "10"}
    response = client.post("/funds/", clash)
    assert response.status_code == 422 and response.context["form"].errors["starts_on"]
    assert client.post("/funds/", {**line, "amount": "200"}).status_code == 302
    assert FundBudget.objects.filter(category="phones").exists()
    client.force_login(site["users"][Role.CASE_MANAGER])
    assert client.post("/funds/", {**line, "category": "x", "amount": "5"}).status_code == 403


def test_the_funders_csv_is_audited_and_defused(client, site, participant, budget):
    client.force_login(site["users"][Role.CASE_MANAGER])
    _spend(client, participant["enrollment"], vendor='=HYPERLINK("http://x")')
    assert client.get("/funds/export.csv").status_code == 403
    client.force_login(site["users"][Role.PROGRAM_MANAGER])
    response = client.get("/funds/export.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1][rows[0].index("vendor")].startswith("'=")
    assert rows[1][rows[0].index("participant")] == f"E{participant['enrollment'].pk}"
    assert "Robert" not in response.content.decode()
    assert AuditEntry.objects.filter(action="export", kind="fund_spend", outcome="allowed").exists()


@pytest.mark.parametrize("role", [Role.OFFICER, Role.PROSECUTOR, Role.DEFENDER, Role.PARTNER])
def test_enforcement_and_partners_reach_no_fund_page(client, site, participant, budget, role):
    client.force_login(site["users"][role])
    for url in ("/funds/", f"/casework/enrollments/{participant['enrollment'].pk}/funds/"):
        assert client.get(url).status_code == 403
    assert _spend(client, participant["enrollment"]).status_code == 403
    assert not FundSpend.objects.exists()


def test_spend_dates_are_the_sites_local_dates(site, participant, budget):
    from divert.funds.services import fund_spend_record

    tomorrow = local_today() + datetime.timedelta(days=1)
    with pytest.raises(Exception, match="future"):
        fund_spend_record(
            user=site["users"][Role.CASE_MANAGER],
            enrollment=participant["enrollment"],
            category="transport",
            amount="5",
            vendor="Metro",
            spent_on=tomorrow,
        )
    spend = fund_spend_record(
        user=site["users"][Role.CASE_MANAGER],
        enrollment=participant["enrollment"],
        category="transport",
        amount="5",
        vendor="Metro",
        spent_on=local_today(),
    )
    assert spend.approved_on == local_today()


def test_reading_spends_and_receipts_is_audited(client, site, participant, budget):
    enrollment = participant["enrollment"]
    client.force_login(site["users"][Role.CASE_MANAGER])
    receipt = io.BytesIO(PNG)
    receipt.name = "r.png"
    _spend(client, enrollment, receipt=receipt)
    spend = FundSpend.objects.get()
    client.get(f"/casework/enrollments/{enrollment.pk}/funds/")
    client.get(f"/funds/spends/{spend.pk}/receipt/")
    reads = AuditEntry.objects.filter(action="view", kind="fund_spend", outcome="allowed")
    assert reads.filter(object_id=str(enrollment.pk)).exists()
    assert reads.filter(object_id=str(spend.pk)).exists()
