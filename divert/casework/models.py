"""Case management: enrollment, consent, the intervention plan, contacts, notes, services."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from divert.casework import lifecycle
from divert.casework.corrections import Correctable
from divert.field.models import Referral
from divert.jurisdictions.models import Jurisdiction, Organization
from divert.people.models import Person

STATUS_CHOICES = [(s, s.replace("_", " ").capitalize()) for s in lifecycle.STATUSES]


class Enrollment(models.Model):
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="enrollments")
    referral = models.OneToOneField(
        Referral, on_delete=models.PROTECT, null=True, blank=True, related_name="enrollment"
    )
    case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="caseload",
    )
    status = models.CharField(max_length=20, choices=STATUS_CHOICES, default=lifecycle.REFERRED)
    referred_on = models.DateField()
    intake_due_on = models.DateField(null=True, blank=True)
    intake_completed_on = models.DateField(null=True, blank=True)
    exited_on = models.DateField(null=True, blank=True)
    # One of divert's reasons or the site's own (casework.exits): validated by the service.
    exit_reason = models.CharField(max_length=60, blank=True)
    # A person who returns after an exit re-engages in a new enrollment linked to the last.
    previous = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-referred_on"]
        indexes = [models.Index(fields=["jurisdiction", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status__in=lifecycle.OPEN_STATUSES),
                name="one_open_enrollment_per_person",
            ),
            models.CheckConstraint(
                condition=models.Q(intake_completed_on__isnull=True)
                | models.Q(intake_completed_on__gte=models.F("referred_on")),
                name="enrollment_intake_after_referral",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=lifecycle.EXITED) | ~models.Q(exit_reason=""),
                name="enrollment_exit_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(exited_on__isnull=True)
                | (
                    models.Q(exited_on__gte=models.F("referred_on"))
                    & (
                        models.Q(intake_completed_on__isnull=True)
                        | models.Q(exited_on__gte=models.F("intake_completed_on"))
                    )
                ),
                name="enrollment_exit_after_intake",
            ),
        ]

    def __str__(self) -> str:
        return f"Enrollment {self.pk} ({self.status})"

    def get_exit_reason_display(self) -> str:
        # A site's own reasons (policy file) carry labels there; the code reads well enough.
        code = self.exit_reason
        return lifecycle.EXIT_REASON_LABELS.get(code) or code.replace("_", " ").capitalize()

    def clean(self) -> None:
        if self.intake_completed_on and self.intake_completed_on < self.referred_on:
            raise ValidationError(
                {"intake_completed_on": "Intake cannot be dated before the referral."}
            )
        if self.status == lifecycle.EXITED and not self.exit_reason:
            raise ValidationError({"exit_reason": "An exit needs a reason."})
        if self.exited_on and self.exited_on < (self.intake_completed_on or self.referred_on):
            raise ValidationError({"exited_on": "An exit cannot precede the intake or referral."})


class StatusChange(models.Model):
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(max_length=20, choices=STATUS_CHOICES, blank=True)
    to_status = models.CharField(max_length=20, choices=STATUS_CHOICES)
    changed_on = models.DateField()
    reason = models.CharField(max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # An undo is a change of its own, pointing at the mistaken one: history is never rewritten.
    undoes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="undone_by"
    )

    class Meta:
        ordering = ["changed_on", "pk"]


def _release_file_path(release: "ReleaseOfInformation", filename: str) -> str:
    # A random name: nothing the uploader chose (name, extension) reaches the disk.
    import uuid

    return f"releases/{release.person_id}/{uuid.uuid4().hex}"


REVOCATION_DEFAULT = (
    "You may revoke this release at any time, except for what was already shared under it: "
    "tell your case manager, in person, by phone or in writing."
)


class ReleaseOfInformation(models.Model):
    """A multi-party release, with the elements 42 CFR §2.31 requires of consent.

    The signed content never changes: a release is revoked (one action, in force at once) and a
    new one signed. Only revocation and a scanned copy of the paper form are added later.
    """

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="releases")
    # Who discloses.
    discloser = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    # To whom: named organizations, and/or a class of recipients described in words.
    recipients = models.ManyToManyField(Organization, related_name="releases_received", blank=True)
    recipient_class = models.CharField(
        "class of recipients", max_length=200, blank=True, help_text="e.g. my treating providers"
    )
    # What, by category: what LEAD case managers may share under the release, and nothing more.
    shares_participation = models.BooleanField(
        "that the case manager is working with the person", default=True
    )
    shares_progress = models.BooleanField("general progress", default=False)
    shares_barriers = models.BooleanField("barriers", default=False)
    purpose = models.CharField(max_length=300)
    signed_on = models.DateField()
    # Expiry: a date, or an event (recorded, when it happens, by ending the release).
    expires_on = models.DateField(null=True, blank=True)
    expires_upon = models.CharField("expires upon (event)", max_length=200, blank=True)
    revocation = models.CharField("how to revoke", max_length=500, default=REVOCATION_DEFAULT)
    signature = models.CharField(max_length=200, help_text="Name as signed")
    # Signed on the phone (a PNG of the drawn signature) or given aloud before a witness.
    signature_image = models.FileField(upload_to=_release_file_path, blank=True, max_length=200)
    verbal_witness = models.CharField("witness to verbal consent", max_length=200, blank=True)
    scanned_form = models.FileField(upload_to=_release_file_path, blank=True, max_length=200)
    scanned_form_type = models.CharField(max_length=40, blank=True, editable=False)
    revoked_on = models.DateField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=300, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, null=True)
    # Made by the form when it is drawn: the same form sent twice makes one release.
    client_id = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    history = HistoricalRecords()

    REDISCLOSURE_NOTICE = "42 CFR part 2 prohibits unauthorized use or disclosure of these records."

    class Meta:
        ordering = ["-signed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__isnull=True)
                | models.Q(expires_on__gt=models.F("signed_on")),
                name="release_expires_after_signing",
            ),
            models.CheckConstraint(
                condition=models.Q(expires_on__isnull=False) | ~models.Q(expires_upon=""),
                name="release_has_an_expiry",
            ),
            models.CheckConstraint(
                condition=models.Q(revoked_on__isnull=True)
                | models.Q(revoked_on__gte=models.F("signed_on")),
                name="release_revoked_after_signing",
            ),
        ]

    def __str__(self) -> str:
        return f"Release {self.pk} ({self.signed_on})"

    def clean(self) -> None:
        if self.signed_on and self.expires_on and self.expires_on <= self.signed_on:
            raise ValidationError({"expires_on": "A release must expire after it is signed."})
        if not self.expires_on and not self.expires_upon:
            raise ValidationError({"expires_on": "Give an expiry date or the event that ends it."})

    def state(self, on: datetime.date) -> str:
        """in_force, revoked, expired or not_yet (signed for a later day), on the site's `on`."""
        if self.revoked_on is not None and self.revoked_on <= on:
            return "revoked"
        if self.expires_on is not None and self.expires_on <= on:
            return "expired"
        if self.signed_on > on:
            return "not_yet"
        return "in_force"

    @staticmethod
    def in_force_q(on: datetime.date, via: str = "") -> models.Q:
        """Releases signed by `on`, not yet expired and not revoked, as a filter.

        `via` is the lookup path from another model, e.g. "person__releases__"; within one
        `filter()` call the conditions then apply to the same release. A release that ends on
        an event (no date) is in force until the event is recorded, which ends it.
        """
        return (
            models.Q(**{f"{via}signed_on__lte": on})
            & (
                models.Q(**{f"{via}expires_on__gt": on})
                | models.Q(**{f"{via}expires_on__isnull": True})
            )
            & (
                models.Q(**{f"{via}revoked_on__isnull": True})
                | models.Q(**{f"{via}revoked_on__gt": on})
            )
        )


