"""Realized quantities match the scenario within sampling error (4 standard errors)."""

import numpy as np
import pandas as pd
import pytest

from divert.synth import Scenario, build
from divert.synth.noise import transposable


def _within(observed, expected, se, k=4.0):
    assert abs(observed - expected) <= k * se, f"{observed:.4f} vs {expected:.4f} (se {se:.4f})"


def test_the_realized_effect_on_encounters_matches_the_hazard_ratio(medium):
    tp = medium.tables["truth_persons"]
    hr = medium.truth["scenario"]["effect"]["rearrest_hazard_ratio"]
    potential, realized = tp.potential_after.sum(), tp.realized_after.sum()
    assert potential > 1_000
    _within(realized / potential, hr, np.sqrt(hr * (1 - hr) / potential))


def test_a_rate_ratio_on_latent_risk_recovers_the_effect(medium):
    # Comparable people: each treated person's own latent rate is the counterfactual.
    t = medium.tables
    tp = t["truth_persons"]
    treated = tp[tp.treated_from.notna()].set_index("person_id")
    end = pd.Timestamp(medium.truth["end_date"])
    years = (end - treated.treated_from).dt.total_seconds() / (365.25 * 86400)
    expected = (treated.base_rate * treated.enforcement_factor * years).sum()
    enc = t["encounters"].merge(treated.treated_from, left_on="person_id", right_index=True)
    observed = (enc.occurred_at > enc.treated_from).sum()
    hr = medium.truth["effect"]["rearrest_hazard_ratio"]
    _within(observed / expected, hr, np.sqrt(observed) / expected)


def test_per_capita_encounters_show_the_enforcement_disparity(medium):
    # What an evaluation sees: pre-launch encounters per resident, Black vs White.
    t = medium.tables
    launch = pd.Timestamp(medium.truth["scenario"]["program"]["launch_date"])
    enc = t["encounters"][t["encounters"].occurred_at < launch]
    enc = enc.merge(t["persons"][["person_id", "race"]], on="person_id")
    pop = t["population"][~t["population"].age_band.isin(["0-14"])].groupby("race").residents.sum()
    counts = enc.groupby("race").size()
    ratio = (counts["black"] / pop["black"]) / (counts["white"] / pop["white"])
    factor = medium.truth["scenario"]["disparity"]["enforcement_factor"]["black"]
    # Poisson counts of people-level rates: allow a generous 15%.
    assert ratio == pytest.approx(factor, rel=0.15)
    assert medium.truth["enforcement_rate_ratio_vs_white"]["black"] == pytest.approx(
        factor, rel=0.1
    )


def test_officer_buy_in_is_heavy_tailed(medium):
    o = medium.truth["lead_area_officers"]
    assert o["top_10pct_share_of_diversions"] > 0.5
    never = Scenario().police.never_divert_share
    assert o["never_diverted"] / o["total"] >= never * 0.8


def test_identity_noise_rates_match_the_scenario(medium):
    t = medium.tables
    links = t["truth_links"]
    noise = Scenario().noise
    n = len(links)
    for kind in ("typo", "swapped_names", "hyphenated_surname", "dob_missing", "race_mismatch"):
        rate = getattr(noise, kind)
        _within(links[kind].mean(), rate, np.sqrt(rate * (1 - rate) / n))
    dobs = t["persons"].set_index("person_id").dob.reindex(links.person_id)
    possible = transposable(dobs) & ~links.dob_missing.to_numpy() & ~links.dob_partial.to_numpy()
    rate = noise.dob_transposed
    _within(
        links.dob_transposed[possible].mean(), rate, np.sqrt(rate * (1 - rate) / possible.sum())
    )


def test_noise_actually_changes_the_justice_records(medium):
    t = medium.tables
    j = t["justice_persons"].merge(t["truth_links"], on="justice_person_id")
    j = j.merge(t["persons"], on="person_id", suffixes=("", "_p"))
    clean = ~j[["typo", "nickname", "swapped_names", "hyphenated_surname"]].any(axis=1)
    assert (j.first_name[clean] == j.first_name_p[clean]).all()
    assert (j.first_name[j.nickname] != j.first_name_p[j.nickname]).all()
    assert (
        j.first_name[j.swapped_names & ~j.typo & ~j.nickname]
        == j.last_name_p[j.swapped_names & ~j.typo & ~j.nickname].where(~j.hyphenated_surname)
    ).sum() > 0
    assert j.dob[j.dob_missing | j.dob_partial].isna().all()
    assert j.birth_year[j.dob_partial].notna().all()


