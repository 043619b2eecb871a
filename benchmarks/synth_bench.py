"""Benchmark: a synthetic county with at least 1,000,000 bookings over 5 years.

Target: <= 60 s wall time and <= 4 GB peak RSS on 2 cores.

    .venv/bin/python benchmarks/synth_bench.py [--residents N] [--format parquet|csv]
    .venv/bin/python -m benchmarks synth [--residents N]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

from divert.synth import Scenario, generate


def peak_rss_mb() -> float:
    # ru_maxrss is kilobytes on Linux (bytes on macOS).
    scale = 1 / 1024 / 1024 if sys.platform == "darwin" else 1 / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--residents", type=int, default=7_000_000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--format", default="parquet", choices=["parquet", "csv"])
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "county"
        t0 = time.perf_counter()
        summary = generate(Scenario(), args.residents, args.years, args.seed, out, args.format)
        wall = time.perf_counter() - t0
        size_mb = sum(p.stat().st_size for p in out.iterdir()) / 1e6
    bookings = summary.rows["bookings"]
    print(f"residents        {args.residents:,}")
    print(f"years            {args.years}")
    for name in ("persons", "encounters", "bookings", "charges", "enrollments", "contacts"):
        print(f"{name:<16} {summary.rows[name]:,}")
    print(f"total rows       {sum(summary.rows.values()):,}")
    print(f"output           {size_mb:,.0f} MB ({args.format})")
    print(f"wall time        {wall:.1f} s")
    print(f"peak RSS         {peak_rss_mb():,.0f} MB")
    ok = bookings >= 1_000_000 and wall <= 60 and peak_rss_mb() <= 4096
    print("PASS" if ok else "FAIL (target: >= 1,000,000 bookings, <= 60 s, <= 4 GB)")
    if args.json:
        figures = {"rows": summary.rows, "wall_s": wall, "peak_rss_mb": peak_rss_mb()}
        args.json.write_text(json.dumps({"figures": figures, "pass": ok}, default=int))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
