"""The database-level guard that makes the audit table append-only.

Installed by a migration. Tests that must empty the database (live-server browser tests)
lift it for the flush and put it back; so would an operator archiving entries past retention.
"""

SQLITE_INSTALL = [
    """CREATE TRIGGER IF NOT EXISTS audit_auditentry_no_update BEFORE UPDATE ON audit_auditentry
       BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS audit_auditentry_no_delete BEFORE DELETE ON audit_auditentry
       BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END""",
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS audit_auditentry_no_update",
    "DROP TRIGGER IF EXISTS audit_auditentry_no_delete",
]
POSTGRESQL_INSTALL = [
    """CREATE OR REPLACE FUNCTION audit_auditentry_refuse() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'the audit trail is append-only'; END $$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS audit_auditentry_append_only ON audit_auditentry",
    """CREATE TRIGGER audit_auditentry_append_only BEFORE UPDATE OR DELETE OR TRUNCATE
       ON audit_auditentry FOR EACH STATEMENT EXECUTE FUNCTION audit_auditentry_refuse()""",
]
POSTGRESQL_REMOVE = [
    "DROP TRIGGER IF EXISTS audit_auditentry_append_only ON audit_auditentry",
    "DROP FUNCTION IF EXISTS audit_auditentry_refuse()",
]

_INSTALL = {"sqlite": SQLITE_INSTALL, "postgresql": POSTGRESQL_INSTALL}
_REMOVE = {"sqlite": SQLITE_REMOVE, "postgresql": POSTGRESQL_REMOVE}


def _execute(connection, statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def install(connection) -> None:
    _execute(connection, _INSTALL.get(connection.vendor, []))


def remove(connection) -> None:
    _execute(connection, _REMOVE.get(connection.vendor, []))
