"""The program's own words, spelled once: referral pathways and court dispositions.

Pure Python. The eligibility engine's types, the database's choices and the importers'
value maps all come from here (roles live beside them in divert.staff.roles).

>>> Pathway("social_contact").label
'Social contact'
>>> disposition_word(" Pled Guilty ")
'convicted'
"""

from enum import StrEnum


class Pathway(StrEnum):
    """The three ways into LEAD."""

    ARREST_DIVERSION = "arrest_diversion"
    SOCIAL_CONTACT = "social_contact"
    COMMUNITY = "community"

    @property
    def label(self) -> str:
        return _PATHWAY_LABELS[self]


_PATHWAY_LABELS = {
    Pathway.ARREST_DIVERSION: "Arrest diversion",
    Pathway.SOCIAL_CONTACT: "Social contact",
    Pathway.COMMUNITY: "Community referral",
}

# Officers refer through these two; partners through the community pathway.
OFFICER_PATHWAYS = (Pathway.ARREST_DIVERSION, Pathway.SOCIAL_CONTACT)


class Disposition(StrEnum):
    """What became of a prior charge, in the screening engine's words."""

    CONVICTED = "convicted"
    PENDING = "pending"
    CHARGED = "charged"
    ARRESTED = "arrested"
    DISMISSED = "dismissed"
    ACQUITTED = "acquitted"


# How jail and court systems write dispositions, mapped to ours. Sites with other
# spellings map them in their import mapping files.
DISPOSITION_SPELLINGS = {
    "convicted": Disposition.CONVICTED,
    "guilty": Disposition.CONVICTED,
    "guilty plea": Disposition.CONVICTED,
    "pled guilty": Disposition.CONVICTED,
    "dismissed": Disposition.DISMISSED,
    "acquitted": Disposition.ACQUITTED,
    "not guilty": Disposition.ACQUITTED,
    "pending": Disposition.PENDING,
}


def disposition_word(text: str) -> str | None:
    """Our word for a disposition as another system spelled it, or None if unknown."""
    found = DISPOSITION_SPELLINGS.get(" ".join(text.split()).lower())
    return found.value if found else None
