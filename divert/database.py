"""The database connection, from DATABASE_URL and the DIVERT_DB_* variables.

PostgreSQL gets psycopg's connection pool by default (one small pool per server process):
opening a connection per request halves the throughput of a busy site. With the pool off,
connections persist for DIVERT_DB_CONN_MAX_AGE seconds instead. Either way a connection is
checked before a request uses it, so one the server dropped (a restart, a failover) is
replaced instead of failing the request. SQLite is unchanged: a connection per request.

Every value is checked when divert starts; a bad one stops it with a message naming the
variable, rather than surfacing later as a stuck or failing request.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

# Defaults; docs/configuration.md says what each variable means.
DEFAULTS = {
    "DIVERT_DB_POOL": "on",
    "DIVERT_DB_POOL_MIN_SIZE": "1",
    "DIVERT_DB_POOL_MAX_SIZE": "4",
    "DIVERT_DB_POOL_TIMEOUT": "5",
    "DIVERT_DB_CONN_MAX_AGE": "300",
    "DIVERT_DB_CONNECT_TIMEOUT": "5",
}


def _get(env: Mapping[str, str], name: str) -> str:
    return env.get(name, DEFAULTS[name]).strip()


def env_switch(env: Mapping[str, str], name: str) -> bool:
    value = _get(env, name).lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be on or off, not {value!r}")


def env_count(env: Mapping[str, str], name: str, *, minimum: int) -> int:
    value = _get(env, name)
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None
    if number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}")
    return number


def env_seconds(env: Mapping[str, str], name: str, *, minimum: float) -> float:
    value = _get(env, name)
    try:
        seconds = float(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number of seconds, not {value!r}") from None
    if not math.isfinite(seconds) or seconds < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum:g} seconds, not {value!r}")
    return seconds


def database_config(url: str, env: Mapping[str, str]) -> dict:
    """Django's DATABASES["default"] for `url`, tuned from the DIVERT_DB_* variables in `env`."""
    try:
        db = dj_database_url.parse(url)
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL cannot be read: {exc}") from None
    engine = db["ENGINE"]
    if engine == "django.db.backends.sqlite3":
        # IMMEDIATE serialises writers up front, so the audit hash chain cannot fork.
        # WAL lets readers carry on while one writer commits (several gunicorn workers).
        db["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    elif engine == "django.db.backends.postgresql":
        db["OPTIONS"] = {
            **db.get("OPTIONS", {}),
            "connect_timeout": env_count(env, "DIVERT_DB_CONNECT_TIMEOUT", minimum=1),
        }
        # Checked before use: with the pool, on every checkout; without it, once a request.
        db["CONN_HEALTH_CHECKS"] = True
        if env_switch(env, "DIVERT_DB_POOL"):
            low = env_count(env, "DIVERT_DB_POOL_MIN_SIZE", minimum=0)
            high = env_count(env, "DIVERT_DB_POOL_MAX_SIZE", minimum=1)
            if high < low:
                raise ImproperlyConfigured(
                    f"DIVERT_DB_POOL_MAX_SIZE ({high}) must not be below "
                    f"DIVERT_DB_POOL_MIN_SIZE ({low})"
                )
            db["OPTIONS"]["pool"] = {
                "min_size": low,
                "max_size": high,
                "timeout": env_seconds(env, "DIVERT_DB_POOL_TIMEOUT", minimum=0.1),
            }
            db["CONN_MAX_AGE"] = 0  # the pool keeps connections; Django must not as well
        else:
            db["CONN_MAX_AGE"] = env_count(env, "DIVERT_DB_CONN_MAX_AGE", minimum=0)
    # The same database, with each query counted and timed for /metrics.
    db["ENGINE"] = _INSTRUMENTED.get(engine, engine)
    return db


_INSTRUMENTED = {
    "django.db.backends.sqlite3": "django_prometheus.db.backends.sqlite3",
    "django.db.backends.postgresql": "django_prometheus.db.backends.postgresql",
}
