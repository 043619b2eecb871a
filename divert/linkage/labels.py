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


class AlreadyDecided(Exception):
    """The pair has an answer in force; another answer needs it undone first (HTTP 409), so a
    stale page or a second reviewer cannot turn it over unseen."""

    def __init__(self, label: PairDecision) -> None:
        self.label = label
        who = label.decided_by.get_username() if label.decided_by else "the engine"
        super().__init__(
            f"these two were already decided “{label.get_decision_display()}” by {who} "
            f"on {timezone.localdate(label.decided_at).isoformat()}; undo that decision first"
        )


def refuse_other_answer(label: PairDecision | None, decision: str) -> PairDecision | None:
    """The pair's answer if it is this one (a double submit), None if it has none in force;
    AlreadyDecided if it has another."""
    if label is None or label.decision == PairDecision.Decision.UNDONE:
        return None
    if label.decision != decision:
        raise AlreadyDecided(label)
    return label


def pair_score(*, side: str, jurisdiction_id: int, pair: tuple[int, int]) -> tuple[float, str]:
    """The engine's probability that two records of one side are one person, and the model's
    version: what a decision's label records, worked out here rather than taken from a form."""
    from divert.linkage.prepare import record
    from divert.linkage.scoring import probability
    from divert.linkage.selectors import justice_frame, person_of, program_frame
    from divert.linkage.services import scorer_load

    if side == PairDecision.Side.PROGRAM:
        frame = program_frame(jurisdiction_id=jurisdiction_id, person_ids=list(pair))
    else:
        frame = justice_frame(jurisdiction_id=jurisdiction_id, ids=list(pair))
        frame["outside_ids"] = None  # each record's own system id differs by definition
    rows: dict[int, list[dict]] = {}
    for row in frame.astype(object).where(frame.notna(), None).to_dict("records"):
        rows.setdefault(person_of(row["unique_id"]), []).append(record(row))
    scorer = scorer_load()
    left, right = rows.get(pair[0], []), rows.get(pair[1], [])
    weights = [scorer.weight(a, b) for a in left for b in right]
    return (probability(max(weights)) if weights else 0.0), scorer.version


def label_record(
    *,
    user: Any,
    jurisdiction_id: int,
    side: str,
    pair: tuple[int, int],
    decision: str,
    score: tuple[float | None, str] = (None, ""),
    merge: PersonMerge | None = None,
) -> PairDecision:
    """Create or change the one decision of a pair (its history keeps the earlier ones).
    `score`: the engine's probability for the pair and its model version (pair_score)."""
    a, b = ordered(*pair)
    match_probability, model_version = score
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


def labels_list(*, jurisdiction_id: int) -> list[dict[str, Any]]:
    """Every reviewer's answer of the site: `kind` (link, program, justice), the two record
    ids, `same`, and the probability and model version the pair had when it was decided."""
    from divert.linkage.models import Link

    out = [
        {
            "kind": "link",
            "left_id": person,
            "right_id": justice,
            "same": status == Link.Status.CONFIRMED,
            "match_probability": prob,
            "model_version": version,
        }
        for person, justice, status, prob, version in Link.objects.filter(
            jurisdiction_id=jurisdiction_id,
            status__in=(Link.Status.CONFIRMED, Link.Status.REJECTED),
        )
        .order_by("pk")
        .values_list(
            "person_id", "justice_person_id", "status", "match_probability", "model_version"
        )
    ]
    decisions = PairDecision.objects.filter(
        jurisdiction_id=jurisdiction_id,
        decision__in=(PairDecision.Decision.SAME, PairDecision.Decision.DIFFERENT),
        decided_by__isnull=False,  # the engine's own "same" is no label
    ).order_by("pk")
    for side, a, b, decision, prob, version in decisions.values_list(
        "side", "first_id", "second_id", "decision", "match_probability", "model_version"
    ):
        out.append(
            {
                "kind": side,
                "left_id": a,
                "right_id": b,
                "same": decision == PairDecision.Decision.SAME,
                "match_probability": prob,
                "model_version": version,
            }
        )
    return out


