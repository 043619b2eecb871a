"""Assessments: a site's instrument (versioned data), the answers given, and the short
reassessment the evaluation compares over time."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from divert.assessment import measures
from divert.casework.models import Enrollment
from divert.jurisdictions.models import Jurisdiction


class AssessmentInstrument(models.Model):
    """One version of a site's assessment instrument file, kept forever once loaded."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    instrument_id = models.CharField(max_length=60)
    version = models.CharField(max_length=40)
    text = models.TextField(help_text="The TOML instrument file as loaded.")
    source = models.CharField(max_length=300, blank=True)
    loaded_at = models.DateTimeField()
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["jurisdiction", "-loaded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "instrument_id", "version"],
                name="instrument_version_unique",
            ),
            models.UniqueConstraint(
                fields=["jurisdiction"],
                condition=models.Q(active=True),
                name="one_active_instrument_per_jurisdiction",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument_id} v{self.version}"


class Assessment(models.Model):
    enrollment = models.ForeignKey(Enrollment, on_delete=models.PROTECT, related_name="assessments")
    instrument = models.ForeignKey(AssessmentInstrument, on_delete=models.PROTECT, related_name="+")
    taken_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-taken_on", "-pk"]


class Answer(models.Model):
    """One answer. `health` is copied from the instrument when saved, so the access policy
    can hide health answers in a query, whatever instrument version asked the question."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    section = models.CharField(max_length=60)
    question = models.CharField(max_length=60)
    value = models.JSONField()
    health = models.BooleanField()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "question"], name="one_answer_per_question"
            )
        ]


class Reassessment(models.Model):
    """Housing, employment and income at intake and monthly: the evaluation's outcomes."""

    class Occasion(models.TextChoices):
        INTAKE = "intake", "At intake"
        MONTHLY = "monthly", "Monthly"

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.PROTECT, related_name="reassessments"
    )
    taken_on = models.DateField()
    occasion = models.CharField(max_length=10, choices=Occasion.choices)
    housing = models.CharField(max_length=20, choices=measures.HOUSING)
    employment = models.CharField(max_length=20, choices=measures.EMPLOYMENT)
    income_benefits = models.JSONField(
        default=list, help_text="Codes from divert.assessment.measures.INCOME"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["taken_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "taken_on"], name="one_reassessment_per_day"
            )
        ]
