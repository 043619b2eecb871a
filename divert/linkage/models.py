"""Justice persons as the jail and court systems name them, and their links to program people."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from divert.jurisdictions.models import Jurisdiction
from divert.people.models import DatePrecision, Person, Race, Sex


class JusticePerson(models.Model):
    """One person record of a justice system: its own id and its own spelling of the person."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    source_system = models.CharField(max_length=60)
    source_person_id = models.CharField(max_length=120)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    # As on Person: a partial date is stored as its first day, the precision saying what is known.
    date_of_birth = models.DateField(null=True, blank=True)
    dob_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    sex = models.CharField(max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    race = models.CharField(max_length=40, choices=Race.choices, default=Race.UNKNOWN)
    history = HistoricalRecords()

    class Meta:
        ordering = ["source_system", "source_person_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "source_system", "source_person_id"],
                name="justice_person_unique_source",
            )
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} ({self.source_system} {self.source_person_id})"


class Link(models.Model):
    """The engine's (or a reviewer's) answer: this program person is this justice person."""

    class Status(models.TextChoices):
        AUTO = "auto", "Linked automatically"
        REVIEW = "review", "Waiting for review"
        CONFIRMED = "confirmed", "Confirmed by a reviewer"
        REJECTED = "rejected", "Rejected by a reviewer"

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="links")
    justice_person = models.ForeignKey(
        JusticePerson, on_delete=models.PROTECT, related_name="links"
    )
    match_probability = models.FloatField()
    match_weight = models.FloatField()
    model_version = models.CharField(max_length=80)
    status = models.CharField(max_length=10, choices=Status.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # A link a "same" justice pair gave this record (justice_dedupe.share_links); undoing the
    # pair withdraws it: deleted if the pair made it, else back to `before_pair`.
    via_pair = models.ForeignKey(
        "PairDecision", on_delete=models.PROTECT, null=True, blank=True, related_name="links"
    )
    before_pair = models.CharField(max_length=10, choices=Status.choices, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-match_probability", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["person", "justice_person"], name="link_unique_pair"),
            models.CheckConstraint(
                condition=models.Q(match_probability__gte=0, match_probability__lte=1),
                name="link_probability_range",
            ),
        ]
        indexes = [models.Index(fields=["jurisdiction", "status"])]

    def __str__(self) -> str:
        return f"{self.person} ~ {self.justice_person} ({self.match_probability:.3f})"

    @property
    def in_force(self) -> bool:
        return self.status in (self.Status.AUTO, self.Status.CONFIRMED)


class LinkRun(models.Model):
    """One run of linkage over a site's tables: which model, and what it found."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    model_version = models.CharField(max_length=80)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    people = models.PositiveIntegerField(default=0)
    justice_people = models.PositiveIntegerField(default=0)
    pairs = models.PositiveIntegerField(default=0, help_text="Pairs scored at or above review.")
    auto = models.PositiveIntegerField(default=0)
    review = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0, help_text="Links a reviewer decided.")
    events_linked = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at", "-pk"]


class PersonMerge(models.Model):
    """Two program records found to be one person: the second's rows moved onto the first.

    Both Person rows stay, with their own history; `moved` lists every row that moved, so an
    undo moves exactly those back.
    """

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    kept = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_kept")
    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_absorbed")
    match_probability = models.FloatField(null=True, blank=True)
    model_version = models.CharField(max_length=80, blank=True)
    reason = models.CharField(max_length=300)
    moved = models.JSONField(default=dict, help_text="model label -> ids of the rows moved")
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    merged_at = models.DateTimeField()
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-merged_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kept=models.F("merged")), name="merge_two_people"
            ),
            models.UniqueConstraint(
                fields=["merged"], condition=models.Q(undone_at__isnull=True), name="merge_once"
            ),
        ]

    def __str__(self) -> str:
        return f"person {self.merged_id} into {self.kept_id}"


class PairDecision(models.Model):
    """A reviewer's answer about two records of the same side: one person, or two.

    Program pairs are Person ids, justice pairs JusticePerson ids, the smaller id first. A
    "same" program pair is a merge (`merge`); a "same" justice pair ties both justice records
    to whomever either is linked to. Decisions are labels the model is evaluated against.
    `decided_by` empty: the engine decided on its own, above the link threshold.
    """

    class Side(models.TextChoices):
        PROGRAM = "program", "Program people"
        JUSTICE = "justice", "Justice records"

    class Decision(models.TextChoices):
        SAME = "same", "Same person"
        DIFFERENT = "different", "Not the same"
        UNDONE = "undone", "Undone"

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(max_length=10, choices=Side.choices)
    first_id = models.PositiveBigIntegerField()
    second_id = models.PositiveBigIntegerField()
    decision = models.CharField(max_length=10, choices=Decision.choices)
    match_probability = models.FloatField(null=True, blank=True)
    model_version = models.CharField(max_length=80, blank=True)
    merge = models.ForeignKey(
        PersonMerge, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-decided_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "side", "first_id", "second_id"], name="pair_decided_once"
            ),
            models.CheckConstraint(
                condition=models.Q(first_id__lt=models.F("second_id")), name="pair_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.side} {self.first_id}/{self.second_id}: {self.decision}"
