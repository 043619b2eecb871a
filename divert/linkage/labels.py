"""Reviewers' decisions as labels: stored pair by pair, read back to evaluate the model.

Link review decisions live on `Link` (confirmed or rejected); merge review decisions, and
decisions about two justice records, are `PairDecision` rows.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from divert.linkage.models import PairDecision, PersonMerge


def ordered(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def label_record(
    *,
    user: Any,
    jurisdiction_id: int,
    side: str,
    pair: tuple[int, int],
    decision: str,
    match_probability: float | None = None,
    model_version: str = "",
    merge: PersonMerge | None = None,
) -> PairDecision:
    """Create or change the one decision of a pair (its history keeps the earlier ones)."""
    a, b = ordered(*pair)
    label, _ = PairDecision.objects.update_or_create(
        jurisdiction_id=jurisdiction_id,
        side=side,
        first_id=a,
        second_id=b,
        defaults={
            "decision": decision,
            "match_probability": match_probability,
            "model_version": model_version or "",
            "merge": merge,
            "decided_by": user,
            "decided_at": timezone.now(),
        },
    )
    return label

