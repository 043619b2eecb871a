"""People who meet the program: identity, demographics and identifiers in other systems."""

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from divert.jurisdictions.clock import site_today
from divert.jurisdictions.models import Jurisdiction


class Race(models.TextChoices):
    AMERICAN_INDIAN = "american_indian_alaska_native", "American Indian or Alaska Native"
    ASIAN = "asian", "Asian"
    BLACK = "black", "Black or African American"
    PACIFIC_ISLANDER = "native_hawaiian_pacific_islander", "Native Hawaiian or Pacific Islander"
    WHITE = "white", "White"
    MULTIRACIAL = "multiracial", "More than one race"
    UNKNOWN = "unknown", "Unknown or not given"


class Ethnicity(models.TextChoices):
    HISPANIC = "hispanic", "Hispanic or Latino"
    NOT_HISPANIC = "not_hispanic", "Not Hispanic or Latino"
    UNKNOWN = "unknown", "Unknown or not given"


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    INTERSEX = "intersex", "Intersex"
    UNKNOWN = "unknown", "Unknown or not given"


class GenderIdentity(models.TextChoices):
    WOMAN = "woman", "Woman"
    MAN = "man", "Man"
    TRANSGENDER_WOMAN = "transgender_woman", "Transgender woman"
    TRANSGENDER_MAN = "transgender_man", "Transgender man"
    NON_BINARY = "non_binary", "Non-binary"
    OTHER = "other", "Another identity"
    UNKNOWN = "unknown", "Unknown or not given"


class DatePrecision(models.TextChoices):
    DAY = "day", "Full date"
    MONTH = "month", "Year and month"
    YEAR = "year", "Year only"


class Person(models.Model):
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="people")
    first_name = models.CharField("legal first name", max_length=100)
    middle_name = models.CharField("legal middle name", max_length=100, blank=True)
    last_name = models.CharField("legal last name", max_length=100)
    # A partial date of birth is stored as its first day, with the precision saying what is known.
    date_of_birth = models.DateField(null=True, blank=True)
    dob_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    race = models.CharField(max_length=40, choices=Race.choices, default=Race.UNKNOWN)
    ethnicity = models.CharField(
        max_length=20, choices=Ethnicity.choices, default=Ethnicity.UNKNOWN
    )
    sex = models.CharField(max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    gender_identity = models.CharField(
        max_length=20, choices=GenderIdentity.choices, default=GenderIdentity.UNKNOWN
    )
    created = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(fields=["jurisdiction", "last_name", "first_name"]),
            # The officer's lookup also finds people by date of birth (a name keyed wrong).
            models.Index(fields=["jurisdiction", "date_of_birth"]),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def clean(self) -> None:
        if self.date_of_birth and self.date_of_birth > site_today(
            self.jurisdiction if self.jurisdiction_id else None
        ):
            raise ValidationError({"date_of_birth": "A date of birth cannot be in the future."})
        if self.date_of_birth and self.date_of_birth.year < 1900:
            raise ValidationError(
                {"date_of_birth": "A date of birth before 1900 is not plausible."}
            )


class PersonName(models.Model):
    """Another name a person is known by: an alias, a former name, a street name."""

    class Kind(models.TextChoices):
        ALIAS = "alias", "Alias"
        FORMER = "former", "Former legal name"
        PREFERRED = "preferred", "Preferred name"
        STREET = "street", "Street name"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="other_names")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ALIAS)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class PersonIdentifier(models.Model):
    """The person's id in another system: jail booking system, court, HMIS, state id."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="identifiers")
    system = models.CharField(max_length=60)
    value = models.CharField(max_length=120)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "system", "value"], name="identifier_unique")
        ]

    def __str__(self) -> str:
        return f"{self.system}:{self.value}"


class NameKey(models.Model):
    """A phonetic blocking key for finding a person by name (see divert.people.matching).

    Derived from the legal name and every other name; rebuilt whenever either changes.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="name_keys")
    key = models.CharField(max_length=24)

    class Meta:
        indexes = [models.Index(fields=["key", "person"])]
        constraints = [models.UniqueConstraint(fields=["person", "key"], name="name_key_unique")]
