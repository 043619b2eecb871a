"""The merge review: likely duplicate program people, decided one pair at a time.

The engine proposes pairs (`merging.person_duplicates_find`); a reviewer says "same" (a
merge, which keeps both histories and can be undone) or "not the same". Every answer is a
`PairDecision`, so a decided pair leaves the queue, an undone one comes back, and the
answers are labels the model is evaluated against (`divert.linkage.labels`).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone

from divert.access import Action, Kind, require
from divert.audit.services import audit_record
from divert.casework import lifecycle
from divert.linkage import merging
from divert.linkage.labels import label_record, ordered, pair_score, refuse_other_answer
from divert.linkage.models import PairDecision
from divert.people.models import Person

Side = PairDecision.Side
Decision = PairDecision.Decision
DECIDED = (Decision.SAME, Decision.DIFFERENT)


def duplicate_queue(*, user: Any, limit: int = 30) -> list[dict[str, Any]]:
    """Undecided pairs of the user's site's people, likeliest first."""
    found = merging.person_duplicates_find(user=user, limit=limit + 200)
    decided = set(
        PairDecision.objects.filter(
            jurisdiction_id=user.jurisdiction_id, side=Side.PROGRAM, decision__in=DECIDED
        ).values_list("first_id", "second_id")
    )
    return [d for d in found if (d["person_id"], d["other_id"]) not in decided][:limit]


def kept_of(first: Person, second: Person) -> tuple[Person, Person]:
    """(kept, merged): the one with an open enrollment, else the older record, is kept."""

    def rank(p: Person) -> tuple[bool, int]:
        open_ = p.enrollments.filter(status__in=lifecycle.OPEN_STATUSES).exists()
        return (not open_, p.pk)

    kept, merged = sorted((first, second), key=rank)
    return kept, merged


def pair_decide(
    *,
    user: Any,
    first_id: int,
    second_id: int,
    decision: str,
) -> PairDecision:
    """Record "same" (a merge) or "different" for two program people; a repeat changes nothing,
    another answer to a pair decided already is refused (AlreadyDecided)."""
    if decision not in DECIDED:
        raise ValidationError({"decision": f"one of {', '.join(DECIDED)}"})
    if first_id == second_id:
        raise ValidationError({"second_id": "a person cannot be their own duplicate"})
    a, b = ordered(first_id, second_id)
    with transaction.atomic():
        # Both people locked, the smaller id first: of two answers to one pair at once, the
        # second waits, then sees the first.
        first = get_object_or_404(Person.objects.select_for_update(), pk=a)
        second = get_object_or_404(Person.objects.select_for_update(), pk=b)
        for person in (first, second):
            require(user, Action.CHANGE, Kind.LINK, person)
            if person.jurisdiction_id != user.jurisdiction_id:
                raise ValidationError({"second_id": "both people must be of your site"})
        current = (
            PairDecision.objects.select_for_update()
            .filter(
                jurisdiction_id=user.jurisdiction_id, side=Side.PROGRAM, first_id=a, second_id=b
            )
            .first()
        )
        if refuse_other_answer(current, decision) is not None:
            return current  # a double submit
        if decision == Decision.SAME:
            kept, merged = kept_of(first, second)
            merging.person_merge(
                user=user, kept_id=kept.pk, merged_id=merged.pk,
                reason="merge review: the same person",
            )  # fmt: skip
            return PairDecision.objects.get(
                jurisdiction_id=user.jurisdiction_id, side=Side.PROGRAM, first_id=a, second_id=b
            )
        label = label_record(
            user=user,
            jurisdiction_id=user.jurisdiction_id,
            side=Side.PROGRAM,
            pair=(a, b),
            decision=Decision.DIFFERENT,
            score=pair_score(side=Side.PROGRAM, jurisdiction_id=user.jurisdiction_id, pair=(a, b)),
        )
        audit_record(
            action="not_duplicate",
            kind=Kind.PERSON.value,
            outcome="success",
            object_id=a,
            jurisdiction_id=user.jurisdiction_id,
            user=user,
            detail={"pair_decision": label.pk, "other": b},
        )
    return label


def pair_undo(*, user: Any, decision_id: int) -> PairDecision:
    """Undo a decision: a merge is undone (every moved row moves back); the pair is queued again."""
    with transaction.atomic():
        label = get_object_or_404(PairDecision, pk=decision_id, side=Side.PROGRAM)
        require(user, Action.CHANGE, Kind.LINK, label)
        label = PairDecision.objects.select_for_update().get(pk=label.pk)
        if label.decision == Decision.UNDONE:
            return label  # a double submit
        if label.merge_id is not None and label.decision == Decision.SAME:
            merging.person_merge_undo(user=user, merge_id=label.merge_id)
            label.refresh_from_db()
            return label
        label.decision, label.decided_by, label.decided_at = Decision.UNDONE, user, timezone.now()
        label.save()
        audit_record(
            action="not_duplicate_undo",
            kind=Kind.PERSON.value,
            outcome="success",
            object_id=label.first_id,
            jurisdiction_id=label.jurisdiction_id,
            user=user,
            detail={"pair_decision": label.pk, "other": label.second_id},
        )
    return label


def recent_decisions(*, user: Any, limit: int = 10):
    require(user, Action.VIEW, Kind.LINK)
    return PairDecision.objects.filter(
        jurisdiction_id=user.jurisdiction_id, side=Side.PROGRAM
    ).select_related("decided_by", "merge")[:limit]
