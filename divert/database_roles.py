"""PostgreSQL roles that keep the audit guard out of the application's reach.

The application connects as an *app* role that may read and write the operational tables but
only read and append to the audit tables. A separate *owner* role owns every table and runs the
migrations. Only an owner (or a superuser) can disable, drop or replace a table's triggers, so
the append-only guard holds against the running application, and TRUNCATE, UPDATE and DELETE
on the audit tables are not granted to it at all.

`roles_apply` is idempotent: run it once as a superuser, and again after each migration.
"""

import re
from typing import Any

from divert.audit.guard import TABLES as AUDIT_TABLES

_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
# The app may read which migrations ran, not record new ones.
_READ_ONLY = (*AUDIT_TABLES, "django_migrations")


class RolesError(Exception):
    """The roles cannot be set up as asked (bad name, wrong database, a superuser role)."""


def _checked(name: str) -> str:
    if not _NAME.match(name):
        raise RolesError(f"{name!r} is not a plain role name (lower case, digits, underscores)")
    return name


def roles_apply(
    connection: Any,
    *,
    owner: str,
    app: str,
    owner_password: str | None = None,
    app_password: str | None = None,
) -> list[str]:
    """Create the roles if missing, hand the tables to `owner`, grant `app` what it needs.

    Returns the statements run, for the operator to read. Passwords are sent, never returned.
    """
    if connection.vendor != "postgresql":
        raise RolesError("separate database roles are for PostgreSQL; SQLite has no roles")
    owner, app = _checked(owner), _checked(app)
    if owner == app:
        raise RolesError("the owner and the app must be different roles")
    q = connection.ops.quote_name
    database = q(connection.settings_dict["NAME"])
    done: list[str] = []

    with connection.cursor() as cursor:

        def run(sql: str, params: list | None = None, shown: str | None = None) -> None:
            cursor.execute(sql, params)
            done.append(shown or sql)

        for role, password in ((owner, owner_password), (app, app_password)):
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [role])
            found = cursor.fetchone()
            if found is None:
                run(f"CREATE ROLE {q(role)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE")
            elif found[0]:
                raise RolesError(f"{role} is a superuser; it could lift the audit guard")
            if password:
                run(
                    f"ALTER ROLE {q(role)} PASSWORD %s",
                    [password],
                    f"ALTER ROLE {q(role)} PASSWORD '…'",
                )

        run(f"GRANT CONNECT ON DATABASE {database} TO {q(owner)}, {q(app)}")
        run(f"REVOKE CREATE ON SCHEMA public FROM PUBLIC, {q(app)}")
        run(f"GRANT USAGE, CREATE ON SCHEMA public TO {q(owner)}")
        run(f"GRANT USAGE ON SCHEMA public TO {q(app)}")

        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tableowner <> %s "
            "ORDER BY tablename",
            [owner],
        )
        for (table,) in cursor.fetchall():
            run(f"ALTER TABLE {q(table)} OWNER TO {q(owner)}")  # its sequences follow it
        cursor.execute(
            "SELECT p.oid::regprocedure::text FROM pg_proc p "
            "JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> %s",
            [owner],
        )
        for (function,) in cursor.fetchall():
            run(f"ALTER FUNCTION {function} OWNER TO {q(owner)}")

        run(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {q(app)}")
        run(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {q(app)}")
        run(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {q(app)}")
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename = ANY(%s)",
            [list(_READ_ONLY)],
        )
        present = {table for (table,) in cursor.fetchall()}
        audit = [q(t) for t in AUDIT_TABLES if t in present]
        if audit:
            run(f"REVOKE UPDATE, DELETE ON {', '.join(audit)} FROM {q(app)}")
        if "django_migrations" in present:
            run(f"REVOKE INSERT, UPDATE, DELETE ON django_migrations FROM {q(app)}")
        # Tables the owner creates later (new migrations) are usable by the app at once;
        # re-run this afterwards so that new audit tables lose UPDATE and DELETE again.
        run(
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {q(owner)} IN SCHEMA public "
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {q(app)}"
        )
        run(
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {q(owner)} IN SCHEMA public "
            f"GRANT USAGE, SELECT ON SEQUENCES TO {q(app)}"
        )
    return done
