"""Logs are JSON lines, and every line written for a request carries its id."""

import io
import json
import logging
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import Client

from divert.staff.roles import Role


@pytest.fixture
def log_lines():
    """What divert's configured console handler writes, one parsed JSON object a line."""
    root = logging.getLogger()
    console = next(h for h in root.handlers if h.name == "console")
    stream = io.StringIO()
    # A copy writing to memory: pytest may have swapped the console's own stream already.
    handler = logging.StreamHandler(stream)
    handler.setFormatter(console.formatter)
    for log_filter in console.filters:
        handler.addFilter(log_filter)
    root.addHandler(handler)

    def read() -> list[dict]:
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    yield read
    root.removeHandler(handler)


def test_each_request_is_logged_as_json_with_its_id(client, site, log_lines):
    client.force_login(site["users"][Role.OFFICER])
    response = client.get("/field/lookup/", {"q": "Robert Jones"})
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    (line,) = [x for x in log_lines() if x["logger"] == "divert.requests"]
    assert line["request_id"] == request_id
    assert line["level"] == "INFO"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/field/lookup/", 200)
    assert line["route"] == "officer-lookup"
    assert line["user_id"] == site["users"][Role.OFFICER].pk
    assert line["duration_ms"] > 0
    assert "time" in line
    # The query string carries a person's name; the log does not.
    assert "Robert" not in json.dumps(log_lines())


def test_a_failure_is_logged_with_the_id_of_the_request_it_failed(db, log_lines):
    client = Client(raise_request_exception=False)
    lost = OperationalError("server closed the connection unexpectedly")
    with mock.patch.object(connection, "ensure_connection", side_effect=lost):
        response = client.get("/healthz")
    assert response.status_code == 503
    lines = log_lines()
    error = next(x for x in lines if x["logger"] == "django.request")
    assert error["level"] == "ERROR"
    assert error["request_id"] == response["X-Request-ID"]
    assert "server closed the connection" in error["exc_info"]
    access = next(x for x in lines if x["logger"] == "divert.requests")
    assert (access["status"], access["request_id"]) == (503, response["X-Request-ID"])


def test_a_request_id_sent_by_a_proxy_is_kept_and_a_malformed_one_replaced(client, db, log_lines):
    sent = "6f1d2c3b4a5948372615f4e3d2c1b0a9"
    assert client.get("/readyz", HTTP_X_REQUEST_ID=sent)["X-Request-ID"] == sent
    forged = 'x" injected\n{"level": "CRITICAL"}'
    answer = client.get("/readyz", HTTP_X_REQUEST_ID=forged)["X-Request-ID"]
    assert answer != forged and len(answer) == 32


def test_lines_logged_outside_a_request_carry_no_id(client, db, log_lines):
    client.get("/healthz")
    logging.getLogger("divert.test").warning("after the request")
    line = next(x for x in log_lines() if x["logger"] == "divert.test")
    assert line["request_id"] is None
    assert line["message"] == "after the request"


def test_a_request_whose_session_cannot_be_read_is_still_logged(site, log_lines):
    client = Client(raise_request_exception=False)
    client.force_login(site["users"][Role.CASE_MANAGER])
    lost = OperationalError("terminating connection due to administrator command")
    with mock.patch("django.contrib.sessions.backends.db.SessionStore.load", side_effect=lost):
        response = client.get("/casework/")
    assert response.status_code == 503
    access = next(x for x in log_lines() if x["logger"] == "divert.requests")
    assert (access["status"], access["user_id"]) == (503, None)
    assert access["request_id"] == response["X-Request-ID"]
