from typing import Any

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404

from divert.access import Action, Kind, require, visible
from divert.charges.models import ChargeHold
from divert.meetings.legal_words import withhold
from divert.staff.roles import ENFORCEMENT

S = ChargeHold.Status

# What the queue can be narrowed to; "open" (the default) is what still needs the prosecutor.
QUEUE_FILTERS = {
    "open": ("Needs a decision or still holding", [S.AWAITING_DECISION, S.HOLDING]),
    "awaiting_decision": ("Needs a decision", [S.AWAITING_DECISION]),
    "holding": ("Holding: intake pending", [S.HOLDING]),
    "intake_done": ("Intake completed", [S.INTAKE_DONE]),
    "decided": ("Filed or declined", [S.FILED, S.DECLINED]),
    "all": ("All holds", None),
}


def charge_hold_queue(*, user: Any, show: str = "all", search: str = "") -> QuerySet[ChargeHold]:
    """Holds needing a decision first, then those holding by soonest due, then the rest.

    Carries intake status and deadline only, never case content.
    """
    require(user, Action.VIEW, Kind.CHARGE_HOLD)  # a list is a read too: audited
    holds = ChargeHold.objects.select_related("referral__enrollment", "referral__person")
    holds = visible(user, Kind.CHARGE_HOLD, holds)
    statuses = QUEUE_FILTERS.get(show, QUEUE_FILTERS["all"])[1]
    if statuses is not None:
        holds = holds.filter(status__in=statuses)
    for word in search.split()[:4]:
        holds = holds.filter(
            Q(referral__person__first_name__icontains=word)
            | Q(referral__person__last_name__icontains=word)
        )
    urgency = Case(
        When(status=S.AWAITING_DECISION, then=Value(0)),
        When(status=S.HOLDING, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return holds.annotate(urgency=urgency).order_by("urgency", "due_on", "pk")


def charge_hold_get(*, user: Any, hold_id: int, action: Action = Action.VIEW) -> ChargeHold:
    hold = get_object_or_404(
        ChargeHold.objects.select_related("referral__person", "referral__enrollment"), pk=hold_id
    )
    require(user, action, Kind.CHARGE_HOLD, hold)
    return hold


def hold_as_read(user: Any, hold: ChargeHold) -> ChargeHold:
    """The hold as `user` may read it: to an enforcement reader a decision reason that fails
    the health-word check now, whenever it was written, is withheld. For reading, never for
    saving."""
    if user.role_set() & ENFORCEMENT:
        withhold([hold], ("decision_reason",), lambda h: h.jurisdiction.slug)
    return hold
