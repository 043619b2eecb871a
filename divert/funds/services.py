"""Flexible funds: budget lines, spends and a supervisor's approval. Pages and the API call these."""

import datetime
import uuid
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum

from divert.access import Action, Kind, require
from divert.casework import once
from divert.casework.models import Enrollment
from divert.funds.models import FundBudget, FundRules, FundSpend
from divert.funds.receipts import receipt_content
from divert.jurisdictions.clock import site_today

TOO_MUCH = Decimal("1000000")  # no single spend or budget line is this large: a typo
COUNTED = (FundSpend.Status.APPROVED, FundSpend.Status.AWAITING)


def approval_over(jurisdiction_id: int) -> Decimal:
    rules = FundRules.objects.filter(jurisdiction_id=jurisdiction_id).first()
    return rules.approval_over if rules else FundRules._meta.get_field("approval_over").default


@transaction.atomic
def fund_rules_set(*, user: Any, approval_over: Any) -> FundRules:
    """Set the amount over which a spend in the user's site waits for a supervisor.

    Program managers and administrators set it (the `fund_rules` row of the access policy). A
    non-number, a negative or an absurd amount is refused naming `approval_over`; the same
    amount again changes nothing, so a double submit writes one history row.
    """
    require(user, Action.CHANGE, Kind.FUND_RULES)
    amount = _money(approval_over, "approval_over")
    field = FundRules._meta.get_field("approval_over")
    try:
        field.run_validators(amount)  # the model's own rule, which the admin applies too
    except ValidationError as exc:
        raise ValidationError({"approval_over": exc.messages[0]}) from None
    rules = (
        FundRules.objects.select_for_update().filter(jurisdiction_id=user.jurisdiction_id).first()
    )
    if rules is None:
        rules = FundRules(jurisdiction_id=user.jurisdiction_id)
    elif rules.approval_over == amount:
        return rules
    rules.approval_over = amount
    rules._change_reason = "approval amount set"
    rules.save()
    return rules


def spent_from(budget: FundBudget) -> Decimal:
    """Approved spends and those awaiting approval: both are money promised."""
    total = budget.spends.filter(status__in=COUNTED).aggregate(total=Sum("amount"))["total"]
    return total or Decimal("0")


def _money(value: Any, field: str) -> Decimal:
    try:
        amount = Decimal(str(value).strip()).quantize(Decimal("0.01"))
    except Exception:
        amount = None
    if amount is None or not amount.is_finite():
        raise ValidationError({field: "Give an amount such as 25.00."})
    if amount >= TOO_MUCH:
        raise ValidationError({field: "That amount is too large."})
    return amount


@transaction.atomic
def fund_budget_create(
    *,
    user: Any,
    category: str,
    label: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    amount: Any,
) -> FundBudget:
    """A budget line for the user's site: a category's amount for a period."""
    require(user, Action.CREATE, Kind.FUND_BUDGET)
    amount = _money(amount, "amount")
    if amount < 0:
        raise ValidationError({"amount": "A budget cannot be negative."})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": "The period must end on or after its start."})
    line = FundBudget(
        jurisdiction_id=user.jurisdiction_id,
        category=(category or "").strip().lower(),
        label=(label or "").strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        amount=amount,
    )
    line.full_clean(exclude=["jurisdiction"], validate_unique=False, validate_constraints=False)
    overlap = FundBudget.objects.filter(
        jurisdiction_id=user.jurisdiction_id,
        category=line.category,
        starts_on__lte=ends_on,
        ends_on__gte=starts_on,
    )
    if overlap.exists():
        raise ValidationError({"starts_on": "This category already has a budget for these dates."})
    try:
        with transaction.atomic():
            line.save()
    except IntegrityError:
        raise ValidationError(
            {"starts_on": "This category already has a budget line then."}
        ) from None
    return line


