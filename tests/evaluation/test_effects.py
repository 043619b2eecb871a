"""Public-safety effects beside re-arrest: known answers for the GEE odds ratio and the
negative-binomial rate ratio, the justice counts through person_links, and the effect by
group. Recovery on synthetic counties is in test_compare_recovers_truth (slow)."""

import numpy as np
import pandas as pd
import pytest

from divert.evaluation.effects import by_group, gee_odds_ratio, justice_after, nb_rate_ratio
from divert.evaluation.source import from_frames

T = pd.Timestamp


def _two_by_two(a: int, b: int, c: int, d: int, w_comparison: float = 1.0) -> pd.DataFrame:
    """a treated with the outcome, b without; c comparison with, d without."""
    rows = [(1, 1)] * a + [(1, 0)] * b + [(0, 1)] * c + [(0, 0)] * d
    df = pd.DataFrame(rows, columns=["treated", "hit"])
    df["person_id"] = range(len(df))
    df["weight"] = np.where(df.treated == 1, 1.0, w_comparison)
    return df


def test_gee_odds_ratio_is_the_weighted_two_by_two_odds_ratio():
    # A binary exposure in a logistic model gives the table's odds ratio exactly; weights
    # on the comparison arm scale both its cells, which leaves the ratio unchanged.
    r = gee_odds_ratio(_two_by_two(30, 70, 50, 50), "hit")
    assert r["estimate"] == pytest.approx((30 / 70) / (50 / 50), rel=1e-6)
    assert r["ci_low"] < r["estimate"] < r["ci_high"]
    assert r["n"] == 200 and r["n_participants"] == 100
    weighted = gee_odds_ratio(_two_by_two(30, 70, 50, 50, w_comparison=0.25), "hit")
    assert weighted["estimate"] == pytest.approx(r["estimate"], rel=1e-6)
    # ...but fewer effective comparison people give a wider interval.
    assert weighted["ci_high"] - weighted["ci_low"] > r["ci_high"] - r["ci_low"]


def test_gee_odds_ratio_weights_change_the_answer_when_they_differ_within_an_arm():
    df = _two_by_two(30, 70, 50, 50)
    comparison_hit = (df.treated == 0) & (df.hit == 1)
    df.loc[comparison_hit, "weight"] = 3.0  # the comparison's hits count thrice
    r = gee_odds_ratio(df, "hit")
    assert r["estimate"] == pytest.approx((30 / 70) / (150 / 50), rel=1e-6)


def test_gee_clusters_by_person_a_reused_comparison_person_widens_the_interval():
    df = _two_by_two(40, 60, 10, 15)
    reused = pd.concat([df[df.treated == 1]] + [df[df.treated == 0]] * 4, ignore_index=True)
    # The comparison rows repeated four times, as if each person had been matched four
    # times: the point estimate is the same, the interval must not pretend to 4x the people.
    one, four = gee_odds_ratio(df, "hit"), gee_odds_ratio(reused, "hit")
    assert four["estimate"] == pytest.approx(one["estimate"], rel=1e-6)
    assert (four["ci_high"] - four["ci_low"]) == pytest.approx(
        one["ci_high"] - one["ci_low"], rel=0.1
    )


def test_gee_odds_ratio_is_not_estimable_with_the_reason():
    assert gee_odds_ratio(_two_by_two(5, 5, 50, 50), "hit")["not_estimable"].startswith(
        "too few people"
    )
    assert gee_odds_ratio(_two_by_two(0, 100, 50, 50), "hit")["not_estimable"].startswith(
        "perfect separation"
    )


def _counts(irr: float, n: int, seed: int, alpha: float = 0.8) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    treated = rng.integers(0, 2, n)
    years = rng.uniform(0.5, 4.0, n)
    mu = 1.5 * years * np.where(treated == 1, irr, 1.0)
    lam = rng.gamma(1 / alpha, alpha * mu)  # gamma-Poisson: negative binomial, dispersion alpha
    return pd.DataFrame(
        {"treated": treated, "years": years, "n": rng.poisson(lam), "person_id": range(n)}
    )


def test_negative_binomial_rate_ratio_recovers_a_known_rate_ratio():
    r = nb_rate_ratio(_counts(0.6, 4000, seed=7), "n")
    assert r["ci_low"] <= 0.6 <= r["ci_high"]
    assert r["ci_high"] < 0.75  # and it is not a wide interval that covers anything
    assert r["alpha"] == pytest.approx(0.8, rel=0.25)
    null = nb_rate_ratio(_counts(1.0, 4000, seed=8), "n")
    assert null["ci_low"] <= 1.0 <= null["ci_high"]


def test_negative_binomial_uses_person_years_as_exposure():
    df = _counts(1.0, 3000, seed=9)
    # Participants followed twice as long with the same counts: half the rate.
    df["years"] = np.where(df.treated == 1, 2 * df.years, df.years)
    assert nb_rate_ratio(df, "n")["ci_high"] < 0.6


def test_negative_binomial_is_not_estimable_without_events_in_one_group():
    df = _counts(0.6, 200, seed=1)
    df.loc[df.treated == 1, "n"] = 0
    assert nb_rate_ratio(df, "n")["not_estimable"].startswith("no event in one group")


