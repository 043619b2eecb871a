"""Deduplication within the justice side: one person booked under two ids (two systems, or a
system that gave the same person a second id under a variant name).

The engine scores the site's justice persons against each other with the person model. A
pair at or above the link threshold is the same person without review (a `PairDecision` with
no reviewer); a pair between the review and the link threshold waits for a reviewer (the
API). A pair decided "same" shares its links: a program person linked to one record is
linked to the other, so the second record's bookings reach the person's case manager too.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone

from divert.access import Action, Kind, require
from divert.audit.services import audit_record
from divert.linkage import engine
from divert.linkage.cached import dedupe_pairs
from divert.linkage.labels import label_record, ordered, pair_score, refuse_other_answer
from divert.linkage.models import JusticePerson, Link, PairDecision
from divert.linkage.selectors import justice_frame

Side = PairDecision.Side
Decision = PairDecision.Decision
IN_FORCE = (Link.Status.AUTO, Link.Status.CONFIRMED)


def justice_pairs(*, jurisdiction_id: int, model: engine.Model) -> list[tuple[int, int, float]]:
    """(first id, second id, probability) of justice persons at or above review."""
    people = justice_frame(jurisdiction_id=jurisdiction_id)
    # Each record carries its own system id, which by definition differs from the other's.
    people["outside_ids"] = None
    best: dict[tuple[int, int], float] = {}
    for left, right, prob in dedupe_pairs(model, people):
        key = ordered(int(left), int(right))
        best[key] = max(best.get(key, 0.0), float(prob))
    return sorted(((a, b, p) for (a, b), p in best.items()), key=lambda t: (-t[2], t[0], t[1]))


def justice_dedupe(*, jurisdiction_id: int, model: engine.Model) -> dict[str, int]:
    """Record the engine's "same" for pairs at or above link; never over a reviewer's answer."""
    decided = {
        (d.first_id, d.second_id): d
        for d in PairDecision.objects.filter(jurisdiction_id=jurisdiction_id, side=Side.JUSTICE)
    }
    counts = {"same": 0, "review": 0}
    for a, b, prob in justice_pairs(jurisdiction_id=jurisdiction_id, model=model):
        current = decided.get((a, b))
        if prob < model.thresholds.link:
            counts["review"] += current is None or current.decision == Decision.UNDONE
            continue
        if current is not None and current.decided_by_id is not None:
            continue  # a reviewer's answer stands
        if current is None:
            label_record(
                user=None,
                jurisdiction_id=jurisdiction_id,
                side=Side.JUSTICE,
                pair=(a, b),
                decision=Decision.SAME,
                score=(prob, model.version),
            )
            counts["same"] += 1
    return counts


def justice_review_queue(*, user: Any, limit: int = 200) -> list[dict[str, Any]]:
    """Pairs between the thresholds no one has decided, likeliest first."""
    from divert.linkage.services import model_load

    require(user, Action.VIEW, Kind.LINK)
    model = model_load()
    decided = set(
        PairDecision.objects.filter(
            jurisdiction_id=user.jurisdiction_id,
            side=Side.JUSTICE,
            decision__in=(Decision.SAME, Decision.DIFFERENT),
        ).values_list("first_id", "second_id")
    )
    return [
        {"first_id": a, "second_id": b, "match_probability": p, "model_version": model.version}
        for a, b, p in justice_pairs(jurisdiction_id=user.jurisdiction_id, model=model)
        if (a, b) not in decided
    ][:limit]


def justice_recent(*, user: Any, limit: int = 20) -> list[PairDecision]:
    """The latest decisions about justice pairs, the engine's included, newest first."""
    require(user, Action.VIEW, Kind.LINK)
    return list(
        PairDecision.objects.filter(jurisdiction_id=user.jurisdiction_id, side=Side.JUSTICE)
        .select_related("decided_by")
        .order_by("-decided_at", "-pk")[:limit]
    )


def justice_pair_decide(*, user: Any, first_id: int, second_id: int, decision: str) -> PairDecision:
    """A reviewer's "same" or "different" for two justice records; "same" shares their links.
    A repeat changes nothing; another answer to a pair decided already is refused."""
    if decision not in (Decision.SAME, Decision.DIFFERENT):
        raise ValidationError({"decision": "one of same, different"})
    if first_id == second_id:
        raise ValidationError({"second_id": "a record cannot be its own duplicate"})
    from divert.linkage.services import _tie_events as tie_events

    a, b = ordered(first_id, second_id)
    with transaction.atomic():
        # Both records locked, the smaller id first: of two answers to one pair at once, the
        # second waits, then sees the first.
        for pk in (a, b):
            record = get_object_or_404(JusticePerson.objects.select_for_update(), pk=pk)
            require(user, Action.CHANGE, Kind.LINK, record)
        current = PairDecision.objects.filter(
            jurisdiction_id=record.jurisdiction_id, side=Side.JUSTICE, first_id=a, second_id=b
        ).first()
        if refuse_other_answer(current, decision) is not None:
            return current  # a double submit
        label = label_record(
            user=user,
            jurisdiction_id=record.jurisdiction_id,
            side=Side.JUSTICE,
            pair=(a, b),
            decision=decision,
            score=pair_score(
                side=Side.JUSTICE, jurisdiction_id=record.jurisdiction_id, pair=(a, b)
            ),
        )
        shared = share_links(record.jurisdiction_id)
        tie_events(record.jurisdiction_id, shared)
        audit_record(
            action="change",
            kind=Kind.LINK.value,
            outcome="success",
            object_id=label.pk,
            jurisdiction_id=record.jurisdiction_id,
            user=user,
            detail={"justice_pair": [a, b], "decision": decision, "links_shared": len(shared)},
        )
    return label


