"""A full evaluation at state scale: `divert evaluate` (DuckDB) on a synthetic county with at
least 1,000,000 arrest records over 5 years, beside a straightforward pandas + statsmodels
script computing the core estimates on the same files (benchmarks/evaluation_pandas.py).

    .venv/bin/python -m benchmarks.evaluation_scale [--residents 7000000] [--years 5]
        [--seed 1] [--keep DIR] [--no-pdf] [--json FILE]

Target (issue 12): <= 120 s and <= 4 GB peak RSS on 2 cores. Each side runs in its own
process, timed from start to exit (imports and reading the files included); peak RSS is
the child's own (wait4). The county is made first, in a child of its own, and not timed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_S = 120.0
TARGET_MB = 4096.0
REPO = Path(__file__).resolve().parent.parent


def _run(cmd: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MB) and stdout of a child process."""
    began = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE, cwd=REPO)  # noqa: S603
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - began
        proc.returncode = os.waitstatus_to_exitcode(status)
        err = proc.stderr.read().decode() if proc.stderr else ""
        out.seek(0)
        text = out.read().decode()
    if proc.returncode:
        raise SystemExit(f"{cmd[2:4]} failed ({proc.returncode}):\n{err[-2000:]}")
    return wall, usage.ru_maxrss / 1024, text


def main() -> dict:
    ap = argparse.ArgumentParser()
    ap.add_argument("--residents", type=int, default=7_000_000)
    ap.add_argument("--years", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", type=Path, help="Make (or reuse) the county here.")
    ap.add_argument("--no-pdf", action="store_true")
    ap.add_argument("--json", type=Path, help="Also write the figures here.")
    args = ap.parse_args()
    import duckdb

    tmp = tempfile.TemporaryDirectory() if args.keep is None else None
    county = args.keep or Path(tmp.name) / "county"
    if not (county / "encounters.parquet").exists():
        # In a child of its own: a child's peak RSS starts from its parent's size at the fork,
        # so a county made in this process would be counted in both timed runs below.
        made, _, _ = _run([sys.executable, "-c", "from divert.cli import app; app()", "synth",
                           "--residents", str(args.residents), "--years", str(args.years),
                           "--seed", str(args.seed), "--format", "parquet", "--force",
                           "--out", str(county)])  # fmt: skip
        print(f"county made in {made:.0f} s (not timed below)")
    enc = str(county / "encounters.parquet")
    arrests = duckdb.sql(
        "SELECT count(*) FROM read_parquet(?) WHERE probable_cause", params=[enc]
    ).fetchall()[0][0]
    out_dir = county.parent / "evaluation"
    evaluate = [sys.executable, "-c", "from divert.cli import app; app()", "evaluate",
                "--data", str(county), "--out", str(out_dir)]  # fmt: skip
    if args.no_pdf:
        evaluate.append("--no-pdf")
    d_wall, d_mb, _ = _run(evaluate)
    results = json.loads((out_dir / "results.json").read_text())
    p_wall, p_mb, text = _run([sys.executable, "-m", "benchmarks.evaluation_pandas", str(county)])
    pandas_figures = json.loads(text.strip().splitlines()[-1])
    rearrest = results["outcomes"]["rearrest"]
    r = {
        "arrests": int(arrests),
        "years": args.years,
        "residents": args.residents,
        "cores": os.cpu_count(),
        "load_average_before": os.getloadavg()[0],
        "divert_evaluate": {"wall_s": d_wall, "peak_rss_mb": d_mb, "pdf": not args.no_pdf},
        "pandas_statsmodels": {"wall_s": p_wall, "peak_rss_mb": p_mb},
        "estimates": {
            "divert": {
                k: rearrest[k].get("estimate")
                for k in (
                    "odds_ratio_6m",
                    "naive_odds_ratio_6m",
                    "hazard_ratio",
                    "naive_hazard_ratio",
                )  # fmt: skip
            },
            "pandas": pandas_figures,
        },
    }
    met = d_wall <= TARGET_S and d_mb <= TARGET_MB
    print(f"{arrests:,} arrest records, {args.years} years, {os.cpu_count()} cores")
    print(f"divert evaluate (DuckDB, every figure, report{'' if args.no_pdf else ' + PDF'}): "
          f"{d_wall:6.1f} s, peak RSS {d_mb:7,.0f} MB")  # fmt: skip
    print(f"pandas + statsmodels (core estimates only):  {p_wall:6.1f} s, peak RSS {p_mb:7,.0f} MB")
    print(f"target <= {TARGET_S:.0f} s and <= {TARGET_MB / 1024:.0f} GB: "
          f"{'met' if met and arrests >= 1_000_000 else 'MISSED'}")  # fmt: skip
    print(json.dumps(r))
    if args.json:
        args.json.write_text(json.dumps({"figures": r}))
    if tmp is not None:
        tmp.cleanup()
    if not met:
        raise SystemExit(1)
    return r


if __name__ == "__main__":
    main()
