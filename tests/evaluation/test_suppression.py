"""Small-cell suppression: no count from 1 to 10 shown, and none recoverable from totals."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.linalg import null_space

from divert.evaluation.suppression import (
    SHOWN_AS,
    safe_result,
    share_hidden,
    small,
    suppress_counts,
    suppress_table,
)


def test_counts_from_one_to_ten_are_hidden_and_zero_is_shown():
    assert [small(n) for n in (0, 1, 10, 11, None)] == [False, True, True, False, False]
    cells, total = suppress_counts([0, 12, 40])
    assert [c.shown for c in cells] == [0, 12, 40] and total.shown == 52
    assert SHOWN_AS == "<11"


def test_a_lone_small_count_takes_a_complement_with_it():
    cells, total = suppress_counts([5, 50, 60])
    assert [c.shown for c in cells] == [None, None, 60]
    assert total.shown == 115  # 5 + 50 cannot be split


def test_a_small_total_is_hidden_too():
    cells, total = suppress_counts([0, 4])
    assert total.suppressed and cells[1].suppressed and cells[0].shown == 0


def test_two_small_counts_summing_under_eleven_need_a_third():
    cells, total = suppress_counts([3, 4, 30, 40])
    hidden = [c.value for c in cells if c.suppressed]
    assert 3 in hidden and 4 in hidden and sum(hidden) >= 11


def test_a_share_with_a_small_part_is_hidden():
    assert share_hidden(5, 100) and share_hidden(95, 100) and share_hidden(5, 8)
    assert not share_hidden(0, 100) and not share_hidden(50, 100) and not share_hidden(0, 0)


def test_negative_and_ragged_tables_are_refused():
    with pytest.raises(ValueError, match="negative"):
        suppress_table([[1, -2]])
    with pytest.raises(ValueError, match="same number"):
        suppress_table([[1, 2], [3]])


def _published(table):
    """Every variable (cells, row totals, column totals, total) and the sum lines, as an
    auditor would rebuild them from the published table."""
    r, c = len(table.cells), len(table.cells[0])
    cells = [x for row in table.cells for x in row]
    rt, ct = table.row_totals, table.column_totals
    everything = cells + rt + ct + [table.total]
    base_r, base_c, grand = r * c, r * c + len(rt), len(everything) - 1
    eqs = []
    for i in range(len(rt)):
        eqs.append({**{i * c + j: 1 for j in range(c)}, base_r + i: -1})
    if rt:
        eqs.append({**{base_r + i: 1 for i in range(r)}, grand: -1})
    for j in range(len(ct)):
        eqs.append({**{i * c + j: 1 for i in range(r)}, base_c + j: -1})
    if ct:
        eqs.append({**{base_c + j: 1 for j in range(c)}, grand: -1})
    return everything, eqs


def _determined(table) -> list[int]:
    """Hidden values the published ones pin down: null-space test (an independent method)."""
    everything, eqs = _published(table)
    hidden = [k for k, x in enumerate(everything) if x.suppressed]
    if not hidden or not eqs:
        return [everything[k].value for k in hidden]
    a = np.array([[eq.get(k, 0) for k in hidden] for eq in eqs], dtype=float)
    basis = null_space(a)
    return [everything[k].value for n, k in enumerate(hidden) if np.allclose(basis[n], 0)]


counts = st.integers(min_value=0, max_value=60)


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1, 4).flatmap(
        lambda c: st.lists(st.lists(counts, min_size=c, max_size=c), min_size=1, max_size=4)
    )
)
def test_no_small_count_is_shown_or_recoverable(rows):
    t = suppress_table(rows)
    everything, eqs = _published(t)
    assert not any(small(x.value) and not x.suppressed for x in everything)
    assert _determined(t) == []
    # A line whose total is shown never hides a small sum.
    for eq in eqs:
        total = next(k for k, w in eq.items() if w == -1)
        if not everything[total].suppressed:
            hidden = sum(
                everything[k].value for k, w in eq.items() if w == 1 and everything[k].suppressed
            )
            assert not small(hidden)


def test_it_keeps_what_it_can():
    t = suppress_table([[3, 40, 50], [25, 30, 60], [40, 45, 70]])
    shown = [[c.shown for c in row] for row in t.cells]
    assert shown[2] == [40, 45, 70] and shown[0][2] == 50 and shown[1][2] == 60
    assert t.total.shown == 363


def _prop(hits, n, **extra):
    return {"kind": "proportion", "numerator": hits, "n": n, "estimate": hits / n if n else None,
            "ci_low": 0.1, "ci_high": 0.9, **extra}  # fmt: skip


def test_a_share_of_a_small_count_shows_no_figure():
    r = safe_result({"key": "k", "title": "t", "not_estimable": None} | _prop(4, 200))
    assert r["suppressed"] and r["estimate"] is None and r["ci_low"] is None
    assert r["numerator"] is None and r["n"] == 200
    tiny = safe_result(_prop(3, 7))
    assert tiny["n"] is None


def test_trend_and_breakdown_rows_hide_small_cells_and_their_complements():
    trend = [_prop(3, 50, period=2024), _prop(30, 60, period=2025), _prop(40, 70, period=2026)]
    by = {"officer_id": [_prop(2, 40, value=1), _prop(71, 140, value=2)]}
    r = safe_result(_prop(73, 180) | {"trend": trend, "breakdowns": by})
    assert not r["suppressed"] and r["estimate"] == 73 / 180
    hidden = [row["suppressed"] for row in r["trend"]]
    assert hidden[0] and sum(hidden) >= 2  # one small row cannot be read off the total
    assert all(
        row["estimate"] is None and row["n"] is None for row in r["trend"] if row["suppressed"]
    )
    # Two officers and a total: hiding one hides the other.
    assert [row["suppressed"] for row in r["breakdowns"]["officer_id"]] == [True, True]


def test_not_estimable_passes_through():
    r = safe_result({"kind": "rate", "estimate": None, "n": 0, "not_estimable": "no units"})
    assert r["not_estimable"] == "no units" and not r["suppressed"]


def test_relative_rate_groups_with_small_counts_are_hidden():
    groups = {
        "white": {"hits": 40, "n": 100, "estimate": 1.0},
        "black": {"hits": 30, "n": 60, "estimate": 1.25},
        "asian": {"hits": 2, "n": 15, "estimate": 0.33},
    }
    r = safe_result({"kind": "rri", "n": 175, "groups": groups, "reference": "white"})
    assert r["groups"]["asian"]["suppressed"] and r["groups"]["asian"]["estimate"] is None
    assert sum(g["suppressed"] for g in r["groups"].values()) >= 2


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), min_size=1, max_size=6))
def test_no_shown_row_rests_on_a_small_count(pairs):
    rows = [_prop(h, h + m, period=i) for i, (h, m) in enumerate(pairs)]
    total_h, total_n = sum(h for h, _ in pairs), sum(h + m for h, m in pairs)
    r = safe_result(_prop(total_h, total_n) | {"trend": rows})
    for row in r["trend"]:
        if not row["suppressed"]:
            assert not share_hidden(row["numerator"], row["n"])


def _caseloads(per: list[int]) -> dict:
    import pandas as pd

    from divert.evaluation.fidelity import caseloads
    from divert.evaluation.source import from_frames

    rows = [(cm, i) for cm, k in enumerate(per) for i in range(k)]
    enr = pd.DataFrame(
        {"case_manager_id": [cm for cm, _ in rows], "status": ["active"] * len(rows)}
    )
    return safe_result(caseloads(from_frames({"enrollments": enr})))


def test_a_caseload_under_eleven_is_hidden_but_staff_counts_are_shown():
    # Three case managers with 30, 26 and 4 open cases: the cases are people, the case
    # managers are staff.
    r = _caseloads([30, 26, 4])
    assert r["n"] == 60 and r["highest"] == 30
    assert r["case_managers"] == 3 and r["over_target"] == 2 and r["over_cap"] == 2
    small_load = _caseloads([4, 3])
    assert small_load["suppressed"] and small_load["n"] is None
    assert small_load["highest"] is None and small_load["estimate"] is None
    assert small_load["case_managers"] == 2
    # 12 open cases (shown), but the largest caseload is 7 people: hidden.
    r = _caseloads([7, 5])
    assert r["n"] == 12 and r["highest"] is None


def test_a_month_hidden_hides_its_year_where_months_add_up_to_years():
    months = [_prop(30, 60, period="2024-01"), _prop(3, 40, period="2024-02"),
              _prop(40, 80, period="2025-01"), _prop(50, 90, period="2025-02")]  # fmt: skip
    years = [_prop(33, 100, period=2024), _prop(90, 170, period=2025)]
    r = safe_result(_prop(123, 270) | {"trend": years, "monthly": months,
                                      "monthly_additive": True})  # fmt: skip
    hidden = {row["period"] for row in r["monthly"] if row["suppressed"]}
    assert "2024-02" in hidden and len(hidden) >= 2  # the small month and a complement
    assert all(m["n"] is None for m in r["monthly"] if m["suppressed"])
    # 2024 less its shown January would give February away: every year holding a hidden
    # month is hidden too.
    years_hidden = {str(row["period"]) for row in r["trend"] if row["suppressed"]}
    assert years_hidden == {p[:4] for p in hidden}
    # Months of other units (officer-months beside officer-years) leave the years alone.
    apart = safe_result(_prop(123, 270) | {"trend": years, "monthly": months,
                                          "monthly_additive": False})  # fmt: skip
    assert not any(row["suppressed"] for row in apart["trend"])
