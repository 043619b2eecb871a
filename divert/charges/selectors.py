from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from divert.access import Action, Kind, require, visible
from divert.charges.models import ChargeHold


def charge_hold_queue(*, user: Any) -> QuerySet[ChargeHold]:
    """Holds by due date. Carries intake status and deadline only, never case content."""
    require(user, Action.VIEW, Kind.CHARGE_HOLD)  # a list is a read too: audited
    holds = ChargeHold.objects.select_related("referral__enrollment", "referral__person")
    return visible(user, Kind.CHARGE_HOLD, holds).order_by("due_on")


def charge_hold_get(*, user: Any, hold_id: int) -> ChargeHold:
    hold = get_object_or_404(ChargeHold, pk=hold_id)
    require(user, Action.VIEW, Kind.CHARGE_HOLD, hold)
    return hold
