import numpy as np
import pytest

from divert.synth.eligibility import eligible, years_since_last_violent
from divert.synth.scenario import Eligibility


def _one(rule=None, **kw):
    base = dict(
        code="35A", activity="possess", grams=1.0, code2="", age_years=30.0,
        years_since_violent=np.inf, probable_cause=True, known_activity=True,
    )  # fmt: skip
    base.update(kw)
    args = {k: np.array([v]) for k, v in base.items()}
    return bool(eligible(rule or Eligibility(), **args)[0])


def test_possession_of_three_grams_is_eligible_and_a_bit_more_is_not():
    assert _one(grams=3.0)
    assert not _one(grams=3.01)


def test_a_larger_quantity_rule_from_the_scenario_is_respected():
    assert _one(Eligibility(max_grams=5.0), grams=4.5)


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
    assert not _one(years_since_violent=9.9)
    assert _one(years_since_violent=10.1)


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
