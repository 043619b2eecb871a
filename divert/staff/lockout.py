"""Log-in lockout (django-axes): per username and address, and per address across usernames.

Axes compares one failure count with one limit. A shared address (a precinct behind one NAT)
should not be locked after the five failures that lock one account, so the address count has
its own, higher limit: reaching it reports the account limit to axes.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from django.conf import settings
from django.db.models import Sum


def _failures(attempts) -> int:
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


class LockoutHandler(AxesDatabaseHandler):
    """Expects AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        pair, *address = self.get_user_attempts(request, credentials)
        failures = _failures(pair)
        if address and _failures(address[0]) >= settings.DIVERT_LOCKOUT_ADDRESS_FAILURES:
            failures = max(failures, get_failure_limit(request, credentials))
        return failures

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        # A good password clears that account's failures only, not its address's: an attacker
        # who holds one account cannot wipe the count of a password spray.
        pair = self.filter_user_attempts(request, credentials)[0]
        count, _ = pair.delete()
        return count