def test_justice_counts_reach_people_only_through_person_links():
    frames = {
        "person_links": pd.DataFrame({"person_id": [1, 2], "justice_person_id": [100, 200]}),
        "bookings": pd.DataFrame(
            {
                "booking_id": [1, 2, 3, 4],
                "justice_person_id": [100, 100, 100, 300],
                "booked_at": [T("2020-01-01"), T("2020-03-01"), T("2020-05-01"), T("2020-03-01")],
            }
        ),
        "charges": pd.DataFrame(
            {
                "charge_id": [1, 2, 3, 4],
                "booking_id": pd.array([1, 2, 3, None], dtype="Int64"),
                "justice_person_id": [100, 100, 100, 200],
                "severity": ["felony", "misdemeanor", "misdemeanor", "felony"],
                "filed_at": [T("2020-01-02"), T("2020-03-02"), pd.NaT, T("2020-06-01")],
            }
        ),
        "jail_stays": pd.DataFrame(
            {
                "booking_id": [1, 2, 3],
                "justice_person_id": [100, 100, 100],
                "admitted_at": [T("2020-01-01"), T("2020-03-01"), T("2020-05-01")],
                "days": [10, 3, 4],
            }
        ),
    }
    src = from_frames(frames)
    index = int(T("2020-02-01").timestamp())
    cohort = pd.DataFrame({"person_id": [1, 2, 3], "index_s": [index] * 3})
    end = int(T("2020-12-31").timestamp())
    out = justice_after(src, cohort, end).set_index("person_id")
    # Person 1: two bookings after the index (the felony booking was before it), 7 days.
    assert out.loc[1, ["bookings_after", "jail_days_after", "felony_after"]].tolist() == [2, 7, 0]
    # Person 2: a felony filed after a missed intake (no booking); person 3 has no link.
    assert out.loc[2, ["bookings_after", "jail_days_after", "felony_after"]].tolist() == [0, 0, 1]
    assert out.loc[3, ["bookings_after", "jail_days_after", "felony_after"]].tolist() == [0, 0, 0]


def _cohort(n: int, groups: list[str], seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(
        {
            "person_id": range(n),
            "treated": rng.integers(0, 2, n),
            "group": rng.choice(groups, n),
            "six_months_follow_up": 1,
            "duration_years": rng.exponential(1.0, n),
        }
    )
    df["arrest_6m"] = rng.binomial(1, np.where(df.treated == 1, 0.3, 0.5))
    df["rearrested"] = rng.binomial(1, 0.7, n)
    return df


def test_the_effect_by_group_is_estimated_where_the_group_is_large_enough():
    df = _cohort(600, ["white"] * 10 + ["black"] * 10 + ["native"])
    r = by_group(df, "ipw")
    assert r["white"]["odds_ratio_6m"]["estimate"] is not None
    assert r["black"]["hazard_ratio"]["estimate"] is not None
    assert r["white"]["participants"] == int(((df.group == "white") & (df.treated == 1)).sum())
    assert r["native"]["participants"] < 20
    assert r["native"]["odds_ratio_6m"]["not_estimable"].startswith("too few people")
    assert r["native"]["hazard_ratio"]["not_estimable"].startswith("too few people")
    assert "asian" not in r  # no participant in the group: no row


def test_under_matching_a_group_keeps_its_participants_pairs_whatever_the_comparisons_group():
    df = pd.DataFrame(
        {
            "person_id": [1, 2, 3, 4],
            "treated": [1, 0, 1, 0],
            "group": ["black", "white", "white", "white"],
            "pair": [0, 0, 1, 1],
            "six_months_follow_up": 1,
            "arrest_6m": [0, 1, 1, 0],
            "rearrested": [0, 1, 1, 0],
            "duration_years": 1.0,
        }
    )
    r = by_group(df, "psm")
    assert r["black"]["participants"] == 1 and r["white"]["participants"] == 1
    # Each group's n counts its participant and that participant's own comparison.
    assert r["black"]["odds_ratio_6m"]["not_estimable"] == (
        "too few people with 6 months of follow-up (1 participants, 1 comparison)"
    )


def test_the_report_shows_adjusted_beside_naive_and_hides_small_group_counts():
    from divert.evaluation.report import _by_group_md, _safety_md

    fig = {"estimate": 0.5, "ci_low": 0.4, "ci_high": 0.62, "n": 300}
    naive = {"estimate": 1.3, "ci_low": 1.1, "ci_high": 1.5, "n": 900}
    outcomes = {
        "rearrest": {"odds_ratio_followup": fig, "naive_odds_ratio_followup": naive},
        "felony": {"odds_ratio": {"estimate": None, "not_estimable": "no person_links"}},
        "bookings": {"rate_ratio": fig, "naive_rate_ratio": naive},
        "jail_days": {"rate_ratio": fig, "naive_rate_ratio": naive},
    }
    lines = _safety_md(outcomes)
    row = next(x for x in lines if x.startswith("| bookings per person-year"))
    assert (
        row
        == "| bookings per person-year, rate ratio | 0.5 | 0.4 to 0.62 | 1.3 | 1.1 to 1.5 | 300 |"
    )
    assert any("not estimable: no person_links" in x for x in lines if "felony" in x)
    ne = {"estimate": None, "not_estimable": "too few people"}
    groups = {"white": {"participants": 120, "odds_ratio_6m": fig, "hazard_ratio": fig},
              "native": {"participants": 4, "odds_ratio_6m": ne, "hazard_ratio": ne}}  # fmt: skip
    text = "\n".join(_by_group_md(groups))
    assert "| white | 120 | 0.5 |" in text
    assert "| native | fewer than 11 | not estimable: too few people |" in text
