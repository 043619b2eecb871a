"""Justice events as imported from jail, court and police records systems."""

from django.conf import settings
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
    # The import run that created or last corrected it; empty for records entered otherwise.
    import_run = models.ForeignKey(
        "ImportRun", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
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


class ImportRun(models.Model):
    """One import of one file: what was read, with which mapping, and what became of it."""

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        COMPLETE = "complete", "Complete"
        REFUSED = "refused", "Refused"  # the file as a whole; nothing written
        INTERRUPTED = "interrupted", "Interrupted"  # killed mid-way; a rerun completes it

    class Origin(models.TextChoices):
        CLI = "cli", "Command line"
        API = "api", "API upload"
        PAGE = "page", "Program manager's page"

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=JusticeEvent.Kind.choices)
    source_system = models.CharField(max_length=60)
    mapping_id = models.CharField(max_length=60)
    mapping_version = models.PositiveIntegerField()
    mapping_text = models.TextField(help_text="The mapping as used, so a retry maps alike.")
    file_name = models.CharField(max_length=255)
    file_sha256 = models.CharField(max_length=64)
    file_bytes = models.BigIntegerField()
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    origin = models.CharField(max_length=5, choices=Origin.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RUNNING)
    refusal = models.TextField(blank=True, help_text="Why the whole file was refused.")
    rows = models.PositiveIntegerField(default=0)
    accepted = models.PositiveIntegerField(default=0, help_text="New records written.")
    updated = models.PositiveIntegerField(default=0, help_text="Records corrected.")
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0, help_text="Rows that failed a check.")
    quarantined = models.PositiveIntegerField(
        default=0, help_text="Rejected rows newly set aside (not already in quarantine)."
    )
    persons_new = models.PositiveIntegerField(
        default=0, help_text="Justice persons the rows' person fields created."
    )
    persons_updated = models.PositiveIntegerField(
        default=0, help_text="Justice persons the rows' person fields corrected."
    )

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} import {self.pk}: {self.file_name}"


class QuarantinedRow(models.Model):
    """A row that failed its checks, kept as the file had it until fixed or discarded."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        FIXED = "fixed", "Fixed and imported"
        DISCARDED = "discarded", "Discarded"

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    run = models.ForeignKey(ImportRun, on_delete=models.PROTECT, related_name="quarantine")
    kind = models.CharField(max_length=12, choices=JusticeEvent.Kind.choices)
    file_name = models.CharField(max_length=255)
    row = models.PositiveIntegerField()
    source_key = models.CharField(max_length=120, blank=True)
    values = models.JSONField(help_text="The row as the file had it: column -> text.")
    errors = models.JSONField(help_text="[{column, message}] for every failed check.")
    # The same bad row sent again is the same quarantine entry, not a second one.
    fingerprint = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(max_length=300, blank=True, help_text="Why it was discarded.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["run", "row"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "fingerprint"],
                condition=models.Q(status="pending"),
                name="quarantine_pending_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.file_name} row {self.row}"