class InterventionPlan(Correctable):
    correction_case = "enrollment"

    enrollment = models.OneToOneField(Enrollment, on_delete=models.CASCADE, related_name="plan")
    summary = models.TextField(blank=True)
    barriers = models.CharField(
        max_length=500,
        blank=True,
        help_text="Written to be shared: what a release of information lets partners see.",
    )
    updated = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()


class Goal(Correctable):
    """A goal the participant sets, by life domain. LEAD plans hold no abstinence or
    compliance conditions and no sanctions: there are no fields for them."""

    class Domain(models.TextChoices):
        HOUSING = "housing", "Housing"
        TREATMENT = "treatment", "Treatment"
        INCOME = "income", "Income and benefits"
        EMPLOYMENT = "employment", "Work and education"
        LEGAL = "legal", "Legal"
        HEALTH = "health", "Health"
        FAMILY = "family", "Family and relationships"
        SAFETY = "safety", "Safety"
        DOCUMENTS = "documents", "ID and documents"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        OPEN = "open", "Working on it"
        MET = "met", "Met"
        SET_ASIDE = "set_aside", "Set aside"

    class Owner(models.TextChoices):
        PARTICIPANT = "participant", "The participant"
        CASE_MANAGER = "case_manager", "The case manager"
        TOGETHER = "together", "Together"
        PARTNER = "partner", "A partner organization"

    correction_case = "plan__enrollment"

    plan = models.ForeignKey(InterventionPlan, on_delete=models.CASCADE, related_name="goals")
    domain = models.CharField(max_length=10, choices=Domain.choices)
    description = models.CharField(max_length=500)
    owner = models.CharField(max_length=12, choices=Owner.choices, default=Owner.PARTICIPANT)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    target_on = models.DateField("target date", null=True, blank=True)
    # Set by the client that made it (a form's hidden field): a resend finds this goal.
    client_id = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]


