"""The database-level guard that makes the audit tables append-only.

Installed by migrations. Tests that must empty the database (live-server browser tests)
lift it for the flush and put it back; so would an operator archiving entries past retention.
On PostgreSQL the guard holds against the application itself only if the application's role
does not own these tables (see `divert db roles` and docs/database.md).
"""

# The entries and the signed checkpoints of the chain.
TABLES = ("audit_auditentry", "audit_auditcheckpoint")

_REFUSE = "the audit trail is append-only"


def _sqlite_install(table: str) -> list[str]:
    return [
        f"""CREATE TRIGGER IF NOT EXISTS {table}_no_{event.lower()} BEFORE {event} ON {table}
            BEGIN SELECT RAISE(ABORT, '{_REFUSE}'); END"""
        for event in ("UPDATE", "DELETE")
    ]


def _sqlite_remove(table: str) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {table}_no_{event}" for event in ("update", "delete")]


# One refusing function serves every table; its name predates the checkpoint table.
_PG_FUNCTION = f"""CREATE OR REPLACE FUNCTION audit_auditentry_refuse() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION '{_REFUSE}'; END $$ LANGUAGE plpgsql"""


def _postgresql_install(table: str) -> list[str]:
    return [
        _PG_FUNCTION,
        f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
        f"""CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE OR TRUNCATE
            ON {table} FOR EACH STATEMENT EXECUTE FUNCTION audit_auditentry_refuse()""",
    ]


def _postgresql_remove(table: str) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}"]


_INSTALL = {"sqlite": _sqlite_install, "postgresql": _postgresql_install}
_REMOVE = {"sqlite": _sqlite_remove, "postgresql": _postgresql_remove}


def _execute(connection, statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _existing(connection, tables) -> list[str]:
    present = set(connection.introspection.table_names())
    return [t for t in tables if t in present]


def install(connection, tables: tuple[str, ...] = TABLES) -> None:
    make = _INSTALL.get(connection.vendor)
    if make:
        _execute(connection, [sql for t in _existing(connection, tables) for sql in make(t)])


def remove(connection, tables: tuple[str, ...] = TABLES) -> None:
    make = _REMOVE.get(connection.vendor)
    if make:
        _execute(connection, [sql for t in _existing(connection, tables) for sql in make(t)])
        if connection.vendor == "postgresql" and set(tables) >= set(TABLES):
            _execute(connection, ["DROP FUNCTION IF EXISTS audit_auditentry_refuse()"])
