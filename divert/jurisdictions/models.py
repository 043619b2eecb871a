"""The tenant (a LEAD site), its geography, its organizations and its statute map."""

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from divert.jurisdictions.clock import zone_named as site_zone_named
from divert.nibrs import OFFENSES


def validate_time_zone(name: str) -> None:
    try:
        site_zone_named(name)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None


NIBRS_CHOICES = [(o.code, f"{o.code} {o.name}") for o in OFFENSES.values()]


class Jurisdiction(models.Model):
    """One LEAD site. Every record belongs to exactly one."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(unique=True)
    timezone = models.CharField(
        max_length=64,
        default="America/Los_Angeles",
        validators=[validate_time_zone],
        help_text="IANA zone name; deadlines and reports count in this zone's days.",
    )
    caseload_target = models.PositiveSmallIntegerField(
        default=20, help_text="Average caseload per case manager (LEAD toolkit)."
    )
    caseload_cap = models.PositiveSmallIntegerField(
        default=25, help_text="Hard cap: referrals beyond it are capacity refusals."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(caseload_target__lte=models.F("caseload_cap")),
                name="caseload_target_within_cap",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Area(models.Model):
    """A part of the site: a neighbourhood or program area, with the date LEAD started there."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="areas")
    name = models.CharField(max_length=120)
    lead_since = models.DateField(null=True, blank=True, help_text="Empty: LEAD not active here.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["jurisdiction", "name"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "name"], name="area_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Precinct(models.Model):
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="precincts"
    )
    area = models.ForeignKey(Area, on_delete=models.PROTECT, null=True, blank=True)
    name = models.CharField(max_length=120)

    history = HistoricalRecords()

    class Meta:
        ordering = ["jurisdiction", "name"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "name"], name="precinct_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Organization(models.Model):
    class Kind(models.TextChoices):
        POLICE = "police", "Police department"
        CASE_MANAGEMENT = "case_management", "Case-management agency"
        PROSECUTOR = "prosecutor", "Prosecutor's office"
        DEFENDER = "defender", "Public defender"
        PROVIDER = "provider", "Service provider"
        COMMUNITY = "community", "Community partner"
        PROGRAM = "program", "Program office"
        EVALUATOR = "evaluator", "Evaluator"

    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="organizations"
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    phone = models.CharField(max_length=40, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["jurisdiction", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "name"], name="organization_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class StatuteMapping(models.Model):
    """A local statute and the NIBRS code it counts as, so rules can speak NIBRS everywhere."""

    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="statute_mappings"
    )
    statute = models.CharField(max_length=80, help_text="Local citation, e.g. RCW 69.50.4013")
    description = models.CharField(max_length=300, blank=True)
    nibrs = models.CharField("NIBRS code", max_length=3, choices=NIBRS_CHOICES)

    history = HistoricalRecords()

    class Meta:
        ordering = ["jurisdiction", "statute"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "statute"], name="statute_unique")
        ]

    def __str__(self) -> str:
        return f"{self.statute} → {self.nibrs}"


class HandoffWebhook(models.Model):
    """An address the site wants told of each new hand-off (divert.field.webhooks)."""

    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="handoff_webhooks"
    )
    url = models.URLField("address", max_length=500, help_text="https://… receives a POST.")
    secret = models.CharField(
        max_length=200, help_text="Shared key the receiver checks the HMAC-SHA256 signature with."
    )
    active = models.BooleanField(default=True)

    # The secret stays out of history: history is readable by more people than the hook.
    history = HistoricalRecords(excluded_fields=["secret"])

    class Meta:
        ordering = ["jurisdiction", "url"]

    def __str__(self) -> str:
        return self.url