def labels_scored(*, jurisdiction_id: int, model: Any) -> list[dict[str, Any]]:
    """The labels, each scored afresh by `model` (`model_probability`; aliases count: a
    person's best name wins). Records are read as they are now."""
    from divert.linkage import engine
    from divert.linkage.selectors import justice_frame, person_of, program_frame

    found = labels_list(jurisdiction_id=jurisdiction_id)
    if not found:
        return []
    program = program_frame(jurisdiction_id=jurisdiction_id)
    program["person"] = program.unique_id.map(person_of)
    justice = justice_frame(jurisdiction_id=jurisdiction_id)
    justice["outside_ids"] = None  # a record's own system id is no evidence either way
    justice["person"] = justice.unique_id.astype(int)
    frames = {"program": program, "justice": justice}
    by_left: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for label in found:
        by_left.setdefault((label["kind"], label["left_id"]), []).append(label)
    for (kind, left_id), group in by_left.items():
        left = frames["justice" if kind == "justice" else "program"]
        right = frames["program" if kind == "program" else "justice"]
        rows = left[left.person == left_id].drop(columns="person")
        partners = {g["right_id"] for g in group}
        others = right[right.person.isin(partners)].drop(columns="person")
        best: dict[int, float] = {}
        for _, record in rows.iterrows():
            scored = engine.score(model, record.to_dict(), others)
            for right_id, prob in zip(scored.right_id, scored.match_probability, strict=True):
                pk = person_of(right_id)
                best[pk] = max(best.get(pk, 0.0), float(prob))
        for g in group:
            g["model_probability"] = best.get(g["right_id"], 0.0)
    return found


def labels_evaluate(*, jurisdiction_id: int, model: Any) -> dict[str, Any]:
    """Precision and recall of `model` against the reviewers' labels, at both thresholds.

    The labels are the pairs the engine was unsure of (or found as duplicates), not a sample
    of all pairs: the figures say how the model does where it matters, not overall.
    """
    scored = labels_scored(jurisdiction_id=jurisdiction_id, model=model)
    out: dict[str, Any] = {
        "model_version": model.version,
        "labels": len(scored),
        "same": sum(s["same"] for s in scored),
        "different": sum(not s["same"] for s in scored),
    }
    for name, threshold in (("review", model.thresholds.review), ("link", model.thresholds.link)):
        tp = sum(s["same"] and s["model_probability"] >= threshold for s in scored)
        fp = sum(not s["same"] and s["model_probability"] >= threshold for s in scored)
        fn = sum(s["same"] and s["model_probability"] < threshold for s in scored)
        out[name] = {
            "threshold": threshold,
            "precision": tp / (tp + fp) if tp + fp else None,
            "recall": tp / (tp + fn) if tp + fn else None,
            "true_positives": tp,
            "false_positives": fp,
            "false_negatives": fn,
        }
    return out


class TooFewLabels(ValueError):
    """Not enough confirmed links to learn from."""


def labels_train(
    *, jurisdiction_id: int, base: Any, min_labels: int = 30, engine_name: str = "duckdb"
) -> Any:
    """A model trained on the site's own people, its reviewers' confirmed links included.

    EM learns from the site's program and justice people as every training does; the
    confirmed links add Splink's estimate of m from labelled pairs. Rejected links cannot
    say what a match looks like, so they only count in `labels_evaluate`.
    """
    from divert.linkage import engine
    from divert.linkage.models import Link
    from divert.linkage.selectors import justice_frame, program_frame

    confirmed = [
        (str(person), str(justice))
        for person, justice in Link.objects.filter(
            jurisdiction_id=jurisdiction_id, status=Link.Status.CONFIRMED
        )
        .order_by("pk")
        .values_list("person_id", "justice_person_id")
    ]
    if len(confirmed) < min_labels:
        raise TooFewLabels(
            f"{len(confirmed)} confirmed link(s); at least {min_labels} are needed to learn "
            "from (confirm links in the link review, or lower --min-labels)"
        )
    left = program_frame(jurisdiction_id=jurisdiction_id)
    right = justice_frame(jurisdiction_id=jurisdiction_id)
    return engine.train(left, right, settings=base, engine=engine_name, matches=confirmed)
