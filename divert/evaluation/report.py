"""Write an evaluation: results.json, report.md and a self-contained report.html (no
network: styles inline, no scripts). The scorecard comes first, then each goal's details,
then methods and data limits."""

from __future__ import annotations

import html
import json
import math
from pathlib import Path
from typing import Any

from divert.evaluation.registry import GOALS

SUPPRESS_BELOW = 11  # counts under 11 are not shown in public tables


def fmt(v: Any, unit: str = "") -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "-"
    if unit == "%":
        return f"{100 * v:.1f}%"
    if isinstance(v, float):
        if unit.startswith("dollars"):
            return f"${v:,.0f}"
        return f"{v:,.1f}" if abs(v) >= 100 else f"{v:.3g}"
    return f"{v:,}" if isinstance(v, int) else str(v)


def cell(m: dict) -> tuple[str, str, str, str]:
    """(estimate, 95% CI, n, trend) as text, or the not-estimable reason."""
    if m.get("groups"):  # an RRI: every analysed group against the reference
        shown = [(g, v) for g, v in m["groups"].items() if g != m.get("reference")]
        est = "; ".join(
            f"{g} {fmt(v.get('estimate'))}"
            if v.get("estimate") is not None
            else f"{g}: not estimable ({v.get('not_estimable')})"
            for g, v in shown
        )
        ci = "; ".join(
            f"{g} {fmt(v['ci_low'])} to {fmt(v['ci_high'])}"
            for g, v in shown
            if v.get("ci_low") is not None
        )
        return (est, ci, fmt(m.get("n")), "")
    if m.get("estimate") is None:
        return (f"not estimable: {m.get('not_estimable') or 'no data'}", "", "", "")
    unit = "%" if m.get("kind") in ("proportion", "top_share") else (m.get("unit") or "")
    ci = "" if m.get("ci_low") is None else f"{fmt(m['ci_low'], unit)} to {fmt(m['ci_high'], unit)}"
    trend = ", ".join(
        f"{t['period']}: {fmt(t['estimate'], unit)}"
        for t in m.get("trend") or []
        if t.get("estimate") is not None
    )
    shown = fmt(m["estimate"], unit) + (f" {unit}" if unit and unit not in ("dollars", "%") else "")
    return (shown, ci, fmt(m.get("n")), trend)


def markdown(r: dict) -> str:
    lines = ["# LEAD evaluation", ""]
    lines += [_period(r), "", "## Scorecard", ""]
    for g in r["goals"].values():
        lines += [f"### {g['title']}", "", "| measure | estimate | 95% CI | n | trend by year |"]
        lines.append("|---|---|---|---|---|")
        for m in g["measures"]:
            lines.append("| " + " | ".join((m["title"], *cell(m))).replace("\n", " ") + " |")
        lines.append("")
    lines += _comparison_md(r["outcomes"]["rearrest"])
    lines += _safety_md(r["outcomes"])
    lines += _by_group_md(r["outcomes"]["rearrest"].get("by_group") or {})
    lines += _rri_md(r["equity"]["rri"])
    lines += _rri_by_md(r["equity"].get("rri_by_sex") or {}, "sex")
    lines += _rri_by_md(r["equity"].get("rri_by_age_band") or {}, "age group")
    lines += ["## Methods and data limits", ""]
    for key, m in r["metrics"].items():
        lines.append(f"- **{m['title']}** (`{key}`): {m['definition']} Inclusion: {m['inclusion']}")
    lines.append("")
    return "\n".join(lines)


def _period(r: dict) -> str:
    p = r["period"]
    span = f"from {p['from'] or 'the start of the data'} to {p['to'] or 'the end of the data'}"
    return f"Data: {r['source']['engine']}, {span}."


def _comparison_md(c: dict) -> list[str]:
    lines = ["## Re-arrest: participants against a matched comparison group", ""]
    lines += ["| estimate | value | 95% CI | n |", "|---|---|---|---|"]
    for key, label in (
        ("odds_ratio_6m", "odds ratio, any arrest within 6 months (matched)"),
        ("naive_odds_ratio_6m", "odds ratio, any arrest within 6 months (naive)"),
        ("hazard_ratio", "hazard ratio of re-arrest (matched)"),
        ("naive_hazard_ratio", "hazard ratio of re-arrest (naive)"),
    ):
        v = c.get(key, {})
        est, ci, n, _ = cell(v)
        lines.append(f"| {label} | {est} | {ci} | {n} |")
    if c.get("balance"):
        lines += ["", "Balance (standardized mean differences; under 0.1 is balanced):", ""]
        lines += ["| covariate | before | after |", "|---|---|---|"]
        lines += [
            f"| {b['covariate']} | {b['smd_before']:.2f} | {b['smd_after']:.2f} |"
            for b in c["balance"]
        ]
    lines.append("")
    return lines