def test_truth_links_are_complete(medium):
    t = medium.tables
    links = t["truth_links"]
    assert set(links.justice_person_id) == set(t["justice_persons"].justice_person_id)
    assert set(t["bookings"].justice_person_id) <= set(links.justice_person_id)
    booked_people = set(t["truth_bookings"].person_id)
    assert booked_people <= set(links.person_id)
    # Each booking's justice id links back to the person whose encounter it was.
    b = (
        t["bookings"]
        .merge(t["truth_bookings"], on="booking_id")
        .merge(links, on="justice_person_id", suffixes=("", "_l"))
    )
    assert (b.person_id == b.person_id_l).all()
    assert sum(len(v) for v in medium.truth["links"].values()) == len(links)


def test_the_naive_comparison_overstates_the_effect(medium):
    naive = medium.truth["naive_comparison"]
    assert naive["participant_mean_latent_risk"] < naive["comparison_mean_latent_risk"]
    assert naive["naive_rate_ratio"] < medium.truth["effect"]["rearrest_hazard_ratio"]


def test_reversing_selection_reverses_the_bias():
    base = Scenario()
    s = base.model_copy(
        update={"police": base.police.model_copy(update={"selection_strength": -1.5})}
    )
    c = build(s, residents=400_000, years=5, seed=7)
    naive = c.truth["naive_comparison"]
    assert naive["participant_mean_latent_risk"] > naive["comparison_mean_latent_risk"]


@pytest.mark.slow
def test_the_bias_direction_follows_the_scenario_on_a_large_county():
    base = Scenario()
    up = build(base, residents=3_000_000, years=5, seed=21).truth
    s = base.model_copy(
        update={"police": base.police.model_copy(update={"selection_strength": -1.5})}
    )
    down = build(s, residents=3_000_000, years=5, seed=21).truth
    hr = base.effect.rearrest_hazard_ratio
    assert (
        up["naive_comparison"]["naive_rate_ratio"]
        < hr
        < down["naive_comparison"]["naive_rate_ratio"]
    )


@pytest.mark.slow
def test_monthly_outcomes_reach_the_seattle_18_month_ratios():
    c = build(Scenario(), residents=3_000_000, years=6, seed=22)
    ms = c.tables["monthly_status"]
    o = Scenario().outcomes
    at = ms[ms.months_since_intake == 18]
    assert len(at) > 500
    sheltered = (at.housing != "unsheltered").mean()
    assert sheltered == pytest.approx(o.sheltered_baseline * o.sheltered_ratio_18m, abs=0.05)
    assert (at.housing == "permanent").mean() == pytest.approx(
        o.permanent_baseline * o.permanent_ratio_18m, abs=0.05
    )
    assert at.employment_continuum.mean() == pytest.approx(
        o.employment_baseline * o.employment_ratio_18m, abs=0.05
    )
    assert at.income_or_benefits.mean() == pytest.approx(
        o.income_baseline * o.income_ratio_18m, abs=0.05
    )


@pytest.mark.slow
def test_felony_charges_and_jail_days_fall_by_their_rate_ratios():
    # Expected per treated person-year from the same people's pre-intake bookings is biased
    # by regression to the mean, so compare per-booking multipliers instead.
    s = Scenario()
    c = build(s, residents=3_000_000, years=5, seed=23)
    t = c.tables
    tb = t["truth_bookings"].merge(
        t["truth_persons"][["person_id", "treated_from"]], on="person_id"
    )
    tb = tb.merge(t["bookings"][["booking_id", "booked_at"]], on="booking_id")
    tb["treated"] = tb.booked_at > tb.treated_from
    days = (
        tb.merge(t["jail_stays"][["booking_id", "days"]], on="booking_id")
        .groupby("treated")
        .days.mean()
    )
    expected = s.effect.jail_days_rate_ratio / s.effect.rearrest_hazard_ratio
    assert days[True] / days[False] == pytest.approx(expected, rel=0.25)
