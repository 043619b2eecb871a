"""Words the policy files and the cases share, beyond the NIBRS vocabulary.

The NIBRS codes, activities and drugs live in divert.nibrs; this module only adds
the words that belong to eligibility screening (flags, pathways, dispositions).

>>> "no_contact_order" in FLAGS
True
"""

from __future__ import annotations

from typing import Literal, get_args

from divert import nibrs

Activity = Literal[
    "possess",
    "use",
    "subsistence_sale",
    "sale_for_profit",
    "manufacture",
    "solicit",
    "promote",
    "purchase",
    "other",
]
Drug = Literal[
    "heroin",
    "fentanyl",
    "other_opioid",
    "prescription_opioid_pills",
    "cocaine",
    "crack",
    "methamphetamine",
    "cannabis",
    "other",
]
Flag = Literal[
    "no_contact_order",
    "open_violent_case",
    "open_weapons_case",
    "confidential_informant",
    "on_probation",
    "on_parole",
    "sale_to_minor",
    "school_zone",
    "exploitation_of_minor",
]
Pathway = Literal["arrest_diversion", "social_contact", "community"]
# What happened to a prior charge. "pending" marks an open case.
Disposition = Literal["convicted", "pending", "charged", "arrested", "dismissed", "acquitted"]
# Which dispositions a history rule counts.
Counts = Literal["convicted", "any"]
# What a site does with people under probation or parole supervision.
SupervisionRule = Literal["allowed", "approval", "excluded"]

FLAGS: tuple[str, ...] = get_args(Flag)
PATHWAYS: tuple[str, ...] = get_args(Pathway)
FAMILIES: frozenset[str] = frozenset(o.family for o in nibrs.OFFENSES.values())

# The Literals above are spelled out so pydantic and type checkers see them; this keeps
# them from drifting away from divert.nibrs, which stays the single source.
assert get_args(Activity) == nibrs.ACTIVITIES, "Activity drifted from nibrs.ACTIVITIES"
assert get_args(Drug) == nibrs.DRUGS, "Drug drifted from nibrs.DRUGS"


def nibrs_code(value: object) -> str:
    """Normalise and check a NIBRS code; raises ValueError naming the code.

    >>> nibrs_code(" 35a ")
    '35A'
    """
    if not isinstance(value, str):
        raise ValueError("a NIBRS code must be a string such as '35A'")
    try:
        return nibrs.offense(value).code
    except nibrs.UnknownOffenseCode as exc:
        raise ValueError(str(exc)) from None
