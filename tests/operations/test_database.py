"""Database connections: the pool on PostgreSQL, checked settings, SQLite unchanged."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from divert.database import database_config

PG = "postgresql://divert:secret@db.internal:5432/divert"
REPO = Path(__file__).resolve().parents[2]


def test_postgresql_gets_a_checked_pool_by_default():
    db = database_config(PG, {})
    assert db["OPTIONS"]["pool"] == {"min_size": 1, "max_size": 4, "timeout": 5.0}
    assert db["OPTIONS"]["connect_timeout"] == 5
    assert db["CONN_HEALTH_CHECKS"] is True
    assert db["CONN_MAX_AGE"] == 0  # Django refuses persistent connections with a pool
    assert db["ENGINE"] == "django_prometheus.db.backends.postgresql"
    assert (db["NAME"], db["HOST"], db["USER"]) == ("divert", "db.internal", "divert")


def test_pool_settings_come_from_the_environment():
    env = {
        "DIVERT_DB_POOL_MIN_SIZE": "2",
        "DIVERT_DB_POOL_MAX_SIZE": "10",
        "DIVERT_DB_POOL_TIMEOUT": "2.5",
        "DIVERT_DB_CONNECT_TIMEOUT": "3",
    }
    db = database_config(PG, env)
    assert db["OPTIONS"]["pool"] == {"min_size": 2, "max_size": 10, "timeout": 2.5}
    assert db["OPTIONS"]["connect_timeout"] == 3


def test_without_the_pool_connections_persist_and_are_checked():
    db = database_config(PG, {"DIVERT_DB_POOL": "off", "DIVERT_DB_CONN_MAX_AGE": "120"})
    assert "pool" not in db["OPTIONS"]
    assert db["CONN_MAX_AGE"] == 120
    assert db["CONN_HEALTH_CHECKS"] is True


def test_sqlite_is_unchanged():
    db = database_config("sqlite:////tmp/x.sqlite3", {"DIVERT_DB_POOL_MAX_SIZE": "-3"})
    assert "pool" not in db["OPTIONS"]
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]
    assert db["CONN_MAX_AGE"] == 0
    assert db["ENGINE"] == "django_prometheus.db.backends.sqlite3"


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DIVERT_DB_POOL_MAX_SIZE", "-1", "DIVERT_DB_POOL_MAX_SIZE must be at least 1, not -1"),
        ("DIVERT_DB_POOL_MAX_SIZE", "0", "DIVERT_DB_POOL_MAX_SIZE must be at least 1, not 0"),
        ("DIVERT_DB_POOL_MIN_SIZE", "-2", "DIVERT_DB_POOL_MIN_SIZE must be at least 0, not -2"),
        ("DIVERT_DB_POOL_MIN_SIZE", "two", "DIVERT_DB_POOL_MIN_SIZE must be a whole number"),
        ("DIVERT_DB_POOL_TIMEOUT", "ten", "DIVERT_DB_POOL_TIMEOUT must be a number of seconds"),
        ("DIVERT_DB_POOL_TIMEOUT", "", "DIVERT_DB_POOL_TIMEOUT must be a number of seconds"),
        ("DIVERT_DB_POOL_TIMEOUT", "-1", "DIVERT_DB_POOL_TIMEOUT must be at least 0.1 seconds"),
        ("DIVERT_DB_POOL_TIMEOUT", "nan", "DIVERT_DB_POOL_TIMEOUT must be at least 0.1 seconds"),
        ("DIVERT_DB_POOL", "maybe", "DIVERT_DB_POOL must be on or off, not 'maybe'"),
        ("DIVERT_DB_CONNECT_TIMEOUT", "0", "DIVERT_DB_CONNECT_TIMEOUT must be at least 1"),
    ],
)
def test_a_bad_value_names_the_variable(name, value, message):
    with pytest.raises(ImproperlyConfigured) as caught:
        database_config(PG, {name: value})
    assert message in str(caught.value)


def test_a_bad_max_age_is_refused_only_where_it_is_used():
    env = {"DIVERT_DB_CONN_MAX_AGE": "forever"}
    database_config(PG, env)  # the pool is on: the variable is not read
    with pytest.raises(ImproperlyConfigured, match="DIVERT_DB_CONN_MAX_AGE must be a whole"):
        database_config(PG, {**env, "DIVERT_DB_POOL": "off"})


def test_a_pool_smaller_than_its_minimum_is_refused():
    env = {"DIVERT_DB_POOL_MIN_SIZE": "5", "DIVERT_DB_POOL_MAX_SIZE": "2"}
    with pytest.raises(ImproperlyConfigured, match=r"DIVERT_DB_POOL_MAX_SIZE \(2\) must not be"):
        database_config(PG, env)


def test_divert_stops_at_start_naming_the_bad_variable():
    env = {
        **os.environ,
        "DATABASE_URL": PG,
        "DIVERT_DB_POOL_TIMEOUT": "soon",
        "SECRET_KEY": "x" * 50,
        "DJANGO_SETTINGS_MODULE": "divert.settings",
        "COLUMNS": "200",
    }
    env.pop("DIVERT_TESTING", None)
    done = subprocess.run(  # noqa: S603
        [Path(sys.executable).parent / "divert", "check"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "configuration error" in done.stderr
    assert "DIVERT_DB_POOL_TIMEOUT must be a number of seconds, not 'soon'" in done.stderr


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the pool is for PostgreSQL")
def test_a_connection_the_server_dropped_is_replaced_before_use(db):
    import psycopg

    pool = connection.pool
    assert pool is not None
    conn = pool.getconn()
    dropped = conn.info.backend_pid
    pool.putconn(conn)
    params = connection.get_connection_params()
    keep = ("dbname", "user", "password", "host", "port")
    with psycopg.connect(**{k: v for k, v in params.items() if k in keep}) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [dropped])
        other.commit()
    conn = pool.getconn()  # the pool's check finds the dead one and opens another
    try:
        assert conn.execute("SELECT pg_backend_pid()").fetchone()[0] != dropped
    finally:
        pool.putconn(conn)
