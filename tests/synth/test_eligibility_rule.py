from pathlib import Path

import numpy as np
import pytest

from divert.synth.eligibility import eligible, years_before, years_since_last_violent
from divert.synth.scenario import Eligibility

EXPLICIT = Eligibility(policy="")


def _one(rule=None, **kw):
    base = dict(
        code="35A", activity="possess", grams=1.0, code2="", age_years=30.0,
        years_since_violent=np.inf, probable_cause=True, known_activity=True,
    )  # fmt: skip
    base.update(kw)
    args = {k: np.array([v]) for k, v in base.items()}
    return bool(eligible(rule or Eligibility(), **args)[0])


def _policy(name: str) -> Eligibility:
    return Eligibility(policy=f"policies/{name}.toml")


def test_seattle_2011_diverts_less_than_three_grams():
    assert _one(grams=2.99)
    assert not _one(grams=3.0)  # "less than 3 grams", the protocol's wording
    assert _one(EXPLICIT, grams=3.0)  # the explicit rule reads "3 grams or less"


def test_a_larger_quantity_rule_from_the_scenario_is_respected():
    assert _one(Eligibility(max_grams=5.0), grams=4.5)
    assert _one(_policy("san-francisco"), grams=5.0)
    assert not _one(_policy("san-francisco"), grams=5.01)


@pytest.mark.parametrize("activity", ["subsistence_sale", "use"])
def test_subsistence_sale_and_use_are_eligible(activity):
    assert _one(activity=activity)


@pytest.mark.parametrize("activity", ["sale_for_profit", "manufacture"])
def test_dealing_for_profit_is_not(activity):
    assert not _one(activity=activity)


def test_prostitution_is_in_and_promoting_prostitution_is_out():
    assert _one(code="40A", activity="solicit", grams=np.nan)
    assert not _one(code="40B", activity="promote", grams=np.nan)


def test_a_violent_or_weapons_offense_in_the_encounter_disqualifies():
    assert not _one(code2="13B")
    assert not _one(code2="520")


def test_violent_history_disqualifies_only_within_the_lookback():
    assert not _one(EXPLICIT, years_since_violent=9.9)
    assert _one(EXPLICIT, years_since_violent=10.1)


@pytest.mark.filterwarnings("ignore:policy 'santa-fe' has drug-specific limits")
def test_history_of_unknown_code_counts_under_every_violent_rule():
    # A bare number of years carries no code: Seattle's any-time violent rule applies.
    assert not _one(years_since_violent=30.0)
    assert _one(_policy("san-francisco"), years_since_violent=8.1)  # strikes: 8 years
    assert not _one(_policy("san-francisco"), years_since_violent=7.9)
    assert not _one(_policy("santa-fe"), years_since_violent=30.0)  # presumptive, any time


def _history(rule, codes, dates, prior="NaT"):
    """One person's encounters on `dates` (the last is screened); all earlier ones violent."""
    n = len(dates)
    at = np.array(dates, dtype="datetime64[s]")
    hist = years_since_last_violent(
        np.zeros(n, dtype=int), at, np.arange(n) < n - 1, np.array([prior], dtype="datetime64[D]")
    )
    args = dict(
        code=np.array([*codes, "35A"], dtype=object), activity=np.full(n, "possess", dtype=object),
        grams=np.ones(n), code2=np.full(n, "", dtype=object), age_years=np.full(n, 30.0),
        years_since_violent=hist, probable_cause=np.ones(n, dtype=bool),
        known_activity=np.ones(n, dtype=bool),
    )  # fmt: skip
    return bool(eligible(rule, **args)[-1])


def test_each_history_rule_has_its_own_codes_and_look_back():
    seattle = Eligibility()
    # Related but lesser (13B simple assault): 10 years back, counted by calendar date.
    assert not _history(seattle, ["13B"], ["2010-03-14 23:00", "2020-03-14 08:00"])
    assert _history(seattle, ["13B"], ["2010-03-13 23:00", "2020-03-14 08:00"])
    # Violent (13A aggravated assault): at any time.
    assert not _history(seattle, ["13A"], ["1990-01-01", "2020-03-14"])
    # The prior conviction (no code) counts under every rule naming a violent code.
    assert not _history(seattle, [], ["2020-03-14"], prior="1990-01-01")
    sf = _policy("san-francisco")
    assert not _history(sf, [], ["2020-03-14"], prior="2012-03-14")
    assert _history(sf, [], ["2020-03-14"], prior="2012-03-13")
    assert _history(sf, ["13B"], ["2019-01-01", "2020-03-14"])  # not a strike


