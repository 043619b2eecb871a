"""The evaluation on synthetic counties: time of `divert evaluate`'s two halves and the
re-arrest estimates beside the county's known truth, seed by seed.

    .venv/bin/python -m benchmarks.evaluation_bench --seeds 2,3,4 --residents 600000 --years 5
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", default="2,3,4")
    ap.add_argument("--residents", type=int, default=600_000)
    ap.add_argument("--years", type=int, default=5)
    ap.add_argument("--design", default="psm")
    args = ap.parse_args()
    from divert.evaluation.compare import evaluate
    from divert.evaluation.scorecard import results
    from divert.evaluation.source import from_dir
    from divert.synth.assemble import generate
    from divert.synth.scenario import load_scenario

    def show(f):
        if f.get("estimate") is None:
            return f"not estimable ({f['not_estimable']})"
        return f"{f['estimate']:.3f} ({f['ci_low']:.3f} to {f['ci_high']:.3f})"

    for seed in (int(s) for s in args.seeds.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            d = Path(tmp)
            t0 = time.perf_counter()
            generate(
                load_scenario(None), args.residents, args.years, seed, d, "parquet", force=True
            )
            t1 = time.perf_counter()
            src = from_dir(d)
            t2 = time.perf_counter()
            r = evaluate(src, args.design)
            t3 = time.perf_counter()
            results(src)
            t4 = time.perf_counter()
            truth = json.loads((d / "truth.json").read_text())
        est = truth["estimands"]
        worst = max(r.get("balance", []), key=lambda b: abs(b["smd_after"]), default=None)
        print(
            f"seed {seed}: synth {t1 - t0:.1f} s, load {t2 - t1:.1f} s, comparison {t3 - t2:.1f} s, "
            f"full scorecard {t4 - t3:.1f} s; participants {r.get('participants')}, pool {r.get('comparison_pool')}"
        )
        print(
            f"  OR 6m   matched {show(r['odds_ratio_6m'])}  naive {show(r['naive_odds_ratio_6m'])}  true {est['rearrest_odds_ratio_6m']:.3f}"
        )
        print(
            f"  HR      matched {show(r['hazard_ratio'])}  naive {show(r['naive_hazard_ratio'])}  true {est['rearrest_hazard_ratio']:.3f}"
        )
        print(
            f"  naive rate ratio in truth.json {truth['naive_comparison']['naive_rate_ratio']:.3f}; worst SMD after: {worst}"
        )


if __name__ == "__main__":
    main()
