"""The metric registry: every measure defined once, with the words that explain it.

A metric's `units` function returns an Ibis table with one row per unit of its denominator
(an encounter, a referral, a participant, an officer), whatever the engine:

- `at`: the timestamp that places the unit in a period (filters, the yearly trend and, for
  metrics with `monthly`, the monthly trend);
- `proportion`: `hit` (0/1), the numerator's share of the units;
- `rate`: `events` and `years` (person-years), events per person-year;
- `ratio`: `num` and `den`, a census figure without a sampling interval;
- `did`: `program`, `after`, `events`, `years`: the ratio of rate ratios;
- `top_share`: `events` per unit, the share held by the top 10% of units;
- plus any breakdown columns the metric names (officer_id, area_id, shift, month, group).

A metric whose data the canonical tables cannot hold has `units=None` and says in `needs`
which data would make it estimable. Goals' modules register their metrics on import.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import ibis

from divert.evaluation.source import Source

GOALS = {
    "reorient": "Reorient the response to disorder",
    "safety": "Improve public health and public safety",
    "system": "Fewer people entering the criminal justice system",
    "equity": "Undo racial disparities",
    "savings": "Capture and reinvest justice-system savings",
    "relations": "Strengthen police-community relations",
}
KINDS = ("proportion", "rate", "ratio", "top_share", "rri", "did")


@dataclass(frozen=True)
class Metric:
    key: str  # "<goal>.<name>"
    title: str
    definition: str
    numerator: str
    denominator: str
    inclusion: str
    kind: str
    units: Callable[[Source], ibis.Table] | None
    breakdowns: tuple[str, ...] = ()
    needs: str = ""  # the data that would make it estimable, when it is not
    unit: str = ""  # what the estimate is in, e.g. "per person-year"
    # A trend by calendar month as well as by year: True for the units' own `at`, or a
    # function giving other units for it (officer-months where the yearly units are
    # officer-years).
    monthly: bool | Callable[[Source], ibis.Table] = False

    @property
    def goal(self) -> str:
        return self.key.split(".", 1)[0]


METRICS: dict[str, Metric] = {}


def register(**fields) -> Metric:
    m = Metric(**fields)
    if m.goal not in GOALS:
        raise ValueError(f"{m.key}: unknown goal {m.goal}")
    if m.kind not in KINDS:
        raise ValueError(f"{m.key}: unknown kind {m.kind}")
    if m.key in METRICS:
        raise ValueError(f"{m.key} registered twice")
    METRICS[m.key] = m
    return m


def all_metrics() -> dict[str, Metric]:
    """Every registered metric, in goal order."""
    from divert.evaluation import goals  # noqa: F401  (registers on import)

    order = list(GOALS)
    return dict(sorted(METRICS.items(), key=lambda kv: (order.index(kv[1].goal), 0)))
