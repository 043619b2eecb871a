"""Is divert well: liveness (/healthz), readiness (/readyz), `divert check`, and the 503 page.

/healthz says the process answers and can get a database connection; /readyz says it can
serve: the database answers a query and every migration is applied. A request that fails
because the database went away answers 503 with Retry-After, not 500, so a load balancer
or an officer's phone knows to try again; the next request gets a fresh connection.
"""

import logging
import sys
import time

from django.conf import settings
from django.core import checks
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.defaults import server_error as default_server_error

logger = logging.getLogger(__name__)

Row = tuple[str, bool, str]

RETRY_AFTER_SECONDS = 5
# Migrations can only move forward while a process runs (new code means a new process), so
# "all applied" is worth remembering for a while: readiness probes come every few seconds.
_MIGRATIONS_OK_FOR = 60.0
_migrations_ok_at: float | None = None


def database_reachable() -> bool:
    """Whether the database answers a query now."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("database unreachable", exc_info=True)
        return False
    return True


def pending_migrations() -> list[str]:
    """Migrations not yet applied to the database, as "app.name"."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{m.app_label}.{m.name}" for m, _backwards in plan]


def _migrations_applied() -> tuple[bool, str]:
    global _migrations_ok_at
    now = time.monotonic()
    if _migrations_ok_at is not None and now - _migrations_ok_at < _MIGRATIONS_OK_FOR:
        return True, "all applied"
    pending = pending_migrations()
    if pending:
        _migrations_ok_at = None
        return False, f"{len(pending)} pending"
    _migrations_ok_at = now
    return True, "all applied"


@never_cache
def healthz(request):
    """Liveness: the process answers and holds a database connection (503 if it cannot)."""
    connection.ensure_connection()
    return HttpResponse("ok", content_type="text/plain")


@never_cache
def readyz(request):
    """Readiness: the database answers and no migration is pending. 200 or 503, as JSON."""
    checks_: dict[str, dict] = {}
    if database_reachable():
        checks_["database"] = {"ok": True, "detail": connection.vendor}
        ok, detail = _migrations_applied()
        checks_["migrations"] = {"ok": ok, "detail": detail}
    else:
        # No details of the failure here: the address is public; the log has them.
        checks_["database"] = {"ok": False, "detail": "unreachable"}
        checks_["migrations"] = {"ok": False, "detail": "unknown: no database"}
    ready = all(c["ok"] for c in checks_.values())
    response = JsonResponse(
        {"status": "ready" if ready else "not ready", "checks": checks_},
        status=200 if ready else 503,
    )
    if not ready:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request, *args, **kwargs):
    """handler500: a lost database is 503 (try again); anything else is Django's 500 page."""
    exc = sys.exc_info()[1]
    if not isinstance(exc, OperationalError | InterfaceError):
        return default_server_error(request, *args, **kwargs)
    message = "The database is unavailable. Try again in a moment."
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=503)
    else:
        # Plain HTML: templates and context processors might need the database.
        response = HttpResponse(
            f"<!doctype html><title>Try again</title><h1>Try again</h1><p>{message}</p>",
            status=503,
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _database() -> list[Row]:
    engine = connection.vendor
    try:
        connection.ensure_connection()
    except Exception as exc:  # any driver error means the same thing here
        return [("database", False, f"{engine}: cannot connect ({exc})")]
    pending = pending_migrations()
    rows = [("database", True, f"{engine}: {connection.settings_dict['NAME']}")]
    rows.append(("connections", True, _connections()))
    rows.append(("migrations", not pending, f"{len(pending)} pending" if pending else "up to date"))
    return rows


def _connections() -> str:
    db = connection.settings_dict
    pool = db["OPTIONS"].get("pool")
    if pool:
        return (
            f"pool of {pool['min_size']}-{pool['max_size']} per process, "
            f"waits up to {pool['timeout']:g} s"
        )
    if db["CONN_MAX_AGE"]:
        return f"kept for {db['CONN_MAX_AGE']} s, checked before use"
    return "one per request"


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
