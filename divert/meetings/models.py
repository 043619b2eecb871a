"""Operational Work Group meetings: who came, what was said per participant, who does what.

A meeting belongs to one site and is held on a site-local date. Each item is about one
participant (one item per participant per meeting); its action items have an owner and a
due date and show in the owner's inbox. Once the meeting is closed its items and action
items change only by a correction with a reason (divert.casework.corrections), kept in
history; action items can still be marked done.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from divert.casework.corrections import Correctable
from divert.casework.models import Enrollment
from divert.jurisdictions.models import Jurisdiction

SUMMARY_MAX = 2000
GUESTS_MAX = 500
ACTION_MAX = 200


class Meeting(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="meetings_attended"
    )
    guests = models.CharField(max_length=GUESTS_MAX, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_on = models.DateField(null=True, blank=True)
    client_id = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["jurisdiction", "held_on"])]

    def __str__(self) -> str:
        return f"Work group meeting {self.held_on}"


class MeetingItem(Correctable):
    """One participant discussed: why they were on the agenda, what was said, decided.

    `summary` and `decisions` are for the case-work team. `legal` is what was said on legal
    coordination (pending cases, warrants, holds): the one part a prosecutor or defender
    named in an in-force release reads. Neither carries health or substance-use detail.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="items")
    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.PROTECT, related_name="meeting_items"
    )
    reason = models.CharField(max_length=300, blank=True)  # from the agenda
    summary = models.TextField(max_length=SUMMARY_MAX, blank=True)
    decisions = models.TextField(max_length=SUMMARY_MAX, blank=True)
    legal = models.TextField(max_length=SUMMARY_MAX, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    client_id = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    history = HistoricalRecords()

    correction_author = "created_by"
    correction_case = "enrollment"  # the participant's case manager corrects it too

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "enrollment"], name="one_item_per_participant_per_meeting"
            )
        ]

    def __str__(self) -> str:
        return f"Meeting item {self.pk}"


class ActionItem(Correctable):
    item = models.ForeignKey(MeetingItem, on_delete=models.PROTECT, related_name="actions")
    description = models.CharField(max_length=ACTION_MAX)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="action_items"
    )
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    client_id = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    history = HistoricalRecords()

    correction_author = "created_by"
    correction_case = "item__enrollment"

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["owner", "done_on", "due_on"])]

    def __str__(self) -> str:
        return self.description