def test_the_look_back_starts_on_the_same_day_n_years_earlier():
    days = np.array(["2024-02-29", "2026-03-14", "2025-12-31"], dtype="datetime64[D]")
    assert years_before(days, 10).astype(str).tolist() == ["2014-02-28", "2016-03-14", "2015-12-31"]
    assert str(years_before(days[:1], 4)[0]) == "2020-02-29"


def test_under_a_policy_every_offense_must_be_eligible():
    # Paraphernalia found with possession is possession; any other secondary offense is
    # recorded as "other", which no shipped policy allows.
    assert _one(code2="35B")
    assert not _one(code2="90Z")
    assert _one(EXPLICIT, code2="90Z")  # the explicit rule only looks for violent codes
    assert not _one(code="40C", activity="purchase", grams=np.nan)
    assert _one(_policy("san-francisco"), code="40A", activity="solicit", grams=np.nan)
    assert not _one(_policy("san-francisco"), activity="sale_for_profit")


def test_a_weighed_activity_without_grams_is_not_eligible():
    assert not _one(grams=np.nan)
    assert _one(code="35B", grams=np.nan)


def test_drug_specific_rules_need_the_drug_column():
    santa_fe = _policy("santa-fe")
    args = dict(
        code=np.array(["35A", "35A"], dtype=object), activity=np.array(["possess"] * 2, dtype=object),
        grams=np.array([9.0, 9.0]), code2=np.array(["", ""], dtype=object),
        age_years=np.array([30.0, 30.0]), years_since_violent=np.array([np.inf, np.inf]),
        probable_cause=np.array([True, True]), known_activity=np.array([True, True]),
    )  # fmt: skip
    drug = np.array(["prescription_opioid_pills", "heroin"], dtype=object)
    assert eligible(santa_fe, **args, drug=drug).tolist() == [True, False]  # pills not weighed
    with pytest.warns(UserWarning, match="drug-specific"):
        assert eligible(santa_fe, **args).tolist() == [False, False]


def test_a_closed_pathway_makes_nobody_eligible_through_it(tmp_path):
    text = (Path(__file__).resolve().parents[2] / "policies" / "seattle-2011.toml").read_text()
    p = tmp_path / "arrests-only.toml"
    p.write_text(
        text.replace('open = ["arrest_diversion", "social_contact"]', 'open = ["arrest_diversion"]')
    )
    rule = Eligibility(policy=str(p))
    assert _one(rule)
    assert not _one(rule, probable_cause=False, code="90J")


def test_people_under_18_are_not_eligible():
    assert not _one(age_years=17.9)


def test_a_social_contact_needs_known_drug_or_sex_work_activity():
    assert _one(probable_cause=False, code="90J", known_activity=True)
    assert not _one(probable_cause=False, code="90J", known_activity=False)


def test_history_counts_only_earlier_violent_arrests_of_the_same_person():
    person = np.array([0, 0, 0, 1])
    at = np.array(["2012-01-01", "2013-01-01", "2014-01-01", "2014-06-01"], dtype="datetime64[s]")
    violent = np.array([False, True, False, False])
    prior = np.array(["NaT", "NaT"], dtype="datetime64[D]")
    years = years_since_last_violent(person, at, violent, prior)
    assert np.isinf(years[0]) and np.isinf(years[1]) and np.isinf(years[3])
    assert years[2] == pytest.approx(1.0, abs=0.01)


def test_every_diverted_encounter_is_eligible_and_in_an_active_lead_area(medium):
    enc = medium.tables["encounters"]
    diverted = enc[enc.action.isin(["diverted", "referred"])]
    assert len(diverted) > 100
    assert diverted.eligible.all() and diverted.lead_active.all()
