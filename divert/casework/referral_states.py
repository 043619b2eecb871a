"""The order of a service referral's states, closed-loop: pure Python.

sent → accepted or declined; accepted → in progress (or not completed); in progress →
completed or not completed. The case manager may cancel a referral still open.
"""

SENT, ACCEPTED, DECLINED = "sent", "accepted", "declined"
IN_PROGRESS, COMPLETED, NOT_COMPLETED, CANCELLED = (
    "in_progress",
    "completed",
    "not_completed",
    "cancelled",
)

NEXT = {
    SENT: (ACCEPTED, DECLINED, CANCELLED),
    ACCEPTED: (IN_PROGRESS, NOT_COMPLETED, CANCELLED),
    IN_PROGRESS: (COMPLETED, NOT_COMPLETED, CANCELLED),
}
OPEN = tuple(NEXT)
CLOSED = (DECLINED, COMPLETED, NOT_COMPLETED, CANCELLED)
# The provider answers the referral; only the referring side withdraws it.
PROVIDER_MOVES = frozenset({ACCEPTED, DECLINED, IN_PROGRESS, COMPLETED, NOT_COMPLETED})

OUTCOMES = (
    "client_refused",
    "lack_of_capacity",
    "no_longer_needed",
    "unable_to_contact_client",
    "unable_to_contact_provider",
    "other",
)


def move_problems(
    current: str, target: str, *, reason: str = "", outcome: str = "", outcome_note: str = ""
) -> dict[str, str]:
    """Field errors for moving a referral from `current` to `target`; {} when allowed."""
    if target not in NEXT.get(current, ()):
        allowed = ", ".join(NEXT.get(current, ())) or "nothing: the referral is closed"
        return {"status": f"cannot go from {current} to {target}; next may be {allowed}"}
    if target == DECLINED and not reason.strip():
        return {"reason": "say why the referral is declined"}
    if target == NOT_COMPLETED:
        if outcome not in OUTCOMES:
            return {"outcome": f"must be one of {', '.join(OUTCOMES)}"}
        if outcome == "other" and not outcome_note.strip():
            return {"outcome_note": "say what happened"}
    return {}
