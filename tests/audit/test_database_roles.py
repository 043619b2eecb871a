"""On PostgreSQL the application's role cannot lift, bypass or go round the audit guard.

CI connects as the postgres superuser, so the test makes its own owner and app roles, hands the
test database's tables to them, connects as the app role, and gives everything back afterwards.
"""

import os
import secrets

import psycopg
import pytest
from django.db import connection
from typer.testing import CliRunner

from divert.audit.integrity import audit_check
from divert.audit.models import AuditEntry
from divert.audit.services import audit_record
from divert.cli import app
from divert.database_roles import RolesError, roles_apply
from divert.jurisdictions.models import Jurisdiction
from divert.people.models import Person

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="database roles are a PostgreSQL feature"
)

SUFFIX = f"{os.getpid()}_{secrets.token_hex(3)}"
OWNER, APP = f"divert_t_owner_{SUFFIX}", f"divert_t_app_{SUFFIX}"
PASSWORD = secrets.token_urlsafe(16)


@pytest.fixture
def roles(committed_db):
    """The two roles, set up by `roles_apply`, and undone so the suite's superuser owns all."""
    superuser = dict(connection.settings_dict)
    audit_record(action="view", kind="person", outcome="allowed")  # an entry to attack
    result = CliRunner().invoke(
        app,
        ["db", "roles", "--owner", OWNER, "--app", APP]
        + ["--owner-password", PASSWORD, "--app-password", PASSWORD],
    )
    assert result.exit_code == 0, result.output
    yield " ".join(result.output.split())
    _reconnect(**superuser)
    with connection.cursor() as cursor:
        for sql in (
            f"REASSIGN OWNED BY {OWNER} TO CURRENT_USER",
            f"DROP OWNED BY {OWNER}",
            f"DROP OWNED BY {APP}",
            f"DROP ROLE {APP}",
            f"DROP ROLE {OWNER}",
        ):
            cursor.execute(sql)


def _reconnect(**settings) -> None:
    """Connect Django's own connection anew with other settings (and a new pool, if pooled)."""
    connection.close()
    if hasattr(connection, "close_pool"):
        connection.close_pool()
    connection.settings_dict.update(settings)


def _as_app() -> psycopg.Connection:
    s = connection.settings_dict
    return psycopg.connect(
        host=s["HOST"] or "127.0.0.1",
        port=s["PORT"] or 5432,
        dbname=s["NAME"],
        user=APP,
        password=PASSWORD,
        autocommit=True,
    )


ATTACKS = [
    "ALTER TABLE {t} DISABLE TRIGGER ALL",
    "ALTER TABLE {t} DISABLE TRIGGER {t}_append_only",
    "DROP TRIGGER {t}_append_only ON {t}",
    "ALTER TABLE {t} OWNER TO CURRENT_USER",
    "UPDATE {t} SET id = id",
    "DELETE FROM {t}",
    "TRUNCATE {t}",
    "SET session_replication_role = replica",
    "CREATE OR REPLACE FUNCTION audit_auditentry_refuse() RETURNS trigger AS $$ "
    "BEGIN RETURN NULL; END $$ LANGUAGE plpgsql",
    "DROP FUNCTION audit_auditentry_refuse() CASCADE",
]


@pytest.mark.parametrize("table", ["audit_auditentry", "audit_auditcheckpoint"])
def test_the_app_role_cannot_lift_or_go_round_the_guard(roles, table):
    before = AuditEntry.objects.count()
    with _as_app() as app_connection:
        assert app_connection.execute("SELECT current_user").fetchone()[0] == APP
        for attack in ATTACKS:
            statement = attack.format(t=table)
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                app_connection.execute(statement)
        # Reading is allowed: the trail can be shown and verified.
        app_connection.execute(f"SELECT count(*) FROM {table}").fetchone()  # noqa: S608 - fixed names
    assert AuditEntry.objects.count() == before
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgname = %s AND tgenabled = 'O'",
            [f"{table}_append_only"],
        )
        assert cursor.fetchone()[0] == 1


def test_the_app_role_appends_and_does_its_normal_work(roles):
    _reconnect(USER=APP, PASSWORD=PASSWORD)
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == APP
    site = Jurisdiction.objects.create(name="Roles County", slug="roles-county")
    person = Person.objects.create(jurisdiction=site, first_name="Ann", last_name="Lee")
    person.last_name = "Leigh"
    person.save()  # history rows and audit entries, appended by the app role
    entry = audit_record(action="view", kind="person", outcome="allowed", object_id=person.pk)
    assert AuditEntry.objects.filter(kind="person", action="change").exists()
    assert entry.prev_hash == AuditEntry.objects.get(pk=entry.pk - 1).hash
    assert audit_check().intact


def test_the_command_names_every_step_and_is_audited(roles):
    assert f'ALTER TABLE "audit_auditentry" OWNER TO "{OWNER}"' in roles
    assert (
        f'REVOKE UPDATE, DELETE ON "audit_auditentry", "audit_auditcheckpoint" FROM "{APP}"'
        in roles
    )
    assert PASSWORD not in roles
    entry = AuditEntry.objects.get(action="db_roles")
    assert (entry.kind, entry.outcome, entry.component) == ("configuration", "success", "cli")
    assert entry.detail == {"owner": OWNER, "app": APP}


def test_running_it_again_changes_nothing_it_needs(roles):
    again = roles_apply(connection, owner=OWNER, app=APP)
    assert not any("OWNER TO" in s for s in again)  # every table is the owner's already
    with _as_app() as app_connection, pytest.raises(psycopg.errors.InsufficientPrivilege):
        app_connection.execute("DELETE FROM audit_auditentry")


def test_a_superuser_is_refused_as_the_app_role(db):
    with pytest.raises(RolesError, match="superuser"):
        roles_apply(connection, owner=OWNER, app=connection.settings_dict["USER"])


def test_a_role_name_that_is_not_plain_is_refused(db):
    with pytest.raises(RolesError, match="plain role name"):
        roles_apply(connection, owner=OWNER, app='app"; DROP TABLE x; --')
