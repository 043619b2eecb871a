"""A site's webhooks for new hand-offs: a signed POST with a link and the time, nothing more.

The receiver (a team chat, a pager) is not a divert role, so it gets no name, no pathway and
no case: the link opens divert, which asks who is looking. Each request is signed with
HMAC-SHA256 under the hook's own secret over "<timestamp>.<body>", so the receiver can check
it came from divert and is fresh. Sent after the referral commits; a failure is logged and
never undoes the referral.
"""

import hashlib
import hmac
import json
import logging
import time
import urllib.request
from typing import Any

from django.conf import settings

log = logging.getLogger("divert.notify")

SIGNATURE_HEADER = "X-Divert-Signature"
TIMESTAMP_HEADER = "X-Divert-Timestamp"
TIMEOUT_SECONDS = 5


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """The hex HMAC-SHA256 of "<timestamp>.<body>" under `secret`.

    >>> signature("k", "1700000000", b"{}")[:16]
    'c6ef4734033cee23'
    """
    message = timestamp.encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def handoff_body(*, referred_at: Any) -> bytes:
    link = settings.DIVERT_BASE_URL.rstrip("/") + "/inbox/"
    payload = {"event": "handoff", "link": link, "handoff_at": referred_at.isoformat()}
    return json.dumps(payload, sort_keys=True).encode()


def _post(url: str, secret: str, body: bytes) -> None:
    timestamp = str(int(time.time()))
    request = urllib.request.Request(  # noqa: S310  (an address the site's administrator set)
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: "sha256=" + signature(secret, timestamp, body),
        },
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS):  # noqa: S310
        pass


def handoff_webhooks_send(*, jurisdiction_id: int, referral_id: int, referred_at: Any) -> list[int]:
    """POST to every active hook of the site; returns the ids of those that failed."""
    from divert.jurisdictions.models import HandoffWebhook

    body = handoff_body(referred_at=referred_at)
    failed = []
    for hook in HandoffWebhook.objects.filter(jurisdiction_id=jurisdiction_id, active=True):
        try:
            _post(hook.url, hook.secret, body)
        except Exception:  # a receiver's outage must not lose the referral
            log.exception("webhook %s failed for referral %s", hook.pk, referral_id)
            failed.append(hook.pk)
    return failed