SAFETY_ROWS = (
    ("rearrest", "odds_ratio_followup", "odds ratio, any arrest over the whole follow-up"),
    ("felony", "odds_ratio", "odds ratio, any felony charge"),
    ("bookings", "rate_ratio", "bookings per person-year, rate ratio"),
    ("jail_days", "rate_ratio", "jail days per person-year, rate ratio"),
)


def _safety_md(outcomes: dict) -> list[str]:
    lines = ["## Public safety: arrests, felony charges, bookings and jail days", ""]
    lines += ["| estimate | adjusted | 95% CI | naive | naive 95% CI | n |"]
    lines.append("|---|---|---|---|---|---|")
    for name, key, label in SAFETY_ROWS:
        group = outcomes.get(name, {})
        est, ci, n, _ = cell(group.get(key, {}))
        nest, nci, _, _ = cell(group.get(f"naive_{key}", {}))
        lines.append(f"| {label} | {est} | {ci} | {nest} | {nci} | {n} |")
    lines.append("")
    for name, key, label in SAFETY_ROWS:
        d = outcomes.get(name, {}).get(key, {}).get("definition")
        if d:
            lines.append(f"- **{label}**: {d}")
    lines.append("")
    return lines


def _by_group(v: dict) -> str:
    return "fewer than 11" if v["participants"] < SUPPRESS_BELOW else str(v["participants"])


def _by_group_md(groups: dict) -> list[str]:
    lines = ["## Re-arrest by group (the effect estimate by race)", ""]
    if not groups:
        return [*lines, "Not estimable: no adjusted comparison.", ""]
    lines += ["| group | participants | odds ratio, 6 months | 95% CI | hazard ratio | 95% CI |"]
    lines.append("|---|---|---|---|---|---|")
    for g, v in groups.items():
        o, oci, _, _ = cell(v["odds_ratio_6m"])
        h, hci, _, _ = cell(v["hazard_ratio"])
        lines.append(f"| {g} | {_by_group(v)} | {o} | {oci} | {h} | {hci} |")
    lines.append("")
    return lines


def _rri_md(rri: dict) -> list[str]:
    lines = ["## Relative Rate Index (against non-Hispanic White)", ""]
    lines += ["| decision point | group | RRI | 95% CI | n |", "|---|---|---|---|---|"]
    for point, groups in rri.items():
        if "not_estimable" in groups:
            lines.append(f"| {point} | all | not estimable: {groups['not_estimable']} | | |")
            continue
        for g, v in groups.items():
            est, ci, n, _ = cell(v)
            lines.append(f"| {point} | {g} | {est} | {ci} | {n} |")
    lines.append("")
    return lines


def _rri_by_md(by: dict, what: str) -> list[str]:
    """The RRI within each sex or age group: groups estimable there, the rest said once."""
    if not by:
        return []
    lines = [f"### Relative Rate Index by {what}", ""]
    lines += [
        f"| decision point | {what} | group | RRI | 95% CI | n |",
        "|---|---|---|---|---|---|",
    ]
    for point, subgroups in by.items():
        for sub, groups in subgroups.items():
            if "not_estimable" in groups:
                lines.append(
                    f"| {point} | {sub} | all | not estimable: {groups['not_estimable']} | | |"
                )
                continue
            for g, v in groups.items():
                est, ci, n, _ = cell(v)
                lines.append(f"| {point} | {sub} | {g} | {est} | {ci} | {n} |")
    lines.append("")
    return lines


CSS = """body{font-family:sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;margin:.5rem 0 1.5rem;width:100%}th,td{border:1px solid #ccc;
padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#f2f2f2}
td.ne{color:#8a4b00}h1,h2,h3{line-height:1.2}"""


def sparkline(
    trend: list[dict],
    width: int = 240,
    height: int = 60,
    *,
    labelled=None,
    name: str = "trend by year",
) -> str:
    """A trend as an inline SVG: the estimate by period with its 95% band (no script, no URL);
    each period is labelled, or those `labelled(period)` accepts."""
    pts = [t for t in trend if t.get("estimate") is not None]
    if len(pts) < 2:
        return ""
    lows = [t["ci_low"] if t.get("ci_low") is not None else t["estimate"] for t in pts]
    highs = [t["ci_high"] if t.get("ci_high") is not None else t["estimate"] for t in pts]
    lo, hi = min(lows), max(highs)
    span = (hi - lo) or 1.0
    pad = 14

    def xy(i: int, v: float) -> str:
        x = pad + i * (width - 2 * pad) / (len(pts) - 1)
        y = height - pad - (v - lo) / span * (height - 2 * pad)
        return f"{x:.1f},{y:.1f}"

    band = [xy(i, v) for i, v in enumerate(highs)] + [
        xy(i, v) for i, v in reversed(list(enumerate(lows)))
    ]
    line = " ".join(xy(i, t["estimate"]) for i, t in enumerate(pts))
    labels = "".join(
        f'<text x="{xy(i, lo).split(",")[0]}" y="{height - 2}" font-size="9" '
        f'text-anchor="middle">{t["period"]}</text>'
        for i, t in enumerate(pts)
        if labelled is None or labelled(str(t["period"]))
    )
    return (
        f'<svg width="{width}" height="{height}" '
        f'role="img" aria-label="{name}">'
        f'<polygon points="{" ".join(band)}" fill="#dde8f3"/>'
        f'<polyline points="{line}" fill="none" stroke="#1f5a96" stroke-width="2"/>'
        f"{labels}</svg>"
    )