def share_links(jurisdiction_id: int) -> list[int]:
    """Give each record of a "same" pair the links in force of the other; the justice records
    given a link, one entry per link made.

    A link a reviewer rejected stays rejected; a record already linked in force to someone
    else gets the new link for review, not in force.
    """
    same = list(
        PairDecision.objects.filter(
            jurisdiction_id=jurisdiction_id, side=Side.JUSTICE, decision=Decision.SAME
        ).values_list("pk", "first_id", "second_id", "match_probability")
    )
    if not same:
        return []
    made: list[int] = []
    for _ in range(5):  # chains of records: a few rounds reach every member
        links = {
            (link.person_id, link.justice_person_id): link
            for link in Link.objects.filter(jurisdiction_id=jurisdiction_id)
        }
        in_force: dict[int, list[Link]] = {}
        for link in links.values():
            if link.status in IN_FORCE:
                in_force.setdefault(link.justice_person_id, []).append(link)
        changed: list[int] = []
        for pair, a, b, pair_prob in same:
            for src, dst in ((a, b), (b, a)):
                for link in in_force.get(src, []):
                    existing = links.get((link.person_id, dst))
                    others = [x for x in in_force.get(dst, []) if x.person_id != link.person_id]
                    status = Link.Status.REVIEW if others else Link.Status.AUTO
                    prob = min(link.match_probability, pair_prob or link.match_probability)
                    if existing is None:
                        Link.objects.create(
                            jurisdiction_id=jurisdiction_id,
                            person_id=link.person_id,
                            justice_person_id=dst,
                            match_probability=prob,
                            match_weight=link.match_weight,
                            model_version=link.model_version,
                            status=status,
                            via_pair_id=pair,
                        )
                        changed.append(dst)
                    elif existing.status == Link.Status.REVIEW and status == Link.Status.AUTO:
                        existing.status = Link.Status.AUTO
                        existing.via_pair_id, existing.before_pair = pair, Link.Status.REVIEW
                        existing._change_reason = "the same justice person as a linked record"
                        existing.save()
                        changed.append(dst)
        made += changed
        if not changed:
            break
    return made


def justice_pair_undo(*, user: Any, decision_id: int) -> PairDecision:
    """Undo a "same" or "different" about two justice records, the engine's or a reviewer's.

    The pair waits for review again, and the engine will not decide it on its own. Links a
    "same" gave are withdrawn with their bookings, unless a reviewer has since decided them
    or another "same" pair still gives them.
    """
    from divert.linkage.services import _tie_events as tie_events

    with transaction.atomic():
        label = get_object_or_404(PairDecision, pk=decision_id, side=Side.JUSTICE)
        require(user, Action.CHANGE, Kind.LINK, label)
        label = PairDecision.objects.select_for_update().get(pk=label.pk)
        if label.decision == Decision.UNDONE:
            return label  # a double submit
        was = label.decision
        label.decision, label.decided_by, label.decided_at = Decision.UNDONE, user, timezone.now()
        label.save()
        withdrawn = _withdraw_shared(label.jurisdiction_id) if was == Decision.SAME else []
        tie_events(label.jurisdiction_id, withdrawn)  # another link may still claim them
        audit_record(
            action="change",
            kind=Kind.LINK.value,
            outcome="success",
            object_id=label.pk,
            jurisdiction_id=label.jurisdiction_id,
            user=user,
            detail={
                "justice_pair": [label.first_id, label.second_id],
                "decision": "undone",
                "was": was,
                "links_withdrawn": len(withdrawn),
            },
        )
    return label


def _withdraw_shared(jurisdiction_id: int) -> list[int]:
    """Take back the links justice pairs gave that the "same" pairs left no longer give and
    no reviewer has decided since; the justice records they were taken from, one per link."""
    from divert.linkage.services import _untie_events as untie_events

    group: dict[int, int] = {}  # union-find over the records of "same" pairs

    def root(x: int) -> int:
        while group.get(x, x) != x:
            x = group[x]
        return x

    for a, b in PairDecision.objects.filter(
        jurisdiction_id=jurisdiction_id, side=Side.JUSTICE, decision=Decision.SAME
    ).values_list("first_id", "second_id"):
        group[root(a)] = root(b)
    links = Link.objects.filter(jurisdiction_id=jurisdiction_id).select_related("justice_person")
    given = [k for k in links if k.via_pair_id and k.decided_by_id is None]
    reach = {
        (k.person_id, root(k.justice_person_id))
        for k in links
        if k.status in IN_FORCE and not (k.via_pair_id and k.decided_by_id is None)
    }
    taken: list[int] = []
    for link in given:
        if (link.person_id, root(link.justice_person_id)) in reach:
            continue
        untie_events(link)
        link._change_reason = "the justice pair that gave it was undone"
        if link.before_pair:
            link.status, link.via_pair, link.before_pair = link.before_pair, None, ""
            link.save()
        else:
            link.delete()
        taken.append(link.justice_person_id)
    return taken
