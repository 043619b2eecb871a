"""The reassessment's three measures and their codes, compared over time by the evaluation.

Housing follows HUD's living-situation groups; employment is a continuum from not working
to full time, so movement along it counts as progress.
"""

HOUSING = [
    ("unsheltered", "Unsheltered (outside, vehicle, tent)"),
    ("shelter", "Emergency shelter"),
    ("with_others", "Staying with friends or family"),
    ("transitional", "Transitional or supportive housing"),
    ("rental", "Rented place"),
    ("owned", "Owned place"),
    ("institution", "Jail, hospital or treatment"),
    ("unknown", "Unknown or declined"),
]

EMPLOYMENT = [
    ("unable", "Unable to work"),
    ("not_looking", "Not working, not looking"),
    ("looking", "Looking for work"),
    ("training", "In training or education"),
    ("informal", "Informal or day labor"),
    ("part_time", "Part time"),
    ("full_time", "Full time"),
    ("unknown", "Unknown or declined"),
]

INCOME = [
    ("none", "None"),
    ("earned", "Earned income"),
    ("ssi_ssdi", "SSI or SSDI"),
    ("general_assistance", "General or cash assistance"),
    ("snap", "Food benefits (SNAP)"),
    ("medicaid", "Medicaid"),
    ("unemployment", "Unemployment insurance"),
    ("veterans", "Veterans' benefits"),
    ("other", "Other"),
]

INCOME_CODES = [code for code, _ in INCOME]


# How the reassessment's codes map onto the canonical `monthly_status` columns the evaluation
# reads (docs/data-model.md): the same outcomes, whether real or synthetic.
HOUSING_GROUP = {
    "unsheltered": "unsheltered",
    "shelter": "sheltered",
    "with_others": "sheltered",
    "transitional": "sheltered",
    "institution": "sheltered",
    "rental": "permanent",
    "owned": "permanent",
    "unknown": None,
}
CONTINUUM = frozenset({"looking", "training", "informal", "part_time", "full_time"})


def monthly_status_values(housing: str, employment: str, income: list[str]) -> dict:
    """The reassessment as the evaluation's monthly_status columns.

    >>> monthly_status_values("shelter", "informal", ["snap"])
    {'housing': 'sheltered', 'employment_continuum': True, 'income_or_benefits': True}
    """
    return {
        "housing": HOUSING_GROUP.get(housing),
        "employment_continuum": employment in CONTINUUM,
        "income_or_benefits": any(code != "none" for code in income),
    }
