"""Person-level reads and credential and configuration events that are audited."""

import pytest
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from typer.testing import CliRunner

from divert.audit.models import AuditEntry
from divert.cli import app
from divert.field import diversion
from divert.field.models import Referral
from divert.field.policies import policy_load
from divert.staff.models import ApiToken
from divert.staff.roles import Role
from tests.conftest import token_for
from tests.field.conftest import POLICIES, POSSESSION

PASSWORD = "pw-for-tests-only"


def _since(entry_id: int | None):
    return AuditEntry.objects.filter(id__gt=entry_id or 0)


def _last_id() -> int | None:
    return AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()


def test_the_capacity_page_naming_refused_people_is_an_audited_read(client, site, participant):
    Referral.objects.filter(pk=participant["referral"].pk).update(capacity_refused=True)
    supervisor = site["users"][Role.SUPERVISOR]
    client.force_login(supervisor)
    before = _last_id()
    response = client.get("/field/capacity/")
    assert response.status_code == 200 and "Robert Jones" in response.content.decode()
    [entry] = _since(before)
    assert (entry.actor, entry.action, entry.kind, entry.outcome, entry.component) == (
        supervisor.username,
        "view",
        "referral",
        "allowed",
        "page",
    )


def test_screening_a_known_person_audits_the_history_it_read(client, site, participant):
    policy_load(jurisdiction=site["site"], text=(POLICIES / "seattle-2011.toml").read_text())
    officer = site["users"][Role.OFFICER]
    client.force_login(officer)
    before = _last_id()
    response = client.post(
        f"/api/v1/screen?person_id={participant['person'].pk}",
        POSSESSION,
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    reads = _since(before).filter(action="view")
    assert sorted((e.kind, e.object_id, e.actor, e.outcome) for e in reads) == [
        ("encounter", str(participant["person"].pk), officer.username, "allowed"),
        ("justice_event", str(participant["person"].pk), officer.username, "allowed"),
    ]
    assert {e.detail["read_for"] for e in reads} == {"screening"}
    assert {e.jurisdiction_id for e in reads} == {site["site"].pk}


def test_screening_a_known_person_keeps_the_read_on_record_when_the_case_is_refused(
    site, participant
):
    """The records were read before the case proved invalid: the read stays on record."""
    from django.core.exceptions import ValidationError

    policy_load(jurisdiction=site["site"], text=(POLICIES / "seattle-2011.toml").read_text())
    before = _last_id()
    with pytest.raises(ValidationError):
        diversion.screening_run(
            user=site["users"][Role.OFFICER],
            case={**POSSESSION, "offenses": [{"nibrs": "35A", "grams": -1}]},
            person=participant["person"],
        )
    reads = _since(before)
    assert sorted((e.kind, e.object_id, e.outcome) for e in reads) == [
        ("encounter", str(participant["person"].pk), "allowed"),
        ("justice_event", str(participant["person"].pk), "allowed"),
    ]
    assert not diversion.Screening.objects.exists()


def test_screening_an_unnamed_case_reads_no_history(site):
    policy_load(jurisdiction=site["site"], text=(POLICIES / "seattle-2011.toml").read_text())
    before = _last_id()
    diversion.screening_run(user=site["users"][Role.OFFICER], case=POSSESSION)
    assert not _since(before).filter(action="view").exists()


def test_deleting_an_api_token_in_the_admin_is_audited(client, site):
    admin = site["users"][Role.ADMINISTRATOR]
    admin.is_staff = True
    admin.save()
    token_for(site["users"][Role.CASE_MANAGER], name="hmis sync")
    token = ApiToken.objects.get(name="hmis sync")
    client.force_login(admin)
    response = client.post(f"/admin/staff/apitoken/{token.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    entry = AuditEntry.objects.get(kind="api_token", action="delete")
    assert (entry.actor, entry.object_id, entry.outcome, entry.component) == (
        admin.username,
        str(token.pk),
        "success",
        "admin",
    )
    assert entry.detail == {"user_id": site["users"][Role.CASE_MANAGER].pk, "name": "hmis sync"}
    assert entry.jurisdiction_id == site["site"].pk


def test_issuing_an_api_token_is_audited_with_its_issuer(site):
    manager = site["users"][Role.CASE_MANAGER]
    token_for(manager, name="hmis sync", scopes=["person:view"])
    entry = AuditEntry.objects.get(kind="api_token", action="create")
    assert (entry.actor, entry.outcome, entry.jurisdiction_id) == (
        "platform-root",
        "success",
        site["site"].pk,
    )
    assert entry.detail["for"] == manager.username and entry.detail["scopes"] == ["person:view"]


def test_tokens_deleted_with_their_account_are_audited(site):
    manager = site["users"][Role.CASE_MANAGER]
    token_for(manager, name="one")
    token_for(manager, name="two")
    manager.api_tokens.all().delete()
    assert AuditEntry.objects.filter(kind="api_token", action="delete").count() == 2


def test_loading_a_policy_from_the_cli_is_audited(site):
    result = CliRunner().invoke(
        app, ["policy", "load", "policies/seattle-2011.toml", "-j", site["site"].slug]
    )
    assert result.exit_code == 0, result.output
    entry = AuditEntry.objects.get(action="policy_load")
    assert (entry.kind, entry.component, entry.origin, entry.jurisdiction_id) == (
        "configuration",
        "cli",
        "cli",
        site["site"].pk,
    )
    assert entry.detail["policy_id"] == "seattle" and entry.detail["version"] == "2011.1"
    assert entry.detail["reactivated"] is False
    CliRunner().invoke(app, ["policy", "load", "policies/seattle-2011.toml", "-j", "cascadia"])
    assert AuditEntry.objects.filter(action="policy_load").latest("id").detail["reactivated"]


def test_loading_a_policy_in_the_admin_is_audited_with_its_administrator(client, site):
    admin = site["users"][Role.ADMINISTRATOR]
    admin.is_staff = True
    admin.save()
    client.force_login(admin)
    response = client.post(
        "/admin/field/eligibilitypolicy/add/",
        {
            "jurisdiction": site["site"].pk,
            "text": (POLICIES / "seattle-2020.toml").read_text(),
            "source": "seattle-2020.toml",
        },
    )
    assert response.status_code == 302, response.content
    entry = AuditEntry.objects.get(action="policy_load")
    assert (entry.actor, entry.component, entry.outcome) == (admin.username, "admin", "success")
    assert entry.detail["source"] == "seattle-2020.toml"


@pytest.fixture
def device(site):
    return TOTPDevice.objects.create(
        user=site["users"][Role.CASE_MANAGER], name="phone", confirmed=True
    )


def _wrong(device) -> str:
    right = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return "000000" if right != 0 else "111111"


@pytest.mark.parametrize("code", ["wrong", ""])
def test_a_wrong_or_missing_one_time_code_at_login_is_audited(client, site, device, code):
    user = site["users"][Role.CASE_MANAGER]
    token = _wrong(device) if code else ""
    client.post("/login/", {"username": user.username, "password": PASSWORD, "otp_token": token})
    entry = AuditEntry.objects.get(action="mfa_code")
    assert (entry.actor, entry.kind, entry.outcome) == (user.username, "session", "failure")
    assert entry.detail["step"] == "login"


def test_a_code_refused_while_throttled_is_audited(client, site, device):
    user = site["users"][Role.CASE_MANAGER]
    device.throttling_failure_count = 3
    device.throttling_failure_timestamp = timezone.now()
    device.save()
    client.post("/login/", {"username": user.username, "password": PASSWORD, "otp_token": "1"})
    assert AuditEntry.objects.filter(action="mfa_code", outcome="failure").count() == 1


def test_a_wrong_code_while_pairing_an_authenticator_is_audited(client, site):
    user = site["users"][Role.OFFICER]
    client.force_login(user)
    client.get("/account/mfa/")
    device = TOTPDevice.objects.get(user=user)
    client.post("/account/mfa/", {"token": _wrong(device)})
    entry = AuditEntry.objects.get(action="mfa_code")
    assert (entry.actor, entry.detail["step"]) == (user.username, "pairing")


def test_logging_out_is_audited(client, site):
    user = site["users"][Role.OFFICER]
    client.force_login(user)
    client.post("/logout/")
    entry = AuditEntry.objects.latest("id")
    assert (entry.actor, entry.action, entry.kind, entry.outcome) == (
        user.username,
        "logout",
        "session",
        "success",
    )


def test_a_log_in_refused_by_the_lockout_is_a_recorded_failed_login(client, site):
    user = site["users"][Role.OFFICER]
    for _ in range(5):
        client.post("/login/", {"username": user.username, "password": "wrong"})
    client.post("/login/", {"username": user.username, "password": PASSWORD})
    failures = AuditEntry.objects.filter(action="login", kind="session", outcome="failure")
    assert failures.count() == 6
    assert failures.latest("id").detail == {"username": user.username}


def test_pairing_an_authenticator_is_audited(client, site):
    user = site["users"][Role.OFFICER]
    client.force_login(user)
    client.get("/account/mfa/")
    device = TOTPDevice.objects.get(user=user)
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    assert client.post("/account/mfa/", {"token": f"{code:06d}"}).status_code == 302
    entry = AuditEntry.objects.get(action="mfa_enrolled")
    assert (entry.kind, entry.object_id, entry.outcome) == ("staff", str(user.pk), "success")


def test_the_officer_lookup_records_one_read_per_person_shown(client, site, participant):
    from divert.people.models import Person

    Person.objects.create(jurisdiction=site["site"], first_name="Roberta", last_name="Jones")
    client.force_login(site["users"][Role.OFFICER])
    before = _last_id()
    response = client.get("/field/lookup/", {"q": "jones"})
    assert response.status_code == 200
    reads = _since(before)
    assert [(e.action, e.kind, e.outcome) for e in reads] == [
        ("view", "enrollment_status", "allowed")
    ] * 2
    assert len({e.object_id for e in reads}) == 2


def test_the_deidentified_export_is_an_audited_export(client, site, participant):
    evaluator = site["users"][Role.EVALUATOR]
    client.force_login(evaluator)
    response = client.get("/api/v1/program/exports/enrollments.csv")
    assert response.status_code == 200
    entry = AuditEntry.objects.latest("id")
    assert (entry.actor, entry.action, entry.kind, entry.outcome) == (
        evaluator.username,
        "export",
        "deidentified",
        "allowed",
    )


# What is not recorded (docs/audit.md says so, row by row).


def test_aggregate_pages_write_no_entry(client, site, participant):
    client.force_login(site["users"][Role.PROGRAM_MANAGER])
    before = _last_id()
    assert client.get("/program/").status_code == 200
    assert client.get("/api/v1/program/summary").status_code == 200
    assert not _since(before).exists()


def test_opening_a_field_page_before_any_read_writes_no_entry(client, site):
    client.force_login(site["users"][Role.OFFICER])
    before = _last_id()
    assert client.get("/field/lookup/").status_code == 200
    assert client.get("/field/people/new/").status_code == 200
    assert not _since(before).exists()


def test_reading_configuration_and_staff_in_the_admin_writes_no_entry(client, site):
    admin = site["users"][Role.ADMINISTRATOR]
    admin.is_staff = True
    admin.save()
    client.force_login(admin)
    before = _last_id()
    assert client.get("/admin/staff/user/").status_code == 200
    assert client.get("/admin/jurisdictions/organization/").status_code == 200
    assert not _since(before).exists()


def test_an_anonymous_api_call_without_credentials_is_not_recorded(client, db):
    before = _last_id()
    assert client.get("/api/v1/me").status_code == 401
    assert not _since(before).exists()


def test_health_checks_and_static_files_are_not_recorded(client, db):
    before = _last_id()
    assert client.get("/healthz").status_code == 200
    assert client.get("/static/web/divert.css").status_code == 200
    assert not _since(before).exists()


def test_a_refused_policy_file_is_not_recorded(site, tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text("this is not a policy")
    result = CliRunner().invoke(app, ["policy", "load", str(broken), "-j", site["site"].slug])
    assert result.exit_code == 2
    assert not AuditEntry.objects.filter(action="policy_load").exists()


def test_a_bearer_tokens_last_use_is_not_an_entry(client, site, participant):
    token = token_for(site["users"][Role.CASE_MANAGER], name="hmis sync")
    before = _last_id()
    client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert not _since(before).exists()
