"""Deduplication within the program side: find likely duplicates, merge, undo a merge.

A merge moves every row that points at the merged person (names, identifiers, encounters,
referrals, screenings, enrollments, releases, justice events, links) onto the kept person
and lists them; both Person rows and their histories stay. The merged person drops out of
search (its name keys go) until an undo moves exactly the listed rows back.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone

from divert.access import Action, Kind, require
from divert.audit.services import audit_record
from divert.linkage.cached import dedupe_pairs
from divert.linkage.labels import label_record, ordered, pair_score, refuse_other_answer
from divert.linkage.models import PairDecision, PersonMerge
from divert.linkage.selectors import person_of, program_frame
from divert.people.models import NameKey, Person
from divert.people.search import person_reindex

# Derived rows: rebuilt for the kept person, not moved.
_DERIVED = {"people.namekey"}


def person_duplicates_find(*, user: Any, limit: int = 200) -> list[dict[str, Any]]:
    """Pairs of the user's site's people the engine scores at or above review, likeliest first."""
    from divert.linkage.services import model_load

    require(user, Action.VIEW, Kind.LINK)
    model = model_load()
    merged_away = PersonMerge.objects.filter(
        jurisdiction_id=user.jurisdiction_id, undone_at__isnull=True
    ).values_list("merged_id", flat=True)
    people = program_frame(jurisdiction_id=user.jurisdiction_id)
    gone = {str(pk) for pk in merged_away}
    people = people[~people.unique_id.map(lambda u: str(person_of(u)) in gone)]
    best: dict[tuple[int, int], float] = {}
    for left, right, prob in dedupe_pairs(model, people):
        a, b = sorted((person_of(left), person_of(right)))
        if a != b:
            best[(a, b)] = max(best.get((a, b), 0.0), float(prob))
    ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return [
        {"person_id": a, "other_id": b, "match_probability": p, "model_version": model.version}
        for (a, b), p in ranked
    ]


def _relations():
    for rel in Person._meta.related_objects:
        if rel.one_to_many and rel.related_model._meta.label_lower not in _DERIVED:
            yield rel.related_model, rel.field.name


def person_merge(
    *,
    user: Any,
    kept_id: int,
    merged_id: int,
    reason: str,
) -> PersonMerge:
    """Merge `merged_id` into `kept_id` (same site; neither already merged away, and not
    decided "not the same" in the merge review)."""
    reason = " ".join((reason or "").split())
    if len(reason) < 3:
        raise ValidationError({"reason": "say why these are the same person"})
    if kept_id == merged_id:
        raise ValidationError({"merged_id": "a person cannot be merged into themself"})
    with transaction.atomic():
        kept = get_object_or_404(Person, pk=kept_id)
        merged = get_object_or_404(Person, pk=merged_id)
        require(user, Action.CHANGE, Kind.LINK, kept)
        require(user, Action.CHANGE, Kind.LINK, merged)
        if (
            kept.jurisdiction_id != user.jurisdiction_id
            or merged.jurisdiction_id != kept.jurisdiction_id
        ):
            raise ValidationError({"merged_id": "both people must be of your site"})
        Person.objects.select_for_update().filter(pk__in=[kept.pk, merged.pk]).exists()
        if PersonMerge.objects.filter(merged__in=[kept, merged], undone_at__isnull=True).exists():
            raise ValidationError({"merged_id": "one of these people is already merged away"})
        pair = ordered(kept.pk, merged.pk)
        refuse_other_answer(
            PairDecision.objects.filter(
                jurisdiction_id=kept.jurisdiction_id,
                side=PairDecision.Side.PROGRAM,
                first_id=pair[0],
                second_id=pair[1],
            ).first(),
            PairDecision.Decision.SAME,
        )
        match_probability, model_version = score = pair_score(
            side=PairDecision.Side.PROGRAM, jurisdiction_id=kept.jurisdiction_id, pair=pair
        )
        moved: dict[str, list[int]] = {}
        for model, field in _relations():
            for pk in model.objects.filter(**{field: merged}).values_list("pk", flat=True):
                try:
                    with transaction.atomic():
                        model.objects.filter(pk=pk).update(**{field: kept})
                except IntegrityError:
                    continue  # the kept person has the same row already; this one stays
                moved.setdefault(model._meta.label_lower, []).append(pk)
        merge = PersonMerge(
            jurisdiction_id=kept.jurisdiction_id,
            kept=kept,
            merged=merged,
            match_probability=match_probability,
            model_version=model_version[:80],
            reason=reason[:300],
            moved=moved,
            merged_by=user,
            merged_at=timezone.now(),
        )
        merge.save()
        label_record(
            user=user,
            jurisdiction_id=kept.jurisdiction_id,
            side=PairDecision.Side.PROGRAM,
            pair=(kept.pk, merged.pk),
            decision=PairDecision.Decision.SAME,
            score=score,
            merge=merge,
        )
        NameKey.objects.filter(person=merged).delete()
        person_reindex(kept)
        audit_record(
            action="merge",
            kind=Kind.PERSON.value,
            outcome="success",
            object_id=kept.pk,
            jurisdiction_id=kept.jurisdiction_id,
            user=user,
            detail={"merge": merge.pk, "merged": merged.pk, "moved": moved},
        )
    return merge


def person_merge_undo(*, user: Any, merge_id: int) -> PersonMerge:
    """Move exactly the rows a merge moved back to the merged person."""
    with transaction.atomic():
        merge = get_object_or_404(PersonMerge.objects.select_related("kept", "merged"), pk=merge_id)
        require(user, Action.CHANGE, Kind.LINK, merge)
        merge = (
            PersonMerge.objects.select_for_update()
            .select_related("kept", "merged")
            .get(pk=merge.pk)
        )
        if merge.undone_at is not None:
            return merge  # a double submit changes nothing
        for label, pks in merge.moved.items():
            model = apps.get_model(label)
            field = next(f for m, f in _relations() if m is model)
            model.objects.filter(pk__in=pks, **{field: merge.kept}).update(**{field: merge.merged})
        merge.undone_by, merge.undone_at = user, timezone.now()
        merge.save()
        for label in PairDecision.objects.filter(merge=merge):
            label.decision, label.decided_by = PairDecision.Decision.UNDONE, user
            label.decided_at = merge.undone_at
            label.save()
        person_reindex(merge.merged)
        person_reindex(merge.kept)
        audit_record(
            action="merge_undo",
            kind=Kind.PERSON.value,
            outcome="success",
            object_id=merge.kept_id,
            jurisdiction_id=merge.jurisdiction_id,
            user=user,
            detail={"merge": merge.pk, "merged": merge.merged_id, "moved": merge.moved},
        )
    return merge
