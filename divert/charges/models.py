"""The prosecutor's hold on a diverted charge while intake happens, and the other legal
matters the liaison prosecutor and the defender coordinate for a participant."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from divert.field.models import Referral
from divert.jurisdictions.models import Jurisdiction, Organization
from divert.people.models import Person
from divert.records.models import JusticeEvent


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
    decision_reason = models.CharField("reason", max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("held_on")), name="hold_due_after_held"
            )
        ]


class LegalMatter(models.Model):
    """Another pending case, a warrant or a new charge the liaison coordinates with the defender.

    Entered by the liaison prosecutor, or read from an imported justice record. Each side
    records its own position; the matter is coordinated when both agree.
    """

    class Kind(models.TextChoices):
        PENDING_CASE = "pending_case", "Other pending case"
        WARRANT = "warrant", "Warrant"
        NEW_CHARGE = "new_charge", "New charge"

    class Position(models.TextChoices):
        UNDECIDED = "", "Not decided"
        HOLD = "hold", "Hold while in LEAD"
        DISMISS = "dismiss", "Dismiss"
        RESOLVE = "resolve", "Resolve together with the LEAD case"
        QUASH = "quash", "Quash the warrant"
        PROCEED = "proceed", "Proceed as usual"

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="legal_matters")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    summary = models.CharField("what it is", max_length=200)
    court = models.CharField("court and case number", max_length=120, blank=True)
    next_date = models.DateField("next court date", null=True, blank=True)
    justice_event = models.OneToOneField(
        JusticeEvent, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    entered_on = models.DateField()
    liaison_position = models.CharField(
        max_length=10, choices=Position.choices, blank=True, default=Position.UNDECIDED
    )
    liaison_note = models.CharField(max_length=300, blank=True)
    defender_position = models.CharField(
        max_length=10, choices=Position.choices, blank=True, default=Position.UNDECIDED
    )
    defender_note = models.CharField(max_length=300, blank=True)
    client_id = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["next_date", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.summary}"

    @property
    def coordinated(self) -> bool:
        return bool(self.liaison_position) and self.liaison_position == self.defender_position
