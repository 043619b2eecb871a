"""The six-goals scorecard and results.json: every registered metric, the comparison-group
evaluation, and the figures reports and dashboards read, as JSON-ready values."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from divert.evaluation import compare
from divert.evaluation.compute import run
from divert.evaluation.registry import GOALS, all_metrics
from divert.evaluation.source import Source

Progress = Callable[[str, float], None]

OUTCOME_MEASURES = {
    "rearrest.odds_ratio_6m": "Odds of any arrest within 6 months, adjusted comparison",
    "rearrest.odds_ratio_followup": "Odds of any arrest over the whole follow-up (GEE), adjusted",
    "rearrest.hazard_ratio": "Hazard ratio of re-arrest (Cox), adjusted comparison",
    "rearrest.naive_hazard_ratio": "Hazard ratio of re-arrest, naive (unadjusted) comparison",
    "felony.odds_ratio": "Odds of a felony charge (GEE), adjusted comparison",
    "bookings.rate_ratio": "Bookings per person-year, rate ratio (negative binomial), adjusted",
    "jail_days.rate_ratio": "Jail days per person-year, rate ratio (negative binomial), adjusted",
}


def _summary(r: dict) -> dict:
    keep = ("key", "title", "kind", "unit", "estimate", "ci_low", "ci_high", "n", "not_estimable")
    out = {k: r.get(k) for k in keep}
    if "groups" in r:
        out |= {"reference": r["reference"], "groups": r["groups"]}
    for key in ("trend", "monthly"):
        if key in r:
            out[key] = [
                {k: t.get(k) for k in ("period", "estimate", "ci_low", "ci_high", "n")}
                for t in r[key]
            ]
    return out


def results(
    src: Source,
    start: date | None = None,
    end: date | None = None,
    design: str = "psm",
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Everything the evaluation reports (see docs/metrics.md for each figure)."""
    step = progress or (lambda stage, fraction: None)
    metrics = all_metrics()
    out: dict[str, Any] = {
        "source": {"engine": src.engine, "tables": sorted(src.names)},
        "period": {"from": start and start.isoformat(), "to": end and end.isoformat()},
        "metrics": {},
    }
    for i, (key, m) in enumerate(metrics.items()):
        step(key, i / (len(metrics) + 1))
        out["metrics"][key] = run(m, src, start, end) | {
            "definition": m.definition,
            "numerator_rule": m.numerator,
            "denominator_rule": m.denominator,
            "inclusion": m.inclusion,
        }
    step("comparison-group evaluation", len(metrics) / (len(metrics) + 1))
    outcomes = compare.evaluate_outcomes(src, design)
    out["outcomes"] = outcomes
    out["equity"] = {
        "rri": {
            key.removeprefix("equity.rri_"): r.get("groups")
            or {"not_estimable": r["not_estimable"]}
            for key, r in out["metrics"].items()
            if key.startswith("equity.rri_")
        },
        "reference": "white (non-Hispanic)",
    }
    for dim in ("sex", "age_band"):  # the same index within each sex and each age group
        out["equity"][f"rri_by_{dim}"] = {
            key.removeprefix("equity.rri_"): {
                v: sub.get("groups") or {"not_estimable": sub["not_estimable"]}
                for v, sub in r[f"by_{dim}"].items()
            }
            for key, r in out["metrics"].items()
            if key.startswith("equity.rri_") and f"by_{dim}" in r
        }
    missed = out["metrics"]["reorient.missed_diversions"]
    out["monitoring"] = {
        "missed_diversions": {
            "total": missed.get("numerator") if missed.get("estimate") is not None else None,
            "not_estimable": missed.get("not_estimable"),
            **{f"by_{k}": v for k, v in missed.get("breakdowns", {}).items()},
        }
    }
    goals: dict[str, Any] = {}
    for goal, title in GOALS.items():
        measures = [_summary(r) for k, r in out["metrics"].items() if metrics[k].goal == goal]
        if goal == "safety":
            for path, t in OUTCOME_MEASURES.items():
                name, k = path.split(".")
                f = outcomes[name][k]
                measures.append(
                    {"key": f"outcomes.{path}", "title": t, "n": f.get("n")}
                    | {x: f.get(x) for x in ("estimate", "ci_low", "ci_high")}
                    | {"not_estimable": f.get("not_estimable")}
                )
        goals[goal] = {"title": title, "measures": measures}
    out["goals"] = goals
    step("done", 1.0)
    return out
