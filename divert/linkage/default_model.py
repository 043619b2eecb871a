"""Train the shipped model on a synthetic county: `python -m divert.linkage.default_model`.

The shipped model lets a new site link before it has trained on its own data; a site
retrains on its own people and reviewers' labels with `divert labels train`. Each retraining
gives a new model version.
"""

from __future__ import annotations

import sys
from pathlib import Path

from divert.linkage import engine


def synth_frames(seed: int = 1):
    """(program persons, justice persons, truth links) of the small synthetic county."""
    from divert.synth import small_county

    t = small_county(seed=seed).tables
    left = t["persons"].rename(columns={"person_id": "unique_id"})
    right = t["justice_persons"].rename(columns={"justice_person_id": "unique_id"})
    truth = t["truth_links"][["person_id", "justice_person_id"]]
    return left, right, truth


def main(out: Path = engine.DEFAULT_MODEL) -> None:
    left, right, _ = synth_frames()
    model = engine.train(left, right, seed=42)
    engine.save(model, out)
    print(f"{out}: {model.version}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else engine.DEFAULT_MODEL)
