"""What happens on the street: police encounters, their offenses, and referrals into LEAD."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from divert.jurisdictions.clock import aware
from divert.jurisdictions.models import NIBRS_CHOICES, Area, Jurisdiction, Organization
from divert.nibrs import ACTIVITIES, DRUGS
from divert.people.models import Person
from divert.vocabulary import Pathway

# Clocks on phones and servers drift; a day of slack, and nothing before records began.
_SKEW = datetime.timedelta(days=1)
_EARLIEST = datetime.datetime(1990, 1, 1, tzinfo=datetime.UTC)


def _not_in_future(**moments: datetime.datetime | None) -> None:
    for name, moment in moments.items():
        if moment is None:
            continue
        moment = aware(None, moment)  # naive: read in the server's zone, never skipped
        if moment > timezone.now() + _SKEW:
            raise ValidationError({name: "This cannot be in the future."})
        if moment < _EARLIEST:
            raise ValidationError({name: "This is before 1990; check the date."})


class Encounter(models.Model):
    """A police contact with one person."""

    class Outcome(models.TextChoices):
        BOOKED = "booked", "Booked"
        CITED = "cited", "Cited"
        RELEASED = "released", "Released"
        DIVERTED = "diverted", "Diverted to LEAD"
        REFERRED = "referred", "Social-contact referral"
        DECLINED = "declined", "Offered LEAD, declined"
        PENDING = "pending", "Not decided yet"

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="encounters"
    )
    occurred_at = models.DateTimeField()
    location = models.CharField(max_length=200, blank=True)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, null=True, blank=True)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    outcome_reason = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-occurred_at"]
        indexes = [models.Index(fields=["jurisdiction", "occurred_at"])]

    def __str__(self) -> str:
        return f"Encounter {self.pk} on {self.occurred_at:%Y-%m-%d}"

    def clean(self) -> None:
        _not_in_future(occurred_at=self.occurred_at)


class Offense(models.Model):
    encounter = models.ForeignKey(Encounter, on_delete=models.CASCADE, related_name="offenses")
    nibrs = models.CharField("NIBRS code", max_length=3, choices=NIBRS_CHOICES)
    statute = models.CharField(max_length=200, blank=True)
    activity = models.CharField(max_length=20, choices=[(a, a) for a in ACTIVITIES], blank=True)
    drug = models.CharField(max_length=30, choices=[(d, d) for d in DRUGS], blank=True)
    # Quantities above a kilogram are not street-level and are almost always data-entry errors.
    grams = models.DecimalField(
        max_digits=9,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1000)],
    )
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(grams__isnull=True) | models.Q(grams__gte=0, grams__lte=1000),
                name="offense_grams_plausible",
            )
        ]

    def __str__(self) -> str:
        return self.nibrs


class Referral(models.Model):
    """A referral into LEAD through one of its three pathways."""

    Pathway = models.TextChoices("Pathway", [(p.name, (p.value, p.label)) for p in Pathway])

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="referrals")
    encounter = models.OneToOneField(
        Encounter, on_delete=models.PROTECT, null=True, blank=True, related_name="referral"
    )
    pathway = models.CharField(max_length=20, choices=Pathway.choices)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    referring_organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    referred_at = models.DateTimeField()
    case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    notified_at = models.DateTimeField(null=True, blank=True)
    handed_off_at = models.DateTimeField(null=True, blank=True)
    capacity_refused = models.BooleanField(default=False)
    note = models.CharField(max_length=500, blank=True)
    # A person already enrolled is not enrolled twice: the referral goes to their case.
    routed_to = models.ForeignKey(
        "casework.Enrollment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="later_referrals",
    )
    # Made by the client (a form's hidden field, an API header): a resend is the same referral.
    idempotency_key = models.CharField(max_length=64, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-referred_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="referral_idempotency_key_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(handed_off_at__isnull=True)
                | models.Q(handed_off_at__gte=models.F("referred_at")),
                name="referral_handoff_after_referral",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_pathway_display()} referral {self.pk}"

    def clean(self) -> None:
        _not_in_future(referred_at=self.referred_at)
        if self.handed_off_at and self.referred_at and self.handed_off_at < self.referred_at:
            raise ValidationError({"handed_off_at": "The hand-off cannot precede the referral."})


class EligibilityPolicy(models.Model):
    """One version of a site's eligibility policy file, kept forever once loaded."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    policy_id = models.CharField(max_length=60)
    version = models.CharField(max_length=40)
    text = models.TextField(help_text="The TOML policy file as loaded.")
    source = models.CharField(max_length=300, blank=True)
    loaded_at = models.DateTimeField()
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["jurisdiction", "-loaded_at"]
        verbose_name_plural = "eligibility policies"
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "policy_id", "version"], name="policy_version_unique"
            ),
            models.UniqueConstraint(
                fields=["jurisdiction"],
                condition=models.Q(active=True),
                name="one_active_policy_per_jurisdiction",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.policy_id} v{self.version}"


class Screening(models.Model):
    """One eligibility decision, with the case as screened and the policy version used."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    policy = models.ForeignKey(EligibilityPolicy, on_delete=models.PROTECT, related_name="+")
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    screened_at = models.DateTimeField()
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="screenings"
    )
    encounter = models.OneToOneField(
        Encounter, on_delete=models.PROTECT, null=True, blank=True, related_name="screening"
    )
    case = models.JSONField()
    decision = models.JSONField()
    eligible = models.BooleanField()

    class Meta:
        ordering = ["-screened_at"]
        indexes = [models.Index(fields=["jurisdiction", "screened_at"])]

    def __str__(self) -> str:
        return f"Screening {self.pk} ({'eligible' if self.eligible else 'not eligible'})"
