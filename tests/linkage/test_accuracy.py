"""Precision and recall against the synthetic county's truth links, at the shipped thresholds."""

import pytest

from divert.linkage import engine
from divert.linkage.default_model import synth_frames


def _scores(pairs, truth, threshold):
    chosen = pairs[pairs.match_probability >= threshold]
    # A justice record belongs to one person: keep its best candidate.
    chosen = chosen.sort_values("match_probability", ascending=False).drop_duplicates("right_id")
    found = set(zip(chosen.left_id, chosen.right_id, strict=True))
    true = set(zip(truth.person_id.astype(str), truth.justice_person_id.astype(str), strict=True))
    hits = len(found & true)
    return hits / len(found), hits / len(true)


@pytest.mark.slow
@pytest.mark.parametrize("seed", [2])
def test_the_synthetic_county_links_with_precision_and_recall_of_98_percent(seed):
    # A county the shipped model was not trained on (it was trained on seed 1).
    left, right, truth = synth_frames(seed=seed)
    model = engine.load()
    pairs = engine.link(model, left, right)
    precision, recall = _scores(pairs, truth, model.thresholds.review)
    assert precision >= 0.98 and recall >= 0.98, (precision, recall)
    auto_precision, auto_recall = _scores(pairs, truth, model.thresholds.link)
    assert auto_precision >= 0.995, auto_precision
    assert auto_recall >= 0.95, auto_recall
