"""Liveness, readiness, and 503 (not 500) when the database goes away."""

from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client

from divert import health
from tests.field.conftest import POSSESSION


@pytest.fixture(autouse=True)
def _forget_migrations_check(monkeypatch):
    monkeypatch.setattr(health, "_migrations_ok_at", None)


@pytest.fixture
def unguarded_client():
    """A client that gets the server's error page instead of the exception."""
    return Client(raise_request_exception=False)


def test_liveness_answers_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]


def test_readiness_reports_the_database_and_migrations(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "checks": {
            "database": {"ok": True, "detail": connection.vendor},
            "migrations": {"ok": True, "detail": "all applied"},
        },
    }


def test_readiness_reports_a_pending_migration(client, db):
    # As if the newest migration of one app had not been applied yet.
    newest = MigrationRecorder.Migration.objects.filter(app="field").order_by("-id").first()
    newest.delete()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    body = response.json()
    assert body["status"] == "not ready"
    assert body["checks"]["migrations"] == {"ok": False, "detail": "1 pending"}
    assert body["checks"]["database"]["ok"] is True


def test_readiness_reports_an_unreachable_database(client, db):
    refused = OperationalError('connection to server at "db.internal" failed: refused')
    with mock.patch.object(connection, "cursor", side_effect=refused):
        response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["database"] == {"ok": False, "detail": "unreachable"}
    assert body["checks"]["migrations"]["ok"] is False
    assert "db.internal" not in response.content.decode()  # the public answer names no host


def test_a_page_that_loses_its_database_answers_503(unguarded_client, db):
    lost = OperationalError("server closed the connection unexpectedly")
    with mock.patch.object(connection, "ensure_connection", side_effect=lost):
        response = unguarded_client.get("/healthz")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert b"Try again" in response.content


def test_the_api_answers_503_as_json_when_the_database_is_lost(unguarded_client, site):
    from divert.staff.roles import Role

    unguarded_client.force_login(site["users"][Role.OFFICER])
    lost = OperationalError("terminating connection due to administrator command")
    with mock.patch("divert.field.diversion.screening_run", side_effect=lost):
        response = unguarded_client.post(
            "/api/v1/screen", POSSESSION, content_type="application/json"
        )
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json() == {"detail": "The database is unavailable. Try again in a moment."}


def test_other_failures_are_still_a_plain_500(unguarded_client, site):
    from divert.staff.roles import Role

    unguarded_client.force_login(site["users"][Role.OFFICER])
    with mock.patch("divert.field.diversion.screening_run", side_effect=ValueError("bug")):
        response = unguarded_client.post(
            "/api/v1/screen", POSSESSION, content_type="application/json"
        )
    assert response.status_code == 500
    assert "Retry-After" not in response
