"""The canonical fields an import mapping can fill, per kind of justice record.

Pure Python: the mapping schema, the row checks and the docs read these.

>>> sorted(REQUIRED["booking"])
['occurred_on', 'source_key', 'source_person_id']
>>> FIELDS["level"].values
('felony', 'misdemeanor')
"""

from dataclasses import dataclass

KINDS = ("arrest", "booking", "charge", "disposition", "jail_stay")

# Stored in front of the source's own key, so a booking and a charge numbered alike differ.
KEY_PREFIX = {
    "arrest": "arrest",
    "booking": "booking",
    "charge": "charge",
    "disposition": "disposition",
    "jail_stay": "stay",
}

# Which kind a record of each kind may point at, to inherit what its own export lacks.
PARENTS = {"charge": ("booking", "arrest"), "disposition": ("charge",), "jail_stay": ("booking",)}

DISPOSITIONS = ("convicted", "dismissed", "acquitted", "deferred", "pending")
SEXES = ("female", "male", "intersex", "unknown")  # divert.people.models.Sex
RACES = (  # divert.people.models.Race
    "american_indian_alaska_native",
    "asian",
    "black",
    "native_hawaiian_pacific_islander",
    "white",
    "multiracial",
    "unknown",
)


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # text, date, code, bool
    meaning: str
    values: tuple = ()  # the canonical values of a coded field
    max_length: int = 120


FIELDS = {
    f.name: f
    for f in (
        Field("source_key", "text", "The record's own id in the source system.", max_length=100),
        Field("source_person_id", "text", "The source system's id for the person."),
        Field(
            "parent_key",
            "text",
            "The source key of the record this one belongs to (a charge's booking, a "
            "disposition's charge); fills the person, date and offense when missing.",
            max_length=100,
        ),
        Field("occurred_on", "date", "When it happened: arrest, booking, filing, disposition."),
        Field("ended_on", "date", "When a jail stay ended; empty while the person is held."),
        Field("nibrs", "code", "The offense as a NIBRS code (e.g. 35A).", max_length=3),
        Field(
            "statute",
            "code",
            "The offense as a local statute or charge text, turned into NIBRS by the "
            "mapping's [codes.statute] and the site's statute map.",
        ),
        Field("level", "code", "Felony or misdemeanor.", ("felony", "misdemeanor")),
        Field("filed", "bool", "Whether the prosecutor filed the charge.", (True, False)),
        Field("disposition", "code", "What the court decided.", DISPOSITIONS, max_length=60),
        # The person as the source names them: a justice person record, keyed by the source
        # system and source_person_id, which record linkage ties to a program person.
        Field(
            "first_name", "text", "The person's first name as the source spells it.", max_length=100
        ),
        Field("last_name", "text", "The person's surname as the source spells it.", max_length=100),
        Field("date_of_birth", "date", "The person's date of birth."),
        Field("sex", "code", "The person's sex as the source records it.", SEXES),
        Field("race", "code", "The person's race as the source records it.", RACES),
    )
}

# Fields that describe the person, not the record; only rows that carry their own person
# (arrests, bookings) may map them. They fill the source's justice person record.
PERSON = ("first_name", "last_name", "date_of_birth", "sex", "race")
PERSON_KINDS = ("arrest", "booking")

# Fields a kind's mapping must name. A mapping that names a parent_key may leave out the
# INHERITED ones: each row then takes them from its parent where its own are empty.
_EVERY = {"source_key", "source_person_id", "occurred_on"}
REQUIRED = {kind: _EVERY | ({"disposition"} if kind == "disposition" else set()) for kind in KINDS}
INHERITED = ("source_person_id", "occurred_on", "nibrs", "level")

# Fields that take a value map in [codes.<field>].
CODED = ("statute", "level", "filed", "disposition", "sex", "race")
