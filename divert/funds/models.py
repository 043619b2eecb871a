"""Flexible funds: a site's budget by period and category, and what case managers spend.

A category exists for a site when the site has a budget line for it in a period: a spend in
a category with no line for its date is refused as an unknown category.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from divert.casework.models import Enrollment
from divert.jurisdictions.models import Jurisdiction

MONEY = {"max_digits": 10, "decimal_places": 2}
# Above this, nothing would ever wait for a supervisor: a typo rather than a rule. The field's
# validators are the one rule the page, the API (divert.funds.services) and the admin apply.
APPROVAL_MOST = Decimal("10000.00")


class FundRules(models.Model):
    """The site's own rule: spends above this amount wait for a supervisor's approval."""

    jurisdiction = models.OneToOneField(
        Jurisdiction, on_delete=models.PROTECT, related_name="fund_rules"
    )
    approval_over = models.DecimalField(
        "supervisor approves spends over",
        default=Decimal("100.00"),
        validators=[
            MinValueValidator(Decimal("0"), "The approval amount cannot be negative."),
            MaxValueValidator(
                APPROVAL_MOST, f"The approval amount can be at most {APPROVAL_MOST}."
            ),
        ],
        **MONEY,
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "fund rules"


class FundBudget(models.Model):
    """One budget line: a category's amount for a period (inclusive dates, site-local)."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    category = models.SlugField("category", max_length=40)
    label = models.CharField(max_length=80)
    starts_on = models.DateField()
    ends_on = models.DateField()
    amount = models.DecimalField(validators=[MinValueValidator(Decimal("0"))], **MONEY)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on", "category"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="budget_ends_after"
            ),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="budget_not_negative"),
            models.UniqueConstraint(
                fields=["jurisdiction", "category", "starts_on"], name="one_budget_line_per_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.starts_on} to {self.ends_on})"


class FundSpend(models.Model):
    """Money spent for a participant: bus pass, ID fee, phone, a night in a motel."""

    class Status(models.TextChoices):
        APPROVED = "approved", "Approved"
        AWAITING = "awaiting", "Awaiting a supervisor"
        REFUSED = "refused", "Refused by a supervisor"

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    enrollment = models.ForeignKey(Enrollment, on_delete=models.PROTECT, related_name="spends")
    budget = models.ForeignKey(FundBudget, on_delete=models.PROTECT, related_name="spends")
    amount = models.DecimalField(**MONEY)
    vendor = models.CharField(max_length=120)
    spent_on = models.DateField()
    purpose = models.CharField("what for", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_on = models.DateField(null=True, blank=True)
    # The receipt's bytes, checked by content (JPEG, PNG or WebP), never by name.
    receipt = models.BinaryField(null=True, blank=True, editable=False)
    receipt_type = models.CharField(max_length=20, blank=True)
    client_id = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["receipt"])

    class Meta:
        ordering = ["-spent_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="spend_positive"),
        ]
