"""The enrollment life cycle. Pure Python.

LEAD is harm reduction: nobody "fails out". A participant moves between active and
inactive for as long as they want services, and exits with a reason.

>>> can_move("active", "inactive")
True
>>> can_move("active", "failed")
False
"""

REFERRED = "referred"
INTAKE_PENDING = "intake_pending"
ACTIVE = "active"
INACTIVE = "inactive"
EXITED = "exited"

STATUSES = (REFERRED, INTAKE_PENDING, ACTIVE, INACTIVE, EXITED)

TRANSITIONS: dict[str, frozenset[str]] = {
    REFERRED: frozenset({INTAKE_PENDING, EXITED}),
    INTAKE_PENDING: frozenset({ACTIVE, EXITED}),
    ACTIVE: frozenset({INACTIVE, EXITED}),
    INACTIVE: frozenset({ACTIVE, EXITED}),
    EXITED: frozenset(),
}

# divert's own exit reasons; a site adds its own in its policy file ([[exit_reasons]]).
# None of them is a failure: nobody is "non-compliant" in harm reduction.
EXIT_REASON_LABELS = {
    "completed_goals": "Completed their goals",
    "chose_to_leave": "Chose to leave",
    "moved_away": "Moved away",
    "no_contact_12_months": "No contact for 12 months",
    "intake_not_completed": "Intake never completed",
    "incarcerated_long_term": "Incarcerated long term",
    "deceased": "Deceased",
    "other": "Other",
}
EXIT_REASONS = tuple(EXIT_REASON_LABELS)


def can_move(current: str, new: str) -> bool:
    return new in TRANSITIONS.get(current, frozenset())


# Every status short of exit: each one counts against a case manager's caseload (a new
# hand-off is work from the moment it arrives), and a person holds at most one at a time.
OPEN_STATUSES = (REFERRED, INTAKE_PENDING, ACTIVE, INACTIVE)


def is_open(status: str) -> bool:
    """Counts against a case manager's caseload."""
    return status in OPEN_STATUSES
