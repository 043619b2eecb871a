"""Before a person is created: is this someone the site already has? The same engine decides.

Candidates come from the name index (phonetic keys, nicknames, both name orders), then the
engine scores each against what was typed; anyone at or above the review threshold is a
possible duplicate. The person's choice (use the existing person, or create anyway) is
recorded in the audit trail.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError

from divert.audit.services import audit_record
from divert.linkage import engine
from divert.linkage.selectors import person_of, program_frame
from divert.people.models import Person

MAX_CANDIDATES = 20


class PossibleDuplicate(ValidationError):
    """Raised instead of creating a person who may already exist; `candidates` says who."""

    def __init__(self, candidates: list[tuple[Person, float]], *, named: bool = True):
        self.candidates = candidates
        if not named:
            # Partners look no one up: they learn only that the program may know the person.
            super().__init__(
                {
                    "create_anyway": "The program may already know this person. Refer that "
                    "person, or confirm that this is someone new (create_anyway)."
                }
            )
            return
        names = "; ".join(
            f"{p.first_name} {p.last_name}"
            + (f" (born {p.date_of_birth.year})" if p.date_of_birth else "")
            + f", id {p.pk}"
            for p, _ in candidates
        )
        super().__init__(
            {
                "create_anyway": (
                    f"This may be the same person as {names}. Use that person, or confirm "
                    "that this is someone new (create_anyway)."
                )
            }
        )


def possible_duplicates(
    *,
    jurisdiction_id: int,
    first_name: str,
    last_name: str,
    date_of_birth: datetime.date | None = None,
    dob_precision: str = "day",
    sex: str = "",
    race: str = "",
    limit: int = 3,
) -> list[tuple[Person, float]]:
    """People of the site the engine scores at or above review, most likely first."""
    from divert.linkage.selectors import _dob
    from divert.linkage.services import model_load
    from divert.people.search import person_search

    found = person_search(
        jurisdiction_id=jurisdiction_id,
        query=f"{first_name} {last_name}",
        dob=date_of_birth,
        limit=MAX_CANDIDATES,
    )
    if not found:
        return []
    people = {p.pk: p for p, _ in found}
    candidates = program_frame(jurisdiction_id=jurisdiction_id, person_ids=list(people))
    model = model_load()
    record = {
        "first_name": first_name,
        "last_name": last_name,
        **_dob(date_of_birth, dob_precision),
        "sex": None if sex in ("", "unknown") else sex,
        "race": None if race in ("", "unknown") else race,
    }
    scored = engine.score(model, record, candidates)
    best: dict[int, float] = {}
    for right, prob in zip(scored.right_id, scored.match_probability, strict=True):
        pk = person_of(right)
        best[pk] = max(best.get(pk, 0.0), float(prob))
    ranked = sorted(
        ((people[pk], prob) for pk, prob in best.items() if prob >= model.thresholds.review),
        key=lambda pair: (-pair[1], pair[0].pk),
    )
    return ranked[:limit]


def duplicate_choice_record(
    *, user: Any, choice: str, person: Person, candidates: list[tuple[Person, float]]
) -> None:
    """Audit what was chosen when a warning was shown: `existing` or `new`."""
    audit_record(
        action="duplicate_choice",
        kind="person",
        outcome="success",
        object_id=person.pk,
        jurisdiction_id=person.jurisdiction_id,
        user=user,
        detail={
            "choice": choice,
            "candidates": [
                {"person": p.pk, "probability": round(prob, 4)} for p, prob in candidates
            ],
        },
    )