def monthly_sparkline(monthly: list[dict]) -> str:
    """The monthly trend, wider, each January labelled; hidden months left out."""
    pts = [t for t in monthly if not t.get("suppressed")]
    return sparkline(pts, width=480, labelled=lambda p: p.endswith("-01"), name="trend by month")


def trends_html(r: dict) -> str:
    parts = ["<h2>Trends by year</h2>"]
    for g in r.get("goals", {}).values():
        for m in g["measures"]:
            svg = sparkline(m.get("trend") or [])
            if svg:
                parts.append(f"<p><strong>{html.escape(m['title'])}</strong><br>{svg}</p>")
            svg = monthly_sparkline(m.get("monthly") or [])
            if svg:
                parts.append(
                    f"<p><strong>{html.escape(m['title'])}, by month</strong><br>{svg}</p>"
                )
    return "\n".join(parts) if len(parts) > 1 else ""


def to_html(md: str, extra: str = "") -> str:
    """The Markdown report as one self-contained HTML page (tables, headings, lists), with
    `extra` HTML (the trend charts) after the scorecard's tables."""
    out, table = [], []

    def flush():
        if table:
            rows = [r for r in table if not set(r.replace("|", "").strip()) <= {"-"}]
            head, *body = rows
            cells = lambda r: [c.strip() for c in r.strip().strip("|").split("|")]  # noqa: E731
            out.append("<table><tr>" + "".join(f"<th>{c}</th>" for c in cells(head)) + "</tr>")
            for r in body:
                tds = "".join(
                    f'<td class="ne">{c}</td>' if c.startswith("not estimable") else f"<td>{c}</td>"
                    for c in cells(r)
                )
                out.append(f"<tr>{tds}</tr>")
            out.append("</table>")
            table.clear()

    for raw in md.splitlines():
        line = html.escape(raw)
        if raw.startswith("|"):
            table.append(line)
            continue
        flush()
        if raw.startswith("#"):
            level = len(raw) - len(raw.lstrip("#"))
            out.append(f"<h{level}>{line[level:].strip()}</h{level}>")
        elif raw.startswith("- "):
            out.append(f"<p>{_bold(line[2:])}</p>")
        elif raw.strip():
            out.append(f"<p>{line}</p>")
    flush()
    if extra:  # after the scorecard, before the comparison-group section
        at = next((i for i, x in enumerate(out) if x.startswith("<h2>Re-arrest")), len(out))
        out.insert(at, extra)
    body = "\n".join(out)
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>LEAD evaluation</title><style>{CSS}</style></head><body>{body}</body></html>"
    )


def _bold(text: str) -> str:
    parts = text.split("**")
    return "".join(f"<strong>{p}</strong>" if i % 2 else p for i, p in enumerate(parts))


def clean(v: Any) -> Any:
    """NaN and infinities as null: JSON has no NaN, and a reader must not take one for a number."""
    if isinstance(v, dict):
        return {k: clean(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [clean(x) for x in v]
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if hasattr(v, "item") and not isinstance(v, str):  # numpy scalars
        return clean(v.item())
    return v


def write(r: dict, out: Path, pdf: bool = True) -> list[Path]:
    """results.json, report.md, report.html and (with pdf) report.pdf, each written to a
    temporary name first, so a failure leaves no half-written file."""
    out.mkdir(parents=True, exist_ok=True)
    r = clean(r)
    md = markdown(r)
    page = to_html(md, trends_html(r))
    files = {
        "results.json": (json.dumps(r, indent=1, default=str, allow_nan=False) + "\n").encode(),
        "report.md": md.encode(),
        "report.html": page.encode(),
    }
    if pdf:
        from weasyprint import HTML  # fonts from the system; nothing fetched (no URLs)

        files["report.pdf"] = HTML(string=page).write_pdf()
    paths = []
    for name, data in files.items():
        tmp = out / f".{name}.tmp"
        tmp.write_bytes(data)
        tmp.replace(out / name)
        paths.append(out / name)
    return paths


__all__ = ["GOALS", "markdown", "to_html", "write"]
