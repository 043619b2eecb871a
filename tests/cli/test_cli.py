import pytest
from django.db import connection
from typer.testing import CliRunner

from divert.audit.services import audit_record
from divert.cli import app

runner = CliRunner()


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["check"],
        ["serve"],
        ["demo"],
        ["audit"],
        ["audit", "verify"],
        ["audit", "checkpoint"],
        ["db"],
        ["db", "roles"],
        ["manage"],
        ["screen"],
        ["synth"],
        ["policy"],
        ["policy", "load"],
        ["policy", "list"],
        ["holds"],
        ["holds", "flag-overdue"],
    ],
)
def test_every_command_has_help(args):
    result = runner.invoke(app, [*args, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output


@pytest.mark.django_db
def test_check_reports_a_healthy_database():
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 0, result.output
    assert connection.vendor in result.output and "up to date" in result.output


@pytest.mark.django_db
def test_audit_verify_reports_an_intact_chain_then_names_a_hand_edited_entry():
    entries = [audit_record(action="view", kind="person", outcome="allowed") for _ in range(3)]
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 0 and "3 entries checked" in result.output

    from tests.audit.test_trail import _hand_edit

    _hand_edit(entries[2].pk, "edited")
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 1
    assert f"broken at entry #{entries[2].pk}" in result.output


@pytest.mark.django_db
def test_db_roles_says_sqlite_has_none(settings):
    if connection.vendor != "sqlite":
        pytest.skip("on PostgreSQL the command runs: tests/audit/test_database_roles.py")
    result = runner.invoke(app, ["db", "roles"])
    assert result.exit_code == 2 and "for PostgreSQL" in result.output
