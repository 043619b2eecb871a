"""Justice events as imported from jail, court and police records systems."""

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from divert.jurisdictions.models import NIBRS_CHOICES, Jurisdiction
from divert.people.models import Person


class JusticeEvent(models.Model):
    class Kind(models.TextChoices):
        ARREST = "arrest", "Arrest"
        BOOKING = "booking", "Booking"
        CHARGE = "charge", "Charge"
        DISPOSITION = "disposition", "Disposition"
        JAIL_STAY = "jail_stay", "Jail stay"

    class Level(models.TextChoices):
        FELONY = "felony", "Felony"
        MISDEMEANOR = "misdemeanor", "Misdemeanor"
        NONE = "", "Not applicable"

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    # Empty until record linkage ties the source person to a divert person.
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="justice_events"
    )
    source_system = models.CharField(max_length=60)
    source_person_id = models.CharField(max_length=120)
    source_event_id = models.CharField(max_length=120)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    occurred_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    nibrs = models.CharField("NIBRS code", max_length=3, choices=NIBRS_CHOICES, blank=True)
    level = models.CharField(max_length=12, choices=Level.choices, blank=True)
    filed = models.BooleanField(null=True)
    disposition = models.CharField(max_length=60, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-occurred_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "source_system", "source_event_id"],
                name="justice_event_unique_source",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("occurred_on")),
                name="justice_event_ends_after_start",
            ),
        ]

    @property
    def days(self) -> int | None:
        if self.kind != self.Kind.JAIL_STAY or not self.ended_on:
            return None
        return (self.ended_on - self.occurred_on).days

    def clean(self) -> None:
        if self.ended_on and self.ended_on < self.occurred_on:
            raise ValidationError({"ended_on": "An event cannot end before it starts."})
