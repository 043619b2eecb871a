"""The comparison-group evaluation: small hand-made checks here; recovery of the synthetic
county's true effect over several seeds is the slow test (test_compare_recovers_truth)."""

import numpy as np
import pandas as pd
import pytest

from divert.evaluation.compare import NotEstimable, evaluate, match, odds_ratio, smd


def test_a_tiny_cohort_is_not_estimable_with_the_reason_never_a_number(tiny):
    r = evaluate(tiny)
    for key in ("odds_ratio_6m", "hazard_ratio", "naive_hazard_ratio"):
        assert r[key]["estimate"] is None
        assert r[key]["not_estimable"].startswith("too few people")


def test_matching_takes_the_nearest_comparisons_inside_the_caliper():
    df = pd.DataFrame({"treated": [1, 1, 0, 0, 0, 0], "person_id": range(6)})
    logit = np.array([0.0, 5.0, 0.05, 0.1, 3.0, -0.02])
    m = match(df, logit, k=2)
    # Treated 0 gets persons 5 and 2; treated 1 (logit 5) has no one within 0.2 SD.
    assert sorted(m.person_id) == [0, 2, 5]
    assert m.set_index("person_id").weight.to_dict() == {0: 1.0, 2: 0.5, 5: 0.5}
    with pytest.raises(NotEstimable):
        match(df, np.array([0.0, 0.0, 9.0, 9.0, 9.0, 9.0]), k=1)


def test_standardized_mean_difference_by_hand():
    df = pd.DataFrame({"treated": [1, 1, 0, 0], "x": [1.0, 3.0, 0.0, 2.0]})
    # means 2 and 1; variances 1 and 1 (population), pooled SD 1
    assert smd(df, ["x"]) == {"x": pytest.approx(1.0)}
    assert smd(df, ["x"], np.array([1, 1, 0, 1.0])) == {"x": pytest.approx(0.0)}


def test_perfect_separation_is_not_estimable():
    n = 30
    df = pd.DataFrame(
        {
            "treated": [1] * n + [0] * n,
            "arrest_6m": [0] * n + [1] * (n - 1) + [0],
            "six_months_follow_up": 1,
            "person_id": range(2 * n),
        }
    )
    assert odds_ratio(df)["not_estimable"].startswith("perfect separation")
