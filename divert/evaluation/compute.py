"""Run a registered metric on a source: estimate, 95% CI, n, yearly trend and breakdowns,
or "not estimable" with the reason and the data that would make it estimable.

>>> not_estimable("no units")["not_estimable"]
'no units'
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

import ibis
import numpy as np

from divert.evaluation import stats
from divert.evaluation.registry import Metric
from divert.evaluation.source import Missing, Source

MIN_SHARE = 0.01  # OJJDP: groups under 1% of the base are not analysed
REFERENCE = "white"  # non-Hispanic White (Hispanic people form their own group)


def not_estimable(why: str) -> dict[str, Any]:
    return {"estimate": None, "ci_low": None, "ci_high": None, "n": 0, "not_estimable": why}


def _seconds(d: date | datetime) -> int:
    dt = d if isinstance(d, datetime) else datetime(d.year, d.month, d.day)
    return int((dt - datetime(1970, 1, 1)).total_seconds())


def window(t: ibis.Table, start: date | None, end: date | None) -> ibis.Table:
    """Keep units whose `at` (or, lacking one, `period` year) falls in [start, end)."""
    if start is None and end is None:
        return t
    if "at" in t.columns:
        s = t.at.epoch_seconds()
        if start is not None:
            t = t.filter(s >= _seconds(start))
        if end is not None:
            t = t.filter(s < _seconds(end))
    elif "period" in t.columns:
        if start is not None:
            t = t.filter(t.period >= start.year)
        if end is not None:
            t = t.filter(t.period <= end.year)
    return t


def _num(row: dict, key: str) -> float:
    """A sum as a number: the sum of no rows is NULL, which PySpark returns as NaN."""
    v = _clean(row.get(key))
    return 0 if v is None else v


def _figures(kind: str, row: dict) -> dict[str, Any]:
    n = int(_num(row, "n"))
    if kind == "proportion":
        hits = int(_num(row, "hits"))
        if n == 0:
            return not_estimable("no units in the period")
        lo, hi = stats.wilson(hits, n)
        return {"estimate": hits / n, "ci_low": lo, "ci_high": hi, "n": n, "numerator": hits}
    if kind == "rate":
        events, years = float(_num(row, "events")), float(_num(row, "years"))
        if n == 0 or years <= 0:
            return not_estimable("no follow-up time in the period")
        lo, hi = stats.poisson_rate(events, years)
        return {
            "estimate": events / years,
            "ci_low": lo,
            "ci_high": hi,
            "n": n,
            "numerator": events,
            "exposure": years,
        }
    if kind == "ratio":
        num, den = float(_num(row, "num")), float(_num(row, "den"))
        if den <= 0:
            return not_estimable("nothing in the denominator in the period")
        return {
            "estimate": num / den,
            "ci_low": None,
            "ci_high": None,
            "n": n,
            "ci_note": "a census of the program's own figures: no sampling interval",
        }
    raise ValueError(kind)


def _aggs(kind: str, t: ibis.Table) -> dict:
    if kind == "proportion":
        return {"hits": t.hit.sum(), "n": t.count()}
    if kind == "ratio":
        return {"num": t.num.sum(), "den": t.den.sum(), "n": t.count()}
    return {"events": t.events.sum(), "years": t.years.sum(), "n": t.count()}


def _rows(expr: ibis.Table) -> list[dict]:
    return expr.execute().to_dict("records")


def _clean(v):
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


def _monthly(metric: Metric, src: Source, t: ibis.Table, start, end) -> dict[str, Any]:
    """The trend by calendar month ("YYYY-MM"); `monthly_additive` says whether the months
    add up to the yearly trend's rows (the same units), which suppression relies on."""
    own = not callable(metric.monthly)
    if not own:
        t = window(metric.monthly(src), start, end)
    if "at" not in t.columns:
        return {}
    t = t.mutate(period=t.at.strftime("%Y-%m"))
    rows = _rows(t.group_by("period").aggregate(**_aggs(metric.kind, t)).order_by("period"))
    return {
        "monthly": [{"period": str(r["period"])} | _figures(metric.kind, r) for r in rows],
        "monthly_additive": own,
    }


def run(metric: Metric, src: Source, start=None, end=None, details: bool = True) -> dict:
    """The metric's result as plain JSON-ready values."""
    head = {"key": metric.key, "title": metric.title, "kind": metric.kind, "unit": metric.unit}
    if metric.units is None:
        return head | not_estimable(f"the canonical tables do not hold this; needs {metric.needs}")
    try:
        t = window(metric.units(src), start, end)
        if metric.kind in ("proportion", "rate", "ratio"):
            out = _proportion_or_rate(metric, t, details)
            if metric.monthly and details and not out.get("not_estimable"):
                out |= _monthly(metric, src, t, start, end)
        elif metric.kind == "top_share":
            out = _top_share(t)
        elif metric.kind == "did":
            out = did(t)
        else:
            out = rri(t)
    except Missing as exc:
        why = f"the data has no {exc}".replace(" is missing", "")
        return head | not_estimable(why + (f"; needs {metric.needs}" if metric.needs else ""))
    return head | out


def _proportion_or_rate(metric: Metric, t: ibis.Table, details: bool) -> dict:
    kind = metric.kind
    total = _rows(t.aggregate(**_aggs(kind, t)))[0]
    out = _figures(kind, total)
    if out.get("not_estimable") or not details:
        return out
    if "period" not in t.columns and "at" in t.columns:
        t = t.mutate(period=t.at.year())
    if "period" in t.columns:
        rows = _rows(t.group_by("period").aggregate(**_aggs(kind, t)).order_by("period"))
        out["trend"] = [{"period": int(r["period"])} | _figures(kind, r) for r in rows]
    out["breakdowns"] = {}
    for col in metric.breakdowns:
        rows = _rows(t.group_by(col).aggregate(**_aggs(kind, t)).order_by(col))
        out["breakdowns"][col] = [{"value": _clean(r[col])} | _figures(kind, r) for r in rows]
    return out


