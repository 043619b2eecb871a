"""Small-cell suppression for every displayed count: primary, then complementary.

The rule (the CMS cell-size suppression policy, the one most US public-health agencies and
research data centres follow): a count from 1 to 10 is never shown. A zero is shown: it
names no one. Any figure computed from a hidden count (a rate, a share, an interval) is
hidden with it.

A hidden count must also stay hidden when the table's totals are shown. A monthly trend is
suppressed as its own table against the overall total; where its months add up to the
yearly trend's rows, a year holding a hidden month is hidden as well (its figure less the
months shown would give the hidden month away). Complementary
suppression hides further cells until:

- no hidden cell can be solved exactly from the published totals (checked exactly: a hidden
  cell is recoverable when its indicator lies in the row space of the sum constraints
  restricted to the hidden cells), and
- in every row or column with hidden cells, the hidden cells together hold 0 or at least
  11 (otherwise their sum, read off the total, is itself a small count).

Complements are the smallest visible non-zero cells of the line, inside the table before
the totals. No Django: the dashboards and the public page call this on the evaluation's
plain figures.

>>> t = suppress_table([[3, 40], [25, 30]])
>>> [[c.shown for c in row] for row in t.cells]
[[None, None], [None, None]]
>>> [c.shown for c in t.row_totals], [c.shown for c in t.column_totals], t.total.shown
([43, 55], [28, 70], 98)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

THRESHOLD = 11  # the smallest count shown, zero aside
SHOWN_AS = "<11"  # how a hidden count reads on a page


def small(n: float | int | None) -> bool:
    """A count that may not be shown: 1 to 10 (a zero is shown)."""
    return n is not None and 0 < n < THRESHOLD


@dataclass(frozen=True)
class Cell:
    value: int
    suppressed: bool

    @property
    def shown(self) -> int | None:
        return None if self.suppressed else self.value


@dataclass(frozen=True)
class Table:
    cells: list[list[Cell]]
    row_totals: list[Cell]  # empty when the table publishes none
    column_totals: list[Cell]
    total: Cell | None


def suppress_table(
    counts: Sequence[Sequence[int]], *, row_totals: bool = True, column_totals: bool = True
) -> Table:
    """Suppress a table of counts published with its row and column totals (and the grand
    total when either is published)."""
    rows = [[int(v) for v in row] for row in counts]
    if any(v < 0 for row in rows for v in row):
        raise ValueError("counts cannot be negative")
    r = len(rows)
    c = len(rows[0]) if r else 0
    if any(len(row) != c for row in rows):
        raise ValueError("every row needs the same number of cells")
    # Variables: interior cells, then row totals, column totals, grand total.
    values = [v for row in rows for v in row]
    interior = len(values)
    rt = list(range(len(values), len(values) + (r if row_totals else 0)))
    values += [sum(row) for row in rows] if row_totals else []
    ct = list(range(len(values), len(values) + (c if column_totals else 0)))
    values += [sum(rows[i][j] for i in range(r)) for j in range(c)] if column_totals else []
    grand = None
    if row_totals or column_totals:
        grand = len(values)
        values.append(sum(values[:interior]))
    lines: list[list[int]] = []  # each: the variables summing to its last one
    if row_totals:
        lines += [[i * c + j for j in range(c)] + [rt[i]] for i in range(r)]
        lines.append([*rt, grand])
    if column_totals:
        lines += [[i * c + j for i in range(r)] + [ct[j]] for j in range(c)]
        lines.append([*ct, grand])
    hidden = {k for k, v in enumerate(values) if small(v)}
    _complement(values, lines, hidden, interior)

    def cell(k: int) -> Cell:
        return Cell(values[k], k in hidden)

    return Table(
        cells=[[cell(i * c + j) for j in range(c)] for i in range(r)],
        row_totals=[cell(k) for k in rt],
        column_totals=[cell(k) for k in ct],
        total=cell(grand) if grand is not None else None,
    )


def suppress_counts(counts: Sequence[int], *, total: bool = True) -> tuple[list[Cell], Cell | None]:
    """A list of counts published with (or without) its total."""
    t = suppress_table([list(counts)], row_totals=total, column_totals=False)
    return t.cells[0] if t.cells else [], t.total


def _matrix(values: list[int], lines: list[list[int]]) -> np.ndarray:
    a = np.zeros((len(lines), len(values)))
    for n, line in enumerate(lines):
        a[n, line[:-1]] = 1
        a[n, line[-1]] -= 1
    return a


def recoverable(values: list[int], lines: list[list[int]], hidden: set[int]) -> set[int]:
    """The hidden variables the published ones and the sums determine exactly."""
    order = sorted(hidden)
    if not order:
        return set()
    a = _matrix(values, lines)[:, order]
    rank = np.linalg.matrix_rank(a)
    found = set()
    for n, k in enumerate(order):
        unit = np.zeros((1, len(order)))
        unit[0, n] = 1
        if np.linalg.matrix_rank(np.vstack([a, unit])) == rank:
            found.add(k)
    return found


def _complement(values: list[int], lines: list[list[int]], hidden: set[int], interior: int):
    while True:
        exposed = recoverable(values, lines, hidden)
        # With the line's total shown, its hidden cells' sum can be read off.
        weak = [
            line
            for line in lines
            if line[-1] not in hidden and small(sum(values[k] for k in line if k in hidden))
        ]
        targets = [line for line in lines if exposed & set(line)] + weak
        if not targets:
            return
        candidates = sorted({k for line in targets for k in line if k not in hidden})
        if not candidates:  # every cell of those lines is hidden: widen to the whole table
            candidates = [k for k in range(len(values)) if k not in hidden]
        if not candidates:
            return
        # Smallest non-zero first, inside the table before the totals.
        hidden.add(min(candidates, key=lambda k: (values[k] == 0, k >= interior, values[k], k)))


def share_hidden(hits: int | None, n: int | None) -> bool:
    """A share of n whose hits, misses or n is a small count is hidden: any of them, with n,
    gives the others away."""
    if hits is None or n is None:
        return False
    return small(hits) or small(n - hits) or small(n)


def _count(v: float | int | None) -> int:
    return int(round(float(v or 0)))


def _rows_hidden(kind: str, rows: list[dict], overall: dict) -> list[bool]:
    """Which rows of a trend or breakdown must hide their figures, the table's totals (the
    overall figure) published beside them."""
    if not rows:
        return []
    if kind == "proportion":
        hits = [_count(r.get("numerator")) for r in rows]
        ns = [_count(r.get("n")) for r in rows]
        t = suppress_table([[h, n - h] for h, n in zip(hits, ns, strict=True)])
        return [
            any(c.suppressed for c in t.cells[i]) or t.row_totals[i].suppressed
            for i in range(len(rows))
        ]
    events, _ = suppress_counts([_count(r.get("numerator")) for r in rows])
    ns, _ = suppress_counts([_count(r.get("n")) for r in rows])
    if kind != "rate":
        return [n.suppressed for n in ns]
    return [e.suppressed or n.suppressed for e, n in zip(events, ns, strict=True)]


def _hidden(kind: str, r: dict) -> bool:
    n = r.get("n")
    if kind == "proportion":
        return share_hidden(r.get("numerator"), n) if r.get("numerator") is not None else small(n)
    if kind == "rate":
        return small(n) or small(r.get("numerator"))
    if kind == "did":
        return small(n) or any(small(c["events"]) for c in (r.get("cells") or {}).values())
    return small(n)


_FIGURES = ("estimate", "ci_low", "ci_high", "numerator", "difference")
# Extra fields that count participants (the largest caseload is that many people); counts of
# staff (case managers, those over the target or cap) name no participant and are shown.
PERSON_COUNTS = ("highest",)


def _blank(row: dict, keep_n: bool = False) -> dict:
    out = dict(row)
    for k in (*_FIGURES, "difference_ci_low", "difference_ci_high", "exposure", "rate", "hits"):
        if k in out:
            out[k] = None
    out["n"] = row.get("n") if keep_n and not small(row.get("n")) else None
    out["suppressed"] = True
    return out


def safe_result(r: dict) -> dict:
    """A metric's result (divert.evaluation.compute.run) as it may be displayed: every
    figure resting on a count from 1 to 10, or giving one away beside the totals, hidden and
    marked `suppressed`; n shown only when it is no small count."""
    kind = r.get("kind", "")
    out = dict(r)
    out["suppressed"] = False
    if r.get("not_estimable"):
        return out
    if _hidden(kind, r):
        out = _blank(out, keep_n=True)
    for k in PERSON_COUNTS:
        if k in out and (out["suppressed"] or small(out[k])):
            out[k] = None
    out.pop("cells", None)  # the four counts behind a did, small or not, stay inside
    for key in ("trend",):
        if key in r:
            hide = _rows_hidden(kind, r[key], r)
            out[key] = [
                _blank(row) if h else row | {"suppressed": False}
                for row, h in zip(r[key], hide, strict=True)
            ]
    if r.get("monthly"):
        hide = _rows_hidden(kind, r["monthly"], r)
        out["monthly"] = [
            _blank(row) if h else row | {"suppressed": False}
            for row, h in zip(r["monthly"], hide, strict=True)
        ]
        if r.get("monthly_additive") and "trend" in out:
            # The months add up to their year: a year with a hidden month is hidden too, so
            # no hidden month is its year's figure less the months shown.
            years = {row["period"][:4] for row in out["monthly"] if row["suppressed"]}
            out["trend"] = [
                _blank(row) if str(row.get("period")) in years and not row["suppressed"] else row
                for row in out["trend"]
            ]
    if "breakdowns" in r:
        out["breakdowns"] = {}
        for col, rows in r["breakdowns"].items():
            hide = _rows_hidden(kind, rows, r)
            out["breakdowns"][col] = [
                _blank(row) if h else row | {"suppressed": False}
                for row, h in zip(rows, hide, strict=True)
            ]
    if "groups" in r:
        names = list(r["groups"])
        rows = [r["groups"][g] for g in names]
        t = suppress_table(
            [[_count(g.get("hits")), _count(g["n"]) - _count(g.get("hits"))] for g in rows]
        )
        out["groups"] = {
            g: _blank(row)
            if any(c.suppressed for c in t.cells[i]) or t.row_totals[i].suppressed
            else row | {"suppressed": False}
            for i, (g, row) in enumerate(zip(names, rows, strict=True))
        }
        out.pop("by_sex", None)
        out.pop("by_age_band", None)
    return out
