"""A site's hand-off webhooks: signed, after commit, a link and a time only, failures logged."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from divert.field.webhooks import SIGNATURE_HEADER, TIMESTAMP_HEADER, signature
from divert.jurisdictions.models import HandoffWebhook
from tests.casework.helpers import hand_off


@pytest.fixture
def receiver():
    received: list[tuple[dict, bytes]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's name
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((dict(self.headers), body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hook", received
    server.shutdown()


def test_a_hand_off_is_posted_signed_after_commit_with_no_person_detail(
    site,
    seattle,
    on_call,
    receiver,
    django_capture_on_commit_callbacks,
):
    url, received = receiver
    HandoffWebhook.objects.create(jurisdiction=site["site"], url=url, secret="s3cret")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        referral = hand_off(site, "Nadia")
    assert received == []  # nothing leaves before the referral is committed
    for callback in callbacks:
        callback()
    [(headers, body)] = received
    payload = json.loads(body)
    assert set(payload) == {"event", "link", "handoff_at"}
    assert payload["event"] == "handoff" and payload["link"].endswith("/inbox/")
    assert payload["handoff_at"] == referral.referred_at.isoformat()
    assert "Nadia" not in body.decode() and "Arrival" not in body.decode()
    expected = "sha256=" + signature("s3cret", headers[TIMESTAMP_HEADER], body)
    assert headers[SIGNATURE_HEADER] == expected


def test_a_failing_hook_is_logged_and_the_referral_stands(
    site,
    seattle,
    on_call,
    receiver,
    django_capture_on_commit_callbacks,
    caplog,
):
    url, received = receiver
    HandoffWebhook.objects.create(jurisdiction=site["site"], url="http://127.0.0.1:9/", secret="x")
    HandoffWebhook.objects.create(jurisdiction=site["site"], url=url, secret="y")
    HandoffWebhook.objects.create(jurisdiction=site["site"], url=url, secret="z", active=False)
    with django_capture_on_commit_callbacks(execute=True):
        referral = hand_off(site, "Nadia")
    assert referral.pk and referral.enrollment.pk
    assert len(received) == 1  # the working, active hook still got it
    assert "webhook" in caplog.text and "failed" in caplog.text


def test_another_sites_hooks_hear_nothing(
    site, other_site, seattle, on_call, receiver, django_capture_on_commit_callbacks
):
    url, received = receiver
    HandoffWebhook.objects.create(jurisdiction=other_site["site"], url=url, secret="s")
    with django_capture_on_commit_callbacks(execute=True):
        hand_off(site, "Nadia")
    assert received == []
