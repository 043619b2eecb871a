"""The match prior follows the size of the files linked, so a large jurisdiction's many
namesakes do not become automatic links."""

import pandas as pd
import pytest

from divert.linkage import engine


def test_the_prior_is_the_trained_one_for_small_files_and_one_in_the_larger_file_above():
    model = engine.load()
    trained = model.splink["probability_two_random_records_match"]
    assert engine.prior(model, [50, 80]) == trained
    assert engine.prior(model, [10_000, 1_000_000]) == pytest.approx(1e-6)
    assert engine.prior(model, [200_000]) == pytest.approx(5e-6)  # dedupe: one file


def test_the_same_evidence_is_less_sure_against_many_more_records():
    model = engine.load()
    left = pd.DataFrame(
        [{"unique_id": "p1", "first_name": "Robert", "last_name": "Diaz", "sex": "male",
          "race": "white", "birth_year": 1980}]
    )  # fmt: skip
    match = {"unique_id": "j1", "first_name": "Bob", "last_name": "Diaz", "sex": "male",
             "race": "white", "birth_year": 1980}  # fmt: skip
    others = [
        {"unique_id": f"j{i}", "first_name": "Ann", "last_name": f"Zed{i}", "sex": "female",
         "race": "asian", "birth_year": 1950 + i % 40}
        for i in range(2, 20_002)
    ]  # fmt: skip
    few = engine.link(model, left, pd.DataFrame([match] + others[:20]), min_probability=0)
    many = engine.link(model, left, pd.DataFrame([match] + others), min_probability=0)
    p_few = few.set_index("right_id").match_probability["j1"]
    p_many = many.set_index("right_id").match_probability["j1"]
    assert p_many < p_few