@transaction.atomic
def fund_spend_record(
    *,
    user: Any,
    enrollment: Enrollment,
    category: str,
    amount: Any,
    vendor: str,
    spent_on: datetime.date,
    purpose: str = "",
    receipt: Any = None,
    client_id: uuid.UUID | None = None,
) -> FundSpend:
    """Record a spend for a participant against the budget line for its category and date.

    Over the site's approval amount it waits for a supervisor, and a supervisor's own waits
    for another supervisor: nobody approves their own. A spend over what is left in the line, a negative amount or an
    unknown category is refused naming the field. `receipt` is an uploaded file or None: an
    empty, oversized or non-image file is refused as `receipt`. The same client_id twice makes
    one spend.
    """
    require(user, Action.CREATE, Kind.FUND_SPEND, enrollment)
    found = once.made_before(FundSpend, client_id, {"enrollment": enrollment})
    if found is not None:
        return found
    amount = _money(amount, "amount")
    if amount <= 0:
        raise ValidationError({"amount": "Give a positive amount."})
    today = site_today(enrollment.jurisdiction)
    if spent_on > today:
        raise ValidationError({"spent_on": "A spend cannot be dated in the future."})
    if spent_on < today - datetime.timedelta(days=366):
        raise ValidationError({"spent_on": "A spend more than a year old cannot be recorded."})
    vendor = (vendor or "").strip()
    if not vendor:
        raise ValidationError({"vendor": "Name the vendor."})
    # The line is locked, so two spends at once cannot both take the last of it.
    line = (
        FundBudget.objects.select_for_update()
        .filter(
            jurisdiction_id=enrollment.jurisdiction_id,
            category=(category or "").strip().lower(),
            starts_on__lte=spent_on,
            ends_on__gte=spent_on,
        )
        .first()
    )
    if line is None:
        known = sorted(
            FundBudget.objects.filter(
                jurisdiction_id=enrollment.jurisdiction_id,
                starts_on__lte=spent_on,
                ends_on__gte=spent_on,
            ).values_list("category", flat=True)
        )
        listed = ", ".join(known) if known else "none: ask the program manager"
        raise ValidationError({"category": f"Unknown category for that date (budgeted: {listed})."})
    left = line.amount - spent_from(line)
    if amount > left:
        raise ValidationError({"amount": f"Only {left} is left in {line.label} for this period."})
    data, kind = receipt_content(receipt) if receipt is not None else (None, "")
    waits = amount > approval_over(enrollment.jurisdiction_id)
    spend = FundSpend(
        jurisdiction_id=enrollment.jurisdiction_id,
        enrollment=enrollment,
        budget=line,
        amount=amount,
        vendor=vendor,
        spent_on=spent_on,
        purpose=(purpose or "").strip(),
        recorded_by=user,
        status=FundSpend.Status.AWAITING if waits else FundSpend.Status.APPROVED,
        approved_by=None if waits else user,
        approved_on=None if waits else today,
        receipt=data,
        receipt_type=kind,
        client_id=client_id,
    )
    spend.full_clean(
        exclude=["jurisdiction", "enrollment", "budget", "recorded_by", "approved_by"],
        validate_unique=False,
        validate_constraints=False,
    )
    return once.save_once(spend, {"enrollment": enrollment})


@transaction.atomic
def fund_spend_decide(*, user: Any, spend: FundSpend, approve: bool) -> FundSpend:
    """A supervisor approves or refuses a spend over the site's amount; never their own."""
    require(user, Action.CHANGE, Kind.FUND_SPEND, spend)
    spend = FundSpend.objects.select_for_update().get(pk=spend.pk)
    wanted = FundSpend.Status.APPROVED if approve else FundSpend.Status.REFUSED
    if spend.status == wanted and spend.approved_by_id == user.pk:
        return spend  # sent twice
    if spend.status != FundSpend.Status.AWAITING:
        raise ValidationError({"approve": "This spend is not awaiting approval."})
    if spend.recorded_by_id == user.pk:
        raise ValidationError({"approve": "Another supervisor approves your own spend."})
    spend.status, spend.approved_by = wanted, user
    spend.approved_on = site_today(spend.enrollment.jurisdiction)
    spend.save(update_fields=["status", "approved_by", "approved_on"])
    return spend
