"""Refusals stay on record even when the transaction around them is rolled back."""

import pytest
import typer
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from typer.testing import CliRunner

from divert.access import Action, Kind, require
from divert.audit.models import AuditEntry
from divert.cli import audited
from divert.field import diversion
from divert.field.policies import policy_load
from divert.staff.roles import Role
from tests.field.conftest import POLICIES, POSSESSION


@pytest.fixture
def screening(site):
    policy_load(jurisdiction=site["site"], text=(POLICIES / "seattle-2011.toml").read_text())
    return diversion.screening_run(user=site["users"][Role.OFFICER], case=POSSESSION)


def _writes(participant, screening) -> list[tuple[str, dict, str]]:
    """Six writes a prosecutor may not make, each inside a transactional service."""
    now = timezone.now().isoformat()
    return [
        ("/api/v1/people/", {"first_name": "Ann", "last_name": "Lee"}, "person"),
        (
            "/api/v1/field/encounters",
            {"occurred_at": now, "offenses": [{"nibrs": "35A"}]},
            "encounter",
        ),
        (
            f"/api/v1/casework/enrollments/{participant['enrollment'].pk}/notes",
            {"text": "Doing well."},
            "enrollment",  # refused on opening the enrollment, before the note
        ),
        (
            "/api/v1/field/community-referrals",
            {"first_name": "Ann", "last_name": "Lee"},
            "referral",
        ),
        (f"/api/v1/field/referrals/{participant['referral'].pk}/handoff", {}, "referral"),
        (
            "/api/v1/field/diversions",
            {"screening_id": screening.pk, "pathway": "arrest_diversion"},
            "referral",
        ),
    ]


def test_six_refused_api_writes_by_a_prosecutor_each_leave_a_denied_entry(
    client, site, participant, screening
):
    prosecutor = site["users"][Role.PROSECUTOR]
    client.force_login(prosecutor)
    for path, body, kind in _writes(participant, screening):
        before = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
        response = client.post(path, body, content_type="application/json")
        assert response.status_code == 403, (path, response.content)
        denied = AuditEntry.objects.filter(id__gt=before, outcome="denied")
        assert [(e.actor, e.kind, e.component) for e in denied] == [
            (prosecutor.username, kind, "api")
        ], path
    assert denied.get().detail == {"rolled_back": True}


def test_a_refusal_committed_with_its_transaction_is_not_written_twice(client, site, participant):
    client.force_login(site["users"][Role.PROSECUTOR])
    before = AuditEntry.objects.count()
    response = client.get(f"/api/v1/casework/enrollments/{participant['enrollment'].pk}/notes")
    assert response.status_code == 403
    assert AuditEntry.objects.filter(outcome="denied").count() == 1
    assert AuditEntry.objects.count() == before + 1


def test_a_change_rolled_back_with_its_transaction_leaves_no_entry(client, site):
    client.force_login(site["users"][Role.OFFICER])
    response = client.post(
        "/api/v1/people/",
        {"first_name": "Ann", "last_name": "Lee", "date_of_birth": "2999-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert not AuditEntry.objects.filter(kind="person", action="create").exists()


def test_a_403_no_access_check_recorded_is_recorded_as_a_refused_request(client, site):
    admin = site["users"][Role.ADMINISTRATOR]
    admin.is_staff = True
    admin.save()
    client.force_login(admin)
    # The admin's own permission check refuses this inside the admin's transaction.
    assert client.get("/admin/audit/auditentry/add/").status_code == 403
    entry = AuditEntry.objects.latest("id")
    assert (entry.action, entry.kind, entry.outcome, entry.component) == (
        "request",
        "request",
        "denied",
        "admin",
    )
    assert entry.detail == {"method": "GET", "path": "/admin/audit/auditentry/add/"}


def test_a_csrf_failure_is_a_recorded_refusal(site):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(site["users"][Role.CASE_MANAGER])
    assert client.post("/logout/").status_code == 403
    entry = AuditEntry.objects.latest("id")
    assert (entry.kind, entry.outcome, entry.detail["path"]) == ("request", "denied", "/logout/")


def test_an_unknown_bearer_token_is_a_recorded_failed_login(client, db):
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer forged").status_code == 401
    entry = AuditEntry.objects.latest("id")
    assert (entry.action, entry.kind, entry.outcome) == ("login", "session", "failure")
    assert entry.detail["method"] == "bearer token"


# The same paths with real commits and rollbacks, on whichever database the suite runs on.


def test_a_refused_api_write_is_on_record_after_a_real_rollback(committed_db, client, site):
    client.force_login(site["users"][Role.PROSECUTOR])
    now = timezone.now().isoformat()
    response = client.post(
        "/api/v1/field/encounters",
        {"occurred_at": now, "offenses": [{"nibrs": "35A"}]},
        content_type="application/json",
    )
    assert response.status_code == 403
    entry = AuditEntry.objects.get(outcome="denied")
    assert (entry.kind, entry.action, entry.detail) == (
        "encounter",
        "create",
        {"rolled_back": True},
    )


def test_a_refused_admin_request_is_on_record_after_a_real_rollback(committed_db, client, site):
    admin = site["users"][Role.ADMINISTRATOR]
    admin.is_staff = True
    admin.save()
    client.force_login(admin)
    assert client.get("/admin/audit/auditentry/add/").status_code == 403
    assert AuditEntry.objects.filter(kind="request", outcome="denied", component="admin").exists()


def test_a_refused_page_post_is_on_record_after_a_real_rollback(committed_db, client, site):
    client.force_login(site["users"][Role.PROSECUTOR])
    response = client.post("/field/people/new/", {"first_name": "Ann", "last_name": "Lee"})
    assert response.status_code == 403
    entry = AuditEntry.objects.get(outcome="denied")
    assert (entry.kind, entry.component) == ("person", "page")


cli = typer.Typer()


@cli.command()
@audited
def refuse_inside_a_transaction(username: str) -> None:
    """A command that checks access inside its transaction, as a CLI write would."""
    from divert.staff.models import User

    try:
        with transaction.atomic():
            require(User.objects.get(username=username), Action.CREATE, Kind.PERSON)
    except PermissionDenied:
        raise typer.Exit(1) from None


def test_a_refusal_in_a_cli_command_is_on_record_after_a_real_rollback(committed_db, site):
    result = CliRunner().invoke(cli, [site["users"][Role.PROSECUTOR].username])
    assert result.exit_code == 1, result.output
    entry = AuditEntry.objects.get(outcome="denied")
    assert (entry.kind, entry.component, entry.origin) == ("person", "cli", "cli")
    assert entry.detail == {"rolled_back": True}


def test_a_session_without_its_second_factor_is_a_recorded_refusal(client, site):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = site["users"][Role.CASE_MANAGER]
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client.force_login(user)  # the password only
    assert client.get("/casework/").status_code == 403
    entry = AuditEntry.objects.latest("id")
    assert (entry.actor, entry.action, entry.kind, entry.outcome) == (
        user.username,
        "request",
        "request",
        "denied",
    )
