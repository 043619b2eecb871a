"""Short surveys of police legitimacy: who is asked, the instrument they answer, the answers.

A survey belongs to one site and asks one group (participants, officers or community
members, optionally in one area) the items of the instrument it was opened with, a copy kept
on the survey. It is answered on a phone through its link, or entered by staff.

An anonymous survey's responses carry no person, no staff member and no time of day, and
have no history rows: nothing in the database ties an answer to whoever gave it. A named
survey (participants only, entered by their case manager) records the participant.
"""

import secrets

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from divert.jurisdictions.models import Area, Jurisdiction
from divert.people.models import Person
from divert.surveys.instrument import RESPONDENTS

TITLE_MAX = 120


def new_token() -> str:
    return secrets.token_urlsafe(18)  # 24 characters, 144 bits: a link nobody guesses


class Survey(models.Model):
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=TITLE_MAX)
    respondents = models.CharField(max_length=20, choices=list(RESPONDENTS.items()))
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    anonymous = models.BooleanField(default=True)
    instrument = models.JSONField()  # the instrument as opened: answers keep their meaning
    opens_on = models.DateField()
    closes_on = models.DateField(null=True, blank=True)
    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    client_id = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["instrument"])

    class Meta:
        ordering = ["-opens_on", "-pk"]
        indexes = [models.Index(fields=["jurisdiction", "opens_on"])]

    def __str__(self) -> str:
        return self.title

    def is_open(self, today) -> bool:
        return self.opens_on <= today and (self.closes_on is None or today <= self.closes_on)


class SurveyResponse(models.Model):
    class Channel(models.TextChoices):
        LINK = "link", "Through the link"
        STAFF = "staff", "Entered by staff"

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    answered_on = models.DateField()  # the site's day; no time, so no one is placed by it
    channel = models.CharField(max_length=10, choices=Channel.choices)
    answers = models.JSONField()  # item key -> 1..len(scale), or null when skipped
    scores = models.JSONField()  # measure key -> mean of the answered items
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )  # named surveys only
    client_id = models.UUIDField(unique=True, null=True, blank=True, editable=False)

    class Meta:
        indexes = [models.Index(fields=["survey", "answered_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=True) | models.Q(channel="staff"),
                name="survey_response_named_by_staff",
            ),
            # A named survey follows each participant once: one response per participant.
            models.UniqueConstraint(
                fields=["survey", "person"],
                condition=models.Q(person__isnull=False),
                name="survey_response_once_per_person",
            ),
        ]
