"""Linkage over a site's tables, and the reviewer's decisions.

A run scores every program person (and alias) against every justice person of the site,
keeps pairs at or above the review threshold and stores them as links: the best candidate
of a justice person is linked automatically above the link threshold, every other pair
waits for review. A reviewer's decision is never overwritten by a later run. A link in
force ties the justice person's events to the program person.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from divert.access import Action, Kind, require, visible
from divert.audit.services import audit_record
from divert.jurisdictions.models import Jurisdiction
from divert.linkage import engine
from divert.linkage.justice_dedupe import justice_dedupe, share_links
from divert.linkage.models import JusticePerson, Link, LinkRun
from divert.linkage.scoring import Scorer
from divert.linkage.selectors import justice_frame, person_of, program_frame
from divert.records.models import JusticeEvent

DECISIONS = {"confirm": Link.Status.CONFIRMED, "reject": Link.Status.REJECTED}
DECIDED = (Link.Status.CONFIRMED, Link.Status.REJECTED)


def model_load(path: str | None = None) -> engine.Model:
    """The trained model in use (settings.DIVERT_LINKAGE_MODEL, else the shipped one), or the
    one at `path`; each file read once per process."""
    return _model(path or _in_use())


def scorer_load() -> Scorer:
    """The in-process scorer of the model in use (the officer's lookup, a decision's label)."""
    return _scorer(_in_use())


def _in_use() -> str:
    return settings.DIVERT_LINKAGE_MODEL or str(engine.DEFAULT_MODEL)


@functools.cache
def _model(path: str) -> engine.Model:
    return engine.load(Path(path))


@functools.cache
def _scorer(path: str) -> Scorer:
    return Scorer(_model(path))


def best_pairs(pairs, thresholds: engine.Thresholds) -> list[tuple[int, int, float, float, str]]:
    """(person, justice person, probability, weight, status), aliases folded onto their person.

    Only a justice person's single best candidate may be linked automatically: a second
    program person scoring as high means a possible duplicate, which a person decides.
    """
    best: dict[tuple[int, int], tuple[float, float]] = {}
    for left, right, prob, weight in pairs.itertuples(index=False, name=None):
        key = (person_of(left), int(right))
        if key not in best or prob > best[key][0]:
            best[key] = (float(prob), float(weight))
    top: dict[int, list[tuple[float, int]]] = {}
    for (person, justice), (prob, _) in best.items():
        top.setdefault(justice, []).append((prob, person))
    out = []
    for (person, justice), (prob, weight) in best.items():
        ranked = sorted(top[justice], reverse=True)
        unique_best = ranked[0][1] == person and (
            len(ranked) == 1 or ranked[1][0] < thresholds.link
        )
        status = engine.classify(prob, thresholds)
        if status == engine.AUTO and not unique_best:
            status = engine.REVIEW
        out.append((person, justice, prob, weight, status))
    return out


def linkage_run(
    *,
    jurisdiction: Jurisdiction,
    user: Any = None,
    model: engine.Model | None = None,
    progress: Callable[[str], None] | None = None,
    link_engine: str = "duckdb",
) -> LinkRun:
    """Link the site's program people to its justice people. `user` None: the command line.
    `link_engine`: duckdb, or spark (a local Spark session; the same pairs)."""
    if user is not None:
        require(user, Action.CREATE, Kind.LINK)
        if user.jurisdiction_id != jurisdiction.pk:
            require(user, Action.CREATE, Kind.LINK, jurisdiction)
    model = model or model_load()
    step = progress or (lambda _: None)
    started = timezone.now()
    step("reading people")
    left = program_frame(jurisdiction_id=jurisdiction.pk)
    right = justice_frame(jurisdiction_id=jurisdiction.pk)
    step("scoring pairs")
    pairs = engine.link(model, left, right, engine=link_engine)
    found = best_pairs(pairs, model.thresholds)
    step("storing links")
    with transaction.atomic():
        run = LinkRun.objects.create(
            jurisdiction=jurisdiction,
            model_version=model.version,
            started_at=started,
            started_by=user,
            people=int((~left.unique_id.str.contains("~")).sum()) if len(left) else 0,
            justice_people=len(right),
            pairs=len(found),
        )
        _store(run, found, model.version)
        step("deduplicating justice records")
        same = justice_dedupe(jurisdiction_id=jurisdiction.pk, model=model)
        shared = share_links(jurisdiction.pk)
        run.events_linked = _tie_events(jurisdiction.pk)
        run.finished_at = timezone.now()
        run.save()
        audit_record(
            action="create",
            kind=Kind.LINK.value,
            outcome="success",
            object_id=run.pk,
            jurisdiction_id=jurisdiction.pk,
            user=user,
            detail={
                "linkage_run": run.pk,
                "model_version": model.version,
                "auto": run.auto,
                "review": run.review,
                "unchanged": run.unchanged,
                "events_linked": run.events_linked,
                "justice_same": same["same"],
                "justice_review": same["review"],
                "links_shared": len(shared),
            },
        )
    step("done")
    return run


def _store(run: LinkRun, found, version: str) -> None:
    existing = {
        (link.person_id, link.justice_person_id): link
        for link in Link.objects.filter(jurisdiction_id=run.jurisdiction_id).select_for_update()
    }
    new, changed = [], []
    for person, justice, prob, weight, status in found:
        link = existing.get((person, justice))
        if link is None:
            new.append(
                Link(
                    jurisdiction_id=run.jurisdiction_id,
                    person_id=person,
                    justice_person_id=justice,
                    match_probability=prob,
                    match_weight=weight,
                    model_version=version,
                    status=status,
                )
            )
        elif link.status in DECIDED:
            run.unchanged += 1
            continue
        else:
            link.match_probability, link.match_weight = prob, weight
            link.model_version, link.status = version, status
            changed.append(link)
        if status == engine.AUTO:
            run.auto += 1
        else:
            run.review += 1
    # Bulk writes: the run's audit entry carries the counts (as imports do).
    Link.objects.bulk_create(new, batch_size=2000)
    Link.objects.bulk_update(
        changed, ["match_probability", "match_weight", "model_version", "status"], batch_size=2000
    )


def _tie_events(jurisdiction_id: int, justice_person_ids: Iterable[int] | None = None) -> int:
    """Point every unlinked event of a justice person in a link in force at its person (the
    most likely link's, if several): the site's events, or only those of `justice_person_ids`."""
    in_force = Link.objects.filter(
        justice_person__jurisdiction_id=OuterRef("jurisdiction_id"),
        justice_person__source_system=OuterRef("source_system"),
        justice_person__source_person_id=OuterRef("source_person_id"),
        status__in=[Link.Status.AUTO, Link.Status.CONFIRMED],
    )
    events = JusticeEvent.objects.filter(jurisdiction_id=jurisdiction_id, person__isnull=True)
    if justice_person_ids is not None:
        sources = JusticePerson.objects.filter(
            jurisdiction_id=jurisdiction_id, pk__in=list(justice_person_ids)
        ).values_list("source_person_id", flat=True)
        events = events.filter(source_person_id__in=list(sources))  # in_force checks the system
    return events.filter(Exists(in_force)).update(
        person_id=Subquery(in_force.order_by("-match_probability", "pk").values("person")[:1])
    )


# --- reading and deciding --------------------------------------------------------------------


def link_list(*, user: Any, status: str | None = None) -> QuerySet:
    require(user, Action.VIEW, Kind.LINK)
    links = visible(user, Kind.LINK, Link.objects.all()).select_related("person", "justice_person")
    if status:
        if status not in Link.Status.values:
            raise ValidationError({"status": f"one of {', '.join(Link.Status.values)}"})
        links = links.filter(status=status)
    return links.order_by("-match_probability", "pk")


def link_get(*, user: Any, link_id: int, action: Action = Action.VIEW) -> Link:
    link = get_object_or_404(Link.objects.select_related("person", "justice_person"), pk=link_id)
    require(user, action, Kind.LINK, link)
    return link


def review_next(*, user: Any, after: int | None = None) -> Link | None:
    """The most likely waiting link, or the next one after `after` in the same order."""
    queue = link_list(user=user, status=Link.Status.REVIEW)
    if after is not None:
        current = queue.filter(pk=after).values_list("match_probability", flat=True).first()
        if current is not None:
            queue = queue.filter(match_probability__lte=current).exclude(
                match_probability=current, pk__lte=after
            )
    return queue.first()


def link_decide(*, user: Any, link_id: int, decision: str) -> Link:
    """Confirm or reject a link; the decision is the label later training learns from.

    Deciding the same way twice changes nothing (a double submit); a decided link can be
    decided again the other way, which is recorded too.
    """
    if decision not in DECISIONS:
        raise ValidationError({"decision": f"one of {', '.join(DECISIONS)}"})
    status = DECISIONS[decision]
    with transaction.atomic():
        link = link_get(user=user, link_id=link_id, action=Action.CHANGE)
        link = Link.objects.select_for_update().select_related("justice_person").get(pk=link.pk)
        if link.status == status:
            return link
        link.status = status
        link.decided_by, link.decided_at = user, timezone.now()
        link._change_reason = f"review: {decision}"
        link.save()
        if status == Link.Status.CONFIRMED:
            _tie_events(link.jurisdiction_id, [link.justice_person_id])
        else:
            _untie_events(link)
    return link


def _untie_events(link: Link) -> None:
    jp: JusticePerson = link.justice_person
    JusticeEvent.objects.filter(
        jurisdiction_id=link.jurisdiction_id,
        source_system=jp.source_system,
        source_person_id=jp.source_person_id,
        person_id=link.person_id,
    ).update(person=None)


def labels(*, jurisdiction_id: int) -> list[tuple[int, int, bool]]:
    """Reviewers' decisions as (person, justice person, same person?) training labels."""
    return [
        (p, j, s == Link.Status.CONFIRMED)
        for p, j, s in Link.objects.filter(
            jurisdiction_id=jurisdiction_id, status__in=DECIDED
        ).values_list("person_id", "justice_person_id", "status")
    ]