def _top_share(t: ibis.Table) -> dict:
    per = _rows(t.group_by("unit_id").aggregate(events=t.events.sum()))
    # Sorted: engines return groups in any order, and the seeded bootstrap draws by position.
    counts = np.sort([float(_num(r, "events")) for r in per])
    if len(counts) == 0 or counts.sum() == 0:
        return not_estimable("no referrals by the units in the period")
    lo, hi = stats.bootstrap(counts, stats.top_share)
    return {
        "estimate": stats.top_share(counts),
        "ci_low": lo,
        "ci_high": hi,
        "n": len(counts),
        "numerator": float(counts.sum()),
        "units_without_events": int((counts == 0).sum()),
    }


def did(t: ibis.Table) -> dict:
    """Ratio of rate ratios from `program`, `after`, `events`, `years`."""
    rows = _rows(t.group_by("program", "after").aggregate(e=t.events.sum(), y=t.years.sum()))
    cells = {
        (bool(r["program"]), bool(r["after"])): (float(_num(r, "e")), float(_num(r, "y")))
        for r in rows
    }
    return did_from_counts(cells)


def did_from_counts(cells: dict[tuple[bool, bool], tuple[float, float]]) -> dict:
    """(program, after) -> (events, exposure); the program's change over the comparison's.

    >>> r = did_from_counts({(True, False): (100, 1), (True, True): (50, 1),
    ...                      (False, False): (100, 1), (False, True): (100, 1)})
    >>> r["estimate"], round(r["ci_low"], 3), round(r["ci_high"], 3)
    (0.5, 0.318, 0.785)
    """
    names = {
        (True, False): "program areas before launch",
        (True, True): "program areas after launch",
        (False, False): "comparison areas before launch",
        (False, True): "comparison areas after launch",
    }
    for key, name in names.items():
        events, years = cells.get(key, (0.0, 0.0))
        if years <= 0:
            return not_estimable(f"no {name} in the data")
        if events == 0:
            return not_estimable(f"no events in {name}")
    (a, ya), (b, yb) = cells[(True, True)], cells[(True, False)]
    (c, yc), (d, yd) = cells[(False, True)], cells[(False, False)]
    ratio = ((a / ya) / (b / yb)) / ((c / yc) / (d / yd))
    se = math.sqrt(1 / a + 1 / b + 1 / c + 1 / d)
    return {
        "estimate": ratio,
        "ci_low": ratio * math.exp(-stats.Z * se),
        "ci_high": ratio * math.exp(stats.Z * se),
        "n": int(a + b + c + d),
        "cells": {names[k]: {"events": v[0], "exposure": v[1]} for k, v in cells.items()},
    }


def rri(t: ibis.Table, reference: str = REFERENCE) -> dict:
    """OJJDP Relative Rate Index from a table of `group`, `hits`, `total`."""
    dims = [c for c in ("sex", "age_band") if c in t.columns]
    rows = _rows(t.group_by(["group", *dims]).aggregate(hits=t.hits.sum(), total=t.total.sum()))

    def counts(keep) -> dict[str, tuple[float, float]]:
        out: dict[str, list[float]] = {}
        for r in rows:
            if r["group"] is not None and keep(r):
                c = out.setdefault(str(r["group"]), [0.0, 0.0])
                c[0] += float(_num(r, "hits"))
                c[1] += float(_num(r, "total"))
        return {g: (h, n) for g, (h, n) in out.items()}

    result = rri_from_counts(counts(lambda r: True), reference)
    if result.get("not_estimable"):
        return result
    for dim in dims:  # by_sex, by_age_band: the same index within each subgroup
        values = sorted({r[dim] for r in rows if r[dim] is not None})
        result[f"by_{dim}"] = {
            v: rri_from_counts(counts(lambda r, d=dim, v=v: r[d] == v), reference) for v in values
        }
    return result


def rri_from_counts(counts: dict[str, tuple[float, float]], reference: str = REFERENCE) -> dict:
    base = sum(total for _, total in counts.values())
    if base == 0:
        return not_estimable("no one at the previous decision point in the period")
    if reference not in counts or counts[reference][1] == 0:
        return not_estimable(f"no {reference} reference group at this decision point")
    ra, rn = counts[reference]
    groups: dict[str, dict] = {}
    for g, (hits, total) in sorted(counts.items()):
        share = total / base
        row: dict[str, Any] = {"n": int(total), "hits": int(hits), "share_of_base": share}
        if total:
            row["rate"] = hits / total
        if share < MIN_SHARE:
            row |= not_estimable(f"under {MIN_SHARE:.0%} of the base") | {"n": int(total)}
        elif hits == 0 or ra == 0:
            row |= {"estimate": (hits / total) / (ra / rn) if ra else None, "ci_low": None}
            row |= {"ci_high": None, "not_estimable": "no events in this or the reference group"}
        else:
            lo, hi = (1.0, 1.0) if g == reference else stats.rate_ratio_ci(hits, total, ra, rn)
            dlo, dhi = (0.0, 0.0) if g == reference else stats.diff_ci(hits, total, ra, rn)
            row |= {
                "estimate": (hits / total) / (ra / rn),
                "ci_low": lo,
                "ci_high": hi,
                "difference": hits / total - ra / rn,
                "difference_ci_low": dlo,
                "difference_ci_high": dhi,
            }
        groups[g] = row
    return {"reference": reference, "n": int(base), "groups": groups}
