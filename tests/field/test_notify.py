"""The hand-off notice reaches the on-call case manager through each configured backend."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail
from django.test import override_settings

from divert.field.notify import Handoff, notify_handoff

HANDOFF = Handoff(
    referral_id=7,
    pathway="arrest_diversion",
    area="West",
    officer="Sam Okafor",
    officer_phone="206-555-0110",
    case_manager="Dana Reyes",
    case_manager_email="dana@example.org",
    target_minutes=30,
)


@pytest.fixture
def receiver():
    """A webhook receiver on 127.0.0.1 that keeps what it was sent."""
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hook", received
    server.shutdown()


def test_the_webhook_gets_the_handoff_without_the_persons_name(receiver):
    url, received = receiver
    with override_settings(DIVERT_NOTIFIERS=["webhook"], DIVERT_WEBHOOK_URL=url):
        assert notify_handoff(HANDOFF) == []
    [body] = received
    assert body["event"] == "handoff" and body["referral_id"] == 7
    assert "Call officer Sam Okafor at 206-555-0110" in body["text"]


@override_settings(
    DIVERT_NOTIFIERS=["email"], EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"
)
def test_the_email_goes_to_the_case_manager():
    notify_handoff(HANDOFF)
    [message] = mail.outbox
    assert message.to == ["dana@example.org"] and "#7" in message.subject


def test_a_failing_backend_is_reported_and_does_not_stop_the_others(capsys):
    with override_settings(
        DIVERT_NOTIFIERS=["webhook", "console"], DIVERT_WEBHOOK_URL="http://127.0.0.1:9/none"
    ):
        assert notify_handoff(HANDOFF) == ["webhook"]
    assert "referral #7" in capsys.readouterr().out
