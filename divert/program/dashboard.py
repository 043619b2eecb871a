"""The program dashboard: the six-goal scorecard and the fidelity scorecard of one site, from
its live rows, every displayed count suppressed (divert.evaluation.suppression).

Computing takes seconds on a county's worth of rows (the figure is in benchmarks/), so each
site's results are cached per filter and per state of its data: a new encounter, referral,
enrollment, contact, status change or meeting makes the next request compute afresh. The
first request to miss takes a lock in the shared database cache (cache.add: the key is the
cache table's primary key, so only one request gets it);
requests arriving while it computes wait for its result instead of computing again.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
from typing import Any

import pandas as pd
from django.conf import settings
from django.core.cache import caches
from django.db.models import Count, Max

from divert.access import Action, Kind, can, require, visible
from divert.caching import computed_once
from divert.casework.exits import exit_reasons_for
from divert.casework.models import Contact, Enrollment, StatusChange
from divert.evaluation import fidelity
from divert.evaluation.compute import run
from divert.evaluation.registry import GOALS, all_metrics
from divert.evaluation.source import from_frames
from divert.evaluation.suppression import safe_result
from divert.field.models import Encounter, Referral
from divert.jurisdictions.clock import day_start, local_date, site_now
from divert.jurisdictions.models import Area, Jurisdiction
from divert.meetings.models import Meeting
from divert.program.canonical import site_tables
from divert.staff.models import User

CACHE_SECONDS = 15 * 60
LOCK_SECONDS = 120  # a computation longer than this is presumed dead; another may start
WAIT_STEP = 0.1
# The breakdowns a dashboard drills into (officer, area), for these measures.
DRILL = ("reorient.diversion_rate", "reorient.missed_diversions", "reorient.handoff_30min")
HEADLINE = (
    "reorient.diversion_rate",
    "reorient.missed_diversions",
    "reorient.handoff_30min",
    "safety.rearrest_6m",
    "system.intake_within_deadline",
)


def _stamp(site: Jurisdiction) -> str:
    """Changes whenever a row the figures rest on is added, changed in count, or removed."""
    parts = []
    for qs in (
        Encounter.objects.filter(jurisdiction=site),
        Referral.objects.filter(jurisdiction=site),
        Enrollment.objects.filter(jurisdiction=site),
        Contact.objects.filter(enrollment__jurisdiction=site),
        StatusChange.objects.filter(enrollment__jurisdiction=site),
        Meeting.objects.filter(jurisdiction=site),
    ):
        agg = qs.aggregate(n=Count("pk"), last=Max("pk"))
        parts.append(f"{agg['n']}.{agg['last']}")
    return "-".join(parts)


def for_area(tables: dict[str, pd.DataFrame], area_id: int) -> dict[str, pd.DataFrame]:
    """The tables narrowed to what happened in one area: its encounters, the referrals from
    them and the enrollments those made (community referrals have no area)."""
    t = dict(tables)
    t["encounters"] = t["encounters"][t["encounters"].area_id == area_id]
    kept = set(t["encounters"].encounter_id)
    t["encounter_offenses"] = t["encounter_offenses"][
        t["encounter_offenses"].encounter_id.isin(kept)
    ]
    t["referrals"] = t["referrals"][t["referrals"].encounter_id.isin(kept)]
    enrolled = set(t["referrals"].enrollment_id.dropna())
    for name in ("enrollments", "intakes", "contacts", "monthly_status", "enrollment_status"):
        t[name] = t[name][t[name].enrollment_id.isin(enrolled)]
    t["officers"] = t["officers"][t["officers"].officer_id.isin(set(t["encounters"].officer_id))]
    t["areas"] = t["areas"][t["areas"].area_id == area_id]
    return t


def compute(
    site: Jurisdiction,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    area_id: int | None = None,
) -> dict[str, Any]:
    """Every figure of both scorecards, suppressed, as JSON-ready values (no cache)."""
    tables = site_tables(site)
    if area_id is not None:
        tables = for_area(tables, area_id)
    src = from_frames(tables)
    metrics = all_metrics()
    goals: dict[str, Any] = {g: {"title": t, "measures": []} for g, t in GOALS.items()}
    for key, m in metrics.items():
        r = run(m, src, start, end)
        if key not in DRILL:
            r.pop("breakdowns", None)
        r |= {"definition": m.definition}
        goals[m.goal]["measures"].append(safe_result(r))
    reasons = exit_reasons_for(site)
    until = site_now(site).replace(tzinfo=None)
    fid = fidelity.scorecard(
        src,
        start,
        end,
        target=site.caseload_target,
        cap=site.caseload_cap,
        until=until,
    )
    own = set(fidelity.lifecycle.EXIT_REASONS)
    for r in fid:
        for row in r.get("breakdowns", {}).get("exit_reason", []):
            row["label"] = reasons.get(row["value"], row["value"])
            row["site_defined"] = row["value"] not in own
    return {
        "goals": goals,
        "fidelity": [safe_result(r) for r in fid],
        "computed_at": until.isoformat(timespec="minutes"),
    }


def dashboard_get(
    *,
    user: Any,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    area_id: int | None = None,
) -> dict[str, Any]:
    """The dashboard's figures for the user's site, with officers named only for those who
    may see staff (others get stable pseudonyms) and areas by name."""
    require(user, Action.VIEW, Kind.AGGREGATE)
    site = user.jurisdiction
    if area_id is not None and not Area.objects.filter(jurisdiction=site, pk=area_id).exists():
        area_id = None  # another site's area, or none: the whole site
    data = cached(site, start, end, area_id)
    names = can(user, Action.VIEW, Kind.STAFF)
    return data | {"officer_labels": _officer_labels(site, data, names), "area_id": area_id}


def cached(site: Jurisdiction, start, end, area_id) -> dict[str, Any]:
    """The figures from the cache; on a miss, computed once however many ask at once."""
    key = f"dashboard:{site.pk}:{start}:{end}:{area_id}:{_stamp(site)}"
    return computed_once(
        caches["dashboard"],
        key,
        lambda: compute(site, start, end, area_id),
        seconds=CACHE_SECONDS,
        lock_seconds=LOCK_SECONDS,
        wait=WAIT_STEP,
    )


def officer_pseudonym(officer_id: int) -> str:
    key = settings.SECRET_KEY.encode()
    return (
        "Officer " + hmac.new(key, f"officer:{officer_id}".encode(), hashlib.sha256).hexdigest()[:6]
    )


def _officer_labels(site: Jurisdiction, data: dict, names: bool) -> dict[str, str]:
    ids = {
        row["value"]
        for g in data["goals"].values()
        for m in g["measures"]
        for row in m.get("breakdowns", {}).get("officer_id", [])
        if row.get("value") is not None
    }
    if not names:
        return {str(i): officer_pseudonym(i) for i in ids}
    users = User.objects.filter(pk__in=ids, organization__jurisdiction=site)
    found = {u.pk: u.get_full_name() or u.username for u in users}
    return {str(i): found.get(i) or officer_pseudonym(i) for i in ids}


def areas_of(site: Jurisdiction) -> list[tuple[int, str]]:
    return list(Area.objects.filter(jurisdiction=site).order_by("name").values_list("pk", "name"))


def missed_diversions(
    *, user: Any, start: datetime.date | None = None, end: datetime.date | None = None
) -> list[dict[str, Any]] | None:
    """The eligible arrests booked anyway, for a supervisor to review: who, when, where, by
    whom. None for anyone the policy does not let read encounters and people (the read is
    audited); they see the counts on the scorecard instead."""
    if not (can(user, Action.VIEW, Kind.ENCOUNTER) and can(user, Action.VIEW, Kind.PERSON)):
        return None
    require(user, Action.VIEW, Kind.ENCOUNTER)  # audited: a list of people
    site = user.jurisdiction
    qs = visible(
        user,
        Kind.ENCOUNTER,
        Encounter.objects.filter(
            jurisdiction=site,
            outcome=Encounter.Outcome.BOOKED,
            screening__eligible=True,
            area__lead_since__isnull=False,
        ),
    )
    if start is not None:
        qs = qs.filter(occurred_at__gte=day_start(site, start))
    if end is not None:
        qs = qs.filter(occurred_at__lt=day_start(site, end))
    rows = []
    for e in qs.select_related("person", "area", "officer").order_by("-occurred_at")[:200]:
        if e.area.lead_since > local_date(site, e.occurred_at):
            continue
        rows.append(
            {
                "occurred_at": e.occurred_at,
                "person": str(e.person) if e.person_id else "",
                "area": e.area.name,
                "officer": (e.officer.get_full_name() or e.officer.username) if e.officer else "",
            }
        )
    return rows
