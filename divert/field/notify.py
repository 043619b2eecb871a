"""Telling the on-call case manager about a hand-off. Pluggable: console, email, webhook.

DIVERT_NOTIFIERS lists the backends to use (default "console"). Messages carry no case
content and no name: just enough to call the officer and open divert, so a pager or mail
system never holds participant data.
"""

import json
import logging
import urllib.request
from dataclasses import asdict, dataclass

from django.conf import settings
from django.core.mail import send_mail

log = logging.getLogger("divert.notify")


@dataclass(frozen=True)
class Handoff:
    referral_id: int
    pathway: str
    area: str
    officer: str
    officer_phone: str
    case_manager: str
    case_manager_email: str
    target_minutes: int

    def text(self) -> str:
        return (
            f"New LEAD {self.pathway.replace('_', ' ')} referral #{self.referral_id}"
            f"{' in ' + self.area if self.area else ''}. Call officer {self.officer}"
            f"{' at ' + self.officer_phone if self.officer_phone else ''}; hand-off target "
            f"{self.target_minutes} minutes."
        )


def _console(handoff: Handoff) -> None:
    print(f"[divert notify → {handoff.case_manager}] {handoff.text()}", flush=True)


def _email(handoff: Handoff) -> None:
    if handoff.case_manager_email:
        send_mail(
            subject=f"LEAD hand-off #{handoff.referral_id}",
            message=handoff.text(),
            from_email=None,
            recipient_list=[handoff.case_manager_email],
        )


def _webhook(handoff: Handoff) -> None:
    url = settings.DIVERT_WEBHOOK_URL
    if not url:
        return
    body = json.dumps({"event": "handoff", **asdict(handoff), "text": handoff.text()}).encode()
    request = urllib.request.Request(  # noqa: S310  (an operator-configured URL)
        url, data=body, headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=5):  # noqa: S310
        pass


BACKENDS = {"console": _console, "email": _email, "webhook": _webhook}


def notify_handoff(handoff: Handoff) -> list[str]:
    """Send through every configured backend; one failing never stops the others.

    Returns the backends that failed, so the caller can show it.
    """
    failed = []
    for name in settings.DIVERT_NOTIFIERS:
        try:
            BACKENDS[name](handoff)
        except Exception:  # a pager outage must not lose the referral
            log.exception("notifier %s failed for referral %s", name, handoff.referral_id)
            failed.append(name)
    return failed
