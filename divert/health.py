"""The checks behind `divert check`."""

from django.conf import settings
from django.core import checks
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

Row = tuple[str, bool, str]


def _database() -> list[Row]:
    engine = connection.vendor
    try:
        connection.ensure_connection()
    except Exception as exc:  # any driver error means the same thing here
        return [("database", False, f"{engine}: cannot connect ({exc})")]
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    rows = [("database", True, f"{engine}: {connection.settings_dict['NAME']}")]
    rows.append(("migrations", not pending, f"{len(pending)} pending" if pending else "up to date"))
    return rows


def health_report() -> tuple[list[Row], bool]:
    rows: list[Row] = [
        ("DEBUG", True, "on (demo only)" if settings.DEBUG else "off"),
        ("ALLOWED_HOSTS", bool(settings.ALLOWED_HOSTS), ", ".join(settings.ALLOWED_HOSTS)),
        ("SECRET_KEY", len(settings.SECRET_KEY) >= 40, f"{len(settings.SECRET_KEY)} characters"),
    ]
    rows += _database()
    problems = [m for m in checks.run_checks() if m.level >= checks.ERROR]
    rows.append(("django checks", not problems, "; ".join(str(m) for m in problems) or "none"))
    return rows, all(good for _, good, _ in rows)