class GoalStep(Correctable):
    """One small step towards a goal."""

    correction_case = "goal__plan__enrollment"

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="steps")
    description = models.CharField(max_length=300)
    done_on = models.DateField(null=True, blank=True)
    client_id = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]


class Contact(Correctable):
    """A contact with the participant, or an attempt to find them. Logged on a phone, often
    offline: `client_id` is made by the phone, so a resend never makes a second contact."""

    class Kind(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        PHONE = "phone", "Phone or text"
        ATTEMPTED = "attempted", "Attempted, not found"

    class Place(models.TextChoices):
        STREET = "street", "Street"
        SHELTER = "shelter", "Shelter"
        OFFICE = "office", "Office"
        JAIL = "jail", "Jail"
        HOSPITAL = "hospital", "Hospital"
        PHONE = "phone", "Phone"
        OTHER = "other", "Other"

    correction_author = "staff"

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="contacts")
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    occurred_at = models.DateTimeField("when")
    place = models.CharField("where", max_length=10, choices=Place.choices, default=Place.STREET)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    minutes = models.PositiveSmallIntegerField(
        "duration in minutes", null=True, blank=True, validators=[MaxValueValidator(24 * 60)]
    )
    present = models.CharField("who was present", max_length=200, blank=True)
    note = models.CharField("short note", max_length=500, blank=True)
    client_id = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-occurred_at"]


class CaseNote(Correctable):
    """Free-text case notes. Never shown to enforcement (First Golden Rule)."""

    correction_author = "author"

    class Topic(models.TextChoices):
        GENERAL = "general", "General"
        HEALTH = "health", "Health"
        SUBSTANCE_USE = "substance_use", "Substance use"
        LEGAL = "legal", "Legal"

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField()
    topic = models.CharField(max_length=15, choices=Topic.choices, default=Topic.GENERAL)
    text = models.TextField()
    # Set by the form that wrote it: the same form sent twice makes one note.
    client_id = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-written_at"]


class ServiceReferral(models.Model):
    """A referral to a service in the site's directory, followed until the loop closes
    (casework.referral_states has the order of the states)."""

    class Status(models.TextChoices):
        SENT = "sent", "Sent"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETED = "completed", "Completed"
        NOT_COMPLETED = "not_completed", "Not completed"
        CANCELLED = "cancelled", "Cancelled"

    class Outcome(models.TextChoices):
        CLIENT_REFUSED = "client_refused", "Client refused"
        LACK_OF_CAPACITY = "lack_of_capacity", "Lack of capacity"
        NO_LONGER_NEEDED = "no_longer_needed", "No longer needed"
        UNABLE_TO_CONTACT_CLIENT = "unable_to_contact_client", "Unable to contact client"
        UNABLE_TO_CONTACT_PROVIDER = "unable_to_contact_provider", "Unable to contact provider"
        OTHER = "other", "Other"

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="services")
    provider = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    # The directory entry referred to (empty only for referrals made before the directory).
    directory_service = models.ForeignKey(
        "directory.Service",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
    )
    service = models.CharField(max_length=200)
    domain = models.CharField(max_length=10, choices=Goal.Domain.choices)
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.SENT)
    sent_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # For the provider, shown only while a release naming it is in force.
    note = models.CharField("note for the provider", max_length=500, blank=True)
    reason = models.CharField("why declined", max_length=300, blank=True)
    outcome = models.CharField(
        "why not completed", max_length=30, choices=Outcome.choices, blank=True
    )
    outcome_note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    client_id = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-sent_on", "-pk"]


class Task(models.Model):
    """A to-do with an owner and a due date: about one participant, or general."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.PROTECT, null=True, blank=True, related_name="tasks"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="tasks"
    )
    title = models.CharField(max_length=200)
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["owner", "done_on", "due_on"])]

    def __str__(self) -> str:
        return self.title


class WaitlistEntry(models.Model):
    """Someone turned away for capacity, waiting for a place (LEAD: the supervisor works the
    waitlist when capacity frees). From a referral refused for capacity, or a re-engagement
    no case manager had room for."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting"
        ASSIGNED = "assigned", "Assigned"
        REMOVED = "removed", "Removed"

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="waitlist_entries")
    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, null=True, blank=True, related_name="waitlist_entries"
    )
    previous = models.ForeignKey(
        Enrollment, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    pathway = models.CharField(max_length=20, choices=Referral.Pathway.choices)
    turned_away_at = models.DateTimeField()  # the hand-off clock runs from here
    intake_due_on = models.DateField(null=True, blank=True)  # as the policy set it then
    reason = models.CharField(max_length=200)
    added_at = models.DateTimeField()
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_reason = models.CharField(max_length=200, blank=True)
    enrollment = models.OneToOneField(
        Enrollment, on_delete=models.PROTECT, null=True, blank=True, related_name="from_waitlist"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["turned_away_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status="waiting"),
                name="one_waiting_entry_per_person",
            )
        ]
