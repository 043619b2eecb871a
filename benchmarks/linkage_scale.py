"""Benchmark: the identity engine linking 10,000 participants against 1,000,000 justice person
records with DuckDB, as `divert link` does (target: <= 90 s and <= 4 GB on 2 cores).

    .venv/bin/python -m benchmarks linkage_scale [--participants 10000] [--justice 1000000]

The justice side is 1,000,000 people with the synthetic county's names and its identity noise
(divert.synth.noise at the default scenario's rates: typos, nicknames, swapped names, hyphenated
surnames, missing, partial and transposed dates of birth, race recorded differently). The
participants are clean records: 80% are people on the justice side, 20% are not. The clock
covers preparing both frames (names, phonetic codes, nickname forms), blocking, scoring with
the shipped trained model and the pairs above the review threshold; the peak RSS is the
process's. Precision and recall count each participant's best pair above the link threshold
against the generated truth.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
import pandas as pd

from benchmarks._common import peak_rss_mb


def people(justice: int, participants: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    from divert.synth.names import FEMALE_FIRST, MALE_FIRST, SURNAMES
    from divert.synth.noise import add_noise
    from divert.synth.scenario import RACES, Noise

    rng = np.random.default_rng(seed)
    sex = rng.choice(["male", "female"], size=justice, p=[0.7, 0.3])
    first = np.where(
        sex == "male", rng.choice(MALE_FIRST, justice), rng.choice(FEMALE_FIRST, justice)
    )
    clean = pd.DataFrame(
        {
            "first_name": first,
            "last_name": rng.choice(SURNAMES, justice),
            "dob": pd.to_datetime("1950-01-01")
            + pd.to_timedelta(rng.integers(0, 55 * 365, justice), unit="D"),
            "race": rng.choice(RACES, justice),
            "sex": sex,
        }
    )
    noisy, _ = add_noise(rng, clean, Noise())
    right = noisy.assign(unique_id=np.arange(justice), sex=sex)
    right["dob"] = right.dob.dt.date.astype(object).where(right.dob.notna(), None)
    inside = round(participants * 0.8)
    chosen = rng.choice(justice, size=inside, replace=False)
    left = clean.iloc[chosen].reset_index(drop=True)
    outsiders = clean.sample(participants - inside, random_state=seed + 1).reset_index(drop=True)
    outsiders["dob"] = outsiders.dob + pd.to_timedelta(rng.integers(400, 4000, len(outsiders)), "D")
    left = pd.concat([left, outsiders], ignore_index=True)
    left["dob"] = left.dob.dt.date
    left["unique_id"] = np.arange(participants) + 10_000_000
    truth = pd.DataFrame({"left_id": left.unique_id[:inside], "right_id": chosen})
    return left, right, truth


def run(justice: int, participants: int, seed: int) -> dict:
    from divert.linkage import engine

    made = time.perf_counter()
    left, right, truth = people(justice, participants, seed)
    made = time.perf_counter() - made
    model = engine.load()
    t0 = time.perf_counter()
    pairs = engine.link(model, left, right)
    wall = time.perf_counter() - t0
    best = pairs.sort_values("match_probability", ascending=False).drop_duplicates("left_id")
    linked = best[best.match_probability >= model.thresholds.link]
    true = set(zip(truth.left_id, truth.right_id, strict=True))
    found = set(zip(linked.left_id.astype(int), linked.right_id.astype(int), strict=True))
    hits = len(found & true)
    return {
        "participants": participants,
        "justice_records": justice,
        "generate_s": round(made, 1),
        "wall_s": round(wall, 1),
        "peak_rss_mb": round(peak_rss_mb()),
        "pairs_at_review": len(pairs),
        "precision": round(hits / len(found), 4) if found else None,
        "recall": round(hits / len(true), 4),
        "model_version": model.version,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--justice", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", help="write the figures here")
    args = parser.parse_args(argv)
    figures = run(args.justice, args.participants, args.seed)
    print(json.dumps(figures, indent=2))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"figures": figures}, f)
    return 0 if figures["wall_s"] <= 90 and figures["peak_rss_mb"] <= 4096 else 1


if __name__ == "__main__":
    raise SystemExit(main())
