from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.shortcuts import get_object_or_404

from divert.access import Action, Kind, require, visible
from divert.casework.models import Enrollment
from divert.funds.models import FundBudget, FundSpend
from divert.funds.services import COUNTED, approval_over


def _cents(value: Decimal | None) -> Decimal:
    # SQLite sums decimals without their scale: the same figures on both databases.
    return Decimal(value or 0).quantize(Decimal("0.01"))


def fund_budget_balances(*, user: Any) -> list[FundBudget]:
    """Budget lines, newest period first, each with `spent`, `awaiting` and `left`."""
    require(user, Action.VIEW, Kind.FUND_BUDGET)
    lines = visible(user, Kind.FUND_BUDGET, FundBudget.objects.all()).annotate(
        approved=Sum("spends__amount", filter=Q(spends__status=FundSpend.Status.APPROVED)),
        waiting=Sum("spends__amount", filter=Q(spends__status=FundSpend.Status.AWAITING)),
    )
    out = []
    for line in lines:
        line.spent = _cents(line.approved)
        line.awaiting = _cents(line.waiting)
        line.left = _cents(line.amount - line.spent - line.awaiting)
        out.append(line)
    return out


def fund_spend_list(*, user: Any, enrollment_id: int) -> tuple[Enrollment, QuerySet[FundSpend]]:
    enrollment = get_object_or_404(Enrollment.objects.select_related("person"), pk=enrollment_id)
    require(user, Action.VIEW, Kind.FUND_SPEND, enrollment)
    return enrollment, enrollment.spends.select_related("budget", "recorded_by", "approved_by")


def fund_spend_get(*, user: Any, spend_id: int, action: Action = Action.VIEW) -> FundSpend:
    spend = get_object_or_404(FundSpend.objects.select_related("budget", "enrollment"), pk=spend_id)
    require(user, action, Kind.FUND_SPEND, spend)
    return spend


def fund_spends_awaiting(*, user: Any) -> QuerySet[FundSpend]:
    require(user, Action.VIEW, Kind.FUND_SPEND)
    spends = visible(user, Kind.FUND_SPEND, FundSpend.objects.all())
    return spends.filter(status=FundSpend.Status.AWAITING).select_related(
        "budget", "recorded_by", "enrollment"
    )


def fund_spend_by_participant_month(*, user: Any) -> list[dict]:
    """Spend (approved and awaiting) per participant per month, by enrollment number: no names."""
    require(user, Action.VIEW, Kind.FUND_SPEND)
    spends = visible(user, Kind.FUND_SPEND, FundSpend.objects.filter(status__in=COUNTED))
    rows = list(
        spends.annotate(month=TruncMonth("spent_on"))
        .values("enrollment_id", "month")
        .annotate(total=Sum("amount"), spends=Count("pk"))
        .order_by("-month", "enrollment_id")
    )
    for row in rows:
        row["total"] = _cents(row["total"])
    return rows


def fund_rules_get(*, user: Any) -> Decimal:
    """The amount over which a spend in the user's site waits for a supervisor."""
    require(user, Action.VIEW, Kind.FUND_RULES)
    return approval_over(user.jurisdiction_id)
