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
    "exploitation_of_adult",
    "restraining_order",
    "anti_harassment_order",
    "order_protects_participant",
    "pending_specialty_court",
]
Pathway = Literal["arrest_diversion", "social_contact", "community"]
# How a social contact's earlier activity was verified (Cal. Penal Code §1001.87(a)(2)(A)):
# police or court records, an officer's direct observation, or a reliable basis of
# information (a first responder, a professional, a credible community member).
VerificationSource = Literal["records", "observation", "reliable_information"]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
# What happened to a prior charge. "pending" marks an open case.
Disposition = Literal["convicted", "pending", "charged", "arrested", "dismissed", "acquitted"]
# Which dispositions a history rule counts.
Counts = Literal["convicted", "any"]
# What a site does with people under probation or parole supervision.
SupervisionRule = Literal["allowed", "approval", "excluded"]

FLAGS: tuple[str, ...] = get_args(Flag)
# The flags that say a protective order bars the person from contact with someone.
ORDER_FLAGS: tuple[str, ...] = ("no_contact_order", "restraining_order", "anti_harassment_order")
OrderFlag = Literal["no_contact_order", "restraining_order", "anti_harassment_order"]
WEEKDAYS: tuple[str, ...] = get_args(Weekday)
VERIFICATION_SOURCES: tuple[str, ...] = get_args(VerificationSource)
PATHWAYS: tuple[str, ...] = get_args(Pathway)
FAMILIES: frozenset[str] = frozenset(o.family for o in nibrs.OFFENSES.values())

# The Literals above are spelled out so pydantic and type checkers see them; this keeps
# them from drifting away from divert.nibrs, which stays the single source.
assert get_args(Activity) == nibrs.ACTIVITIES, "Activity drifted from nibrs.ACTIVITIES"
assert get_args(Drug) == nibrs.DRUGS, "Drug drifted from nibrs.DRUGS"
assert set(get_args(OrderFlag)) <= set(FLAGS), "an order flag is not a case flag"


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
