"""Slow: on synthetic counties with known truth, the matched estimates' 95% intervals cover
the true odds ratio and hazard ratio, and the naive comparison is biased away from them.

The default county is too small for a comparison (about 70 participants), so each run is
a 600,000-resident county over 5 years (about 360 participants, 15 s to generate).
"""

import json

import pytest

from divert.evaluation.compare import evaluate
from divert.evaluation.source import from_dir
from divert.synth.assemble import generate
from divert.synth.scenario import load_scenario

SEEDS = (2, 3, 4)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    out = []
    for seed in SEEDS:
        d = tmp_path_factory.mktemp(f"county{seed}")
        generate(load_scenario(None), 600_000, 5, seed, d, "parquet", force=True)
        truth = json.loads((d / "truth.json").read_text())["estimands"]
        src = from_dir(d)
        out.append((seed, truth, evaluate(src) | {"ipw": evaluate(src, "ipw")}))
    return out


def covers(figure, value):
    return figure["ci_low"] <= value <= figure["ci_high"]


@pytest.mark.slow
def test_matched_intervals_cover_the_true_effect(runs):
    for seed, truth, r in runs:
        assert covers(r["odds_ratio_6m"], truth["rearrest_odds_ratio_6m"]), (
            seed,
            r["odds_ratio_6m"],
        )
        assert covers(r["hazard_ratio"], truth["rearrest_hazard_ratio"]), (seed, r["hazard_ratio"])


@pytest.mark.slow
def test_the_naive_comparison_misses_the_true_effect(runs):
    for seed, truth, r in runs:
        assert not covers(r["naive_hazard_ratio"], truth["rearrest_hazard_ratio"]), seed
        assert r["naive_hazard_ratio"]["estimate"] > truth["rearrest_hazard_ratio"], seed


@pytest.mark.slow
def test_matching_balances_the_covariates(runs):
    for seed, _, r in runs:
        worst = max(abs(b["smd_after"]) for b in r["balance"])
        assert worst < 0.25, (seed, r["balance"])


@pytest.mark.slow
def test_weighting_recovers_the_true_hazard_ratio_too(runs):
    for seed, truth, r in runs:
        assert covers(r["ipw"]["hazard_ratio"], truth["rearrest_hazard_ratio"]), seed
