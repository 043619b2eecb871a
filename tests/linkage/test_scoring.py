"""The in-process scorer gives the engine's own match weights, level for level."""

import datetime

import pandas as pd
import pytest

from divert.linkage import engine, scoring
from divert.linkage.default_model import synth_frames
from divert.linkage.prepare import prepare, record


@pytest.fixture(scope="module")
def model():
    return engine.load()


def test_record_prepares_one_row_as_prepare_does_a_frame():
    rows = [
        {"unique_id": 1, "first_name": "Bob", "last_name": "Smith-Jones", "dob": "1980-03-07"},
        {"unique_id": 2, "first_name": None, "last_name": "Lee", "birth_year": 1975, "sex": "F"},
        {"unique_id": 3, "first_name": "Ann", "outside_ids": ["jail:1"], "postcode": 98101},
    ]
    frame = prepare(pd.DataFrame(rows))
    for row, (_, expected) in zip(rows, frame.iterrows(), strict=True):
        got = record(row)
        for column, value in expected.items():
            value = None if value is pd.NA or value is None else value
            assert got[column] == value, (column, got[column], value)


@pytest.mark.slow
def test_the_scorer_agrees_with_splink_on_the_synthetic_county(model):
    left, right, _ = synth_frames(seed=2)
    left, right = left.head(600), right.head(600)
    pairs = engine.link(model, left, right, min_probability=1e-9)
    assert len(pairs) > 200
    scorer = scoring.Scorer(model)
    lefts = {str(r["unique_id"]): record(r) for r in left.to_dict("records")}
    rights = {str(r["unique_id"]): record(r) for r in right.to_dict("records")}
    for pair in pairs.itertuples():
        ours = scorer.weight(lefts[pair.left_id], rights[pair.right_id])
        assert ours == pytest.approx(pair.match_weight, abs=1e-6), pair


def test_the_scorer_agrees_with_splink_on_noisy_spellings(model):
    truth = {"unique_id": 1, "first_name": "Robert", "last_name": "Kowalski",
             "dob": datetime.date(1971, 5, 24), "sex": "male", "race": "white"}  # fmt: skip
    noisy = [
        ("Bob", "Kowalski", datetime.date(1971, 5, 24)),
        ("Kowalski", "Robert", datetime.date(1971, 5, 24)),
        ("Robert", "Kowalski-Reyes", datetime.date(1971, 5, 24)),
        ("Rob", "Kowalsky", datetime.date(1971, 5, 24)),
        ("Robert", "Kowalski", datetime.date(1971, 12, 5)),
        ("Robert", "Kowalski", datetime.date(1917, 5, 24)),
        ("Denise", "Okafor", None),
        ("R", "Kowalski", None),
    ]
    scorer = scoring.Scorer(model)
    candidates = pd.DataFrame([{**truth, "unique_id": i} for i in range(1)])
    for first, last, dob in noisy:
        query = {"first_name": first, "last_name": last, "dob": dob, "sex": "male"}
        splink = engine.score(model, query, candidates).match_weight.iloc[0]
        ours = scorer.weight(record({**query, "unique_id": "__new__"}), record(truth))
        assert ours == pytest.approx(splink, abs=1e-6), (first, last, dob)


def test_a_condition_without_a_python_form_is_refused():
    with pytest.raises(engine.LinkageError, match="no in-process form"):
        scoring.condition('levenshtein("first_name_l", "first_name_r") <= 2')
    test = scoring.condition('("dob_l" IS NULL OR "dob_r" IS NULL) AND "a_l" = "a_r"')
    assert test({"dob": None, "a": 1}, {"dob": "x", "a": 1})
    assert not test({"dob": "y", "a": 1}, {"dob": "x", "a": 1})
