"""The fidelity scorecard: is the program run as LEAD's model says, from the canonical tables.

Each measure comes back in the shape `compute.run` gives (estimate, n, numerator, kind,
breakdowns, or "not estimable: why"), so small-cell suppression applies to it unchanged.

- Exits under a reason divert does not define (a site's own, from its policy file, e.g. a
  committee termination): LEAD exits nobody for non-compliance, so each is reported.
- Caseloads against the target (20) and the hard cap (25) per case manager.
- Case-manager contacts per active enrollment-month.
- Intakes within the deadline and hand-offs within 30 minutes (the registered metrics).
- Capacity refusals, by pathway.
- Work-group meetings held, from a `meetings` table when the data has one.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import pandas as pd

from divert.casework import lifecycle
from divert.evaluation.compute import not_estimable, run, window
from divert.evaluation.goals.common import flag
from divert.evaluation.registry import all_metrics
from divert.evaluation.source import Missing, Source

DAYS_PER_MONTH = 365.25 / 12


def _head(key: str, title: str, kind: str, unit: str = "") -> dict[str, Any]:
    return {"key": f"fidelity.{key}", "title": title, "kind": kind, "unit": unit}


def _frame(src: Source, name: str, *columns: str) -> pd.DataFrame:
    return src.table(name, *columns).select(*columns).execute()


def exits_outside_divert(src: Source, start=None, end=None, own: Iterable[str] = ()) -> dict:
    head = _head("exits_site_reason", "Exits under a reason the site added", "proportion")
    own = set(own) or set(lifecycle.EXIT_REASONS)
    try:
        e = src.table("enrollments", "exited_at", "exit_reason")
    except Missing as exc:
        return head | not_estimable(f"the data has no {exc}".replace(" is missing", ""))
    e = e.filter(e.exited_at.notnull()).mutate(at=e.exited_at)
    e = window(e, start, end)
    e = e.mutate(hit=flag(e.exit_reason.notnull() & ~e.exit_reason.isin(list(own))))
    rows = e.group_by("exit_reason").agg(n=e.count(), hits=e.hit.sum()).execute()
    n, hits = int(rows.n.sum()), int(rows.hits.sum())
    if n == 0:
        return head | not_estimable("no exits in the period")
    by = [
        {"value": r.exit_reason, "n": int(r.n), "numerator": int(r.n), "estimate": r.n / n}
        for r in rows.sort_values("exit_reason").itertuples()
    ]
    return head | {
        "estimate": hits / n,
        "ci_low": None,
        "ci_high": None,
        "n": n,
        "numerator": hits,
        "note": "divert's own exit reasons include no non-compliance; each exit under a "
        "reason the site's policy adds is counted here",
        "breakdowns": {"exit_reason": by},
    }


def caseloads(src: Source, target: int = 20, cap: int = 25) -> dict:
    """Open cases per case manager at the end of the data (or now, for the live program)."""
    head = _head("caseloads", "Open cases per case manager", "ratio", "cases")
    try:
        e = _frame(src, "enrollments", "case_manager_id", "status")
    except Missing as exc:
        return head | not_estimable(f"the data has no {exc}".replace(" is missing", ""))
    open_ = e[e.status.isin(lifecycle.OPEN_STATUSES) & e.case_manager_id.notna()]
    per = open_.groupby("case_manager_id").size()
    if per.empty:
        return head | not_estimable("no open cases")
    return head | {
        "estimate": float(per.mean()),
        "ci_low": None,
        "ci_high": None,
        "n": int(per.sum()),
        "case_managers": int(len(per)),
        "highest": int(per.max()),
        "over_target": int((per > target).sum()),
        "over_cap": int((per > cap).sum()),
        "target": target,
        "cap": cap,
    }


def _seconds(ts: pd.Series) -> pd.Series:
    return ts.astype("datetime64[ns]").astype("int64") // 10**9


def contacts_per_active_month(src: Source, start=None, end=None, until=None) -> dict:
    """Contacts during active spells over active enrollment-months (enrollment_status)."""
    head = _head("contacts_per_active_month", "Contacts per active month", "ratio", "contacts")
    try:
        s = _frame(src, "enrollment_status", "enrollment_id", "seq", "status", "started_at")
        c = _frame(src, "contacts", "enrollment_id", "contacted_at")
    except Missing as exc:
        return head | not_estimable(f"the data has no {exc}".replace(" is missing", ""))
    if s.empty:
        return head | not_estimable("no status history")
    last = pd.Timestamp(until) if until is not None else s.started_at.max()
    s = s.sort_values(["enrollment_id", "seq"])
    s["ends"] = s.groupby("enrollment_id").started_at.shift(-1).fillna(last)
    spells = s[s.status == "active"].copy()
    lo = pd.Timestamp(start) if start else None
    hi = pd.Timestamp(end) if end else None
    if lo is not None:
        spells["started_at"] = spells.started_at.clip(lower=lo)
    if hi is not None:
        spells["ends"] = spells.ends.clip(upper=hi)
    spells = spells[spells.ends > spells.started_at]
    months = float((spells.ends - spells.started_at).dt.total_seconds().sum()) / 86400
    months /= DAYS_PER_MONTH
    if months <= 0:
        return head | not_estimable("no active months in the period")
    j = c.merge(spells[["enrollment_id", "started_at", "ends"]], on="enrollment_id")
    inside = j[(j.contacted_at >= j.started_at) & (j.contacted_at < j.ends)]
    return head | {
        "estimate": len(inside) / months,
        "ci_low": None,
        "ci_high": None,
        "n": int(spells.enrollment_id.nunique()),
        "numerator": len(inside),
        "active_months": months,
    }


def capacity_refusals(src: Source, start=None, end=None) -> dict:
    head = _head("capacity_refusals", "Referrals refused for capacity", "proportion")
    try:
        r = src.table("referrals", "pathway", "referred_at", "capacity_refused")
    except Missing as exc:
        return head | not_estimable(f"the data has no {exc}".replace(" is missing", ""))
    r = window(r.mutate(at=r.referred_at), start, end)
    rows = (
        r.group_by("pathway")
        .agg(n=r.count(), hits=flag(r.capacity_refused).sum())
        .order_by("pathway")
        .execute()
    )
    n, hits = int(rows.n.sum()), int(rows.hits.sum())
    if n == 0:
        return head | not_estimable("no referrals in the period")
    by = [
        {"value": x.pathway, "n": int(x.n), "numerator": int(x.hits), "estimate": x.hits / x.n}
        for x in rows.itertuples()
    ]
    return head | {
        "estimate": hits / n,
        "ci_low": None,
        "ci_high": None,
        "n": n,
        "numerator": hits,
        "breakdowns": {"pathway": by},
    }


def meetings_held(src: Source, start=None, end=None) -> dict:
    head = _head("meetings_held", "Work-group meetings held", "ratio", "meetings")
    if not src.has("meetings", "held_on"):
        return head | not_estimable(
            "no meeting records: the data has no meetings table (held_on) yet"
        )
    m = src.table("meetings", "held_on")
    m = window(m.mutate(at=m.held_on), start, end)
    n = int(m.count().execute())
    return head | {"estimate": float(n), "ci_low": None, "ci_high": None, "n": n}


def scorecard(
    src: Source,
    start: date | None = None,
    end: date | None = None,
    *,
    target: int = 20,
    cap: int = 25,
    own_reasons: Iterable[str] = (),
    until: datetime | None = None,
) -> list[dict]:
    """The fidelity measures, in the order the dashboard shows them."""
    metrics = all_metrics()
    intake = run(metrics["system.intake_within_deadline"], src, start, end, details=False)
    handoff = run(metrics["reorient.handoff_30min"], src, start, end, details=False)
    return [
        exits_outside_divert(src, start, end, own_reasons),
        caseloads(src, target, cap),
        contacts_per_active_month(src, start, end, until),
        intake | {"key": "fidelity.intake_within_deadline"},
        handoff | {"key": "fidelity.handoff_30min"},
        capacity_refusals(src, start, end),
        meetings_held(src, start, end),
    ]
