"""The prosecutor's hold on a diverted charge while intake happens."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from divert.field.models import Referral
from divert.jurisdictions.models import Jurisdiction, Organization


class ChargeHold(models.Model):
    class Status(models.TextChoices):
        HOLDING = "holding", "Holding: intake pending"
        INTAKE_DONE = "intake_done", "Intake completed: not filed"
        AWAITING_DECISION = "awaiting_decision", "Deadline passed: prosecutor to decide"
        FILED = "filed", "Filed by prosecutor"
        DECLINED = "declined", "Declined to file"

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    referral = models.OneToOneField(Referral, on_delete=models.PROTECT, related_name="charge_hold")
    prosecutor_office = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    held_on = models.DateField()
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.HOLDING)
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("held_on")), name="hold_due_after_held"
            )
        ]
