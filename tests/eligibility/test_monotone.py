"""Screening is monotone: more weight, more history or more flags never help a case."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from divert import nibrs
from divert.eligibility import RULES, Case, screen
from divert.eligibility.vocabulary import FLAGS, PATHWAYS, VERIFICATION_SOURCES

from .helpers import SITES, site

TODAY = dt.date(2026, 3, 14)
# Mostly the codes LEAD is about, sometimes anything, so every rule gets exercised.
codes = st.one_of(
    st.sampled_from(["35A", "35A", "35B", "40A", "40B"]), st.sampled_from(sorted(nibrs.OFFENSES))
)
history_codes = st.sampled_from(
    ["120", "13A", "13B", "09A", "520", "11A", "23C", "200", "36B", "220"]
)
grams = st.one_of(st.none(), st.floats(0, 12, allow_nan=False), st.floats(0, 1000, allow_nan=False))
past = st.dates(TODAY - dt.timedelta(days=365 * 30), TODAY).map(dt.date.isoformat)


@st.composite
def dates_of_birth(draw) -> str:
    born = draw(st.dates(dt.date(1940, 1, 1), dt.date(2012, 12, 31)))
    form = draw(st.sampled_from(["%Y-%m-%d", "%Y-%m", "%Y"]))
    return born.strftime(form)


offenses = st.fixed_dictionaries(
    {
        "nibrs": codes,
        "activity": st.sampled_from(nibrs.ACTIVITIES),
        "drug": st.one_of(st.none(), st.sampled_from(nibrs.DRUGS)),
        "grams": grams,
        "value": st.one_of(st.none(), st.floats(0, 2000, allow_nan=False)),
    }
)
history_entries = st.fixed_dictionaries(
    {
        "nibrs": history_codes,
        "disposition": st.sampled_from(
            ["convicted", "pending", "charged", "arrested", "dismissed", "acquitted"]
        ),
        "date": past,
        "domestic_violence": st.booleans(),
    }
)
cases = st.fixed_dictionaries(
    {
        "date": st.just(TODAY.isoformat()),
        "area": st.sampled_from(["West", "Tenderloin"]),
        "person": st.fixed_dictionaries({"date_of_birth": dates_of_birth()}),
        "offenses": st.lists(offenses, max_size=3),
        "history": st.lists(history_entries, max_size=3),
        "flags": st.lists(st.sampled_from(FLAGS), max_size=3, unique=True),
        "verified_activity": st.lists(
            st.fixed_dictionaries(
                {
                    "date": past,
                    "area": st.sampled_from(["West", "Tenderloin"]),
                    "source": st.sampled_from(VERIFICATION_SOURCES),
                }
            ),
            max_size=2,
        ),
    },
    optional={
        "pathway": st.sampled_from(PATHWAYS),
        "time": st.times().map(lambda t: t.strftime("%H:%M")),
        "amenable": st.booleans(),
    },
)
sites = st.sampled_from(sorted(SITES)).map(site)


def at_least_as_bad(worse, better) -> bool:
    """worse is never eligible when better is not, and keeps every rule better fired."""
    return (better.eligible or not worse.eligible) and better.rules <= worse.rules


@settings(max_examples=300)
@given(sites, cases, st.data())
def test_more_grams_never_makes_a_case_more_eligible(policy, data, draws):
    weighed = [i for i, o in enumerate(data["offenses"]) if o["grams"] is not None]
    if not weighed:
        data["offenses"].append({"nibrs": "35A", "activity": "possess", "grams": 0.5})
        weighed = [len(data["offenses"]) - 1]
    i = draws.draw(st.sampled_from(weighed))
    before = screen(policy, Case.model_validate(data))
    extra = draws.draw(st.floats(0, 50, allow_nan=False))
    data["offenses"][i]["grams"] = min(1000.0, data["offenses"][i]["grams"] + extra)
    after = screen(policy, Case.model_validate(data))
    assert at_least_as_bad(after, before)


@settings(max_examples=300)
@given(sites, cases, history_entries)
def test_adding_a_history_entry_never_makes_a_case_more_eligible(policy, data, entry):
    before = screen(policy, Case.model_validate(data))
    data["history"].append(entry)
    after = screen(policy, Case.model_validate(data))
    assert at_least_as_bad(after, before)


@settings(max_examples=300)
@given(sites, cases, st.sampled_from(FLAGS))
def test_adding_any_flag_never_makes_a_case_more_eligible(policy, data, flag):
    before = screen(policy, Case.model_validate(data))
    if flag not in data["flags"]:
        data["flags"].append(flag)
    after = screen(policy, Case.model_validate(data))
    assert at_least_as_bad(after, before)


@settings(max_examples=300)
@given(sites, cases, st.floats(0, 5000, allow_nan=False))
def test_a_higher_property_value_never_makes_a_case_more_eligible(policy, data, extra):
    data["offenses"].append({"nibrs": "23C", "activity": "other", "value": 10.0})
    before = screen(policy, Case.model_validate(data))
    data["offenses"][-1]["value"] += extra
    after = screen(policy, Case.model_validate(data))
    assert at_least_as_bad(after, before)


@settings(max_examples=300)
@given(sites, cases)
def test_an_eligible_case_has_a_pathway_and_an_ineligible_one_has_a_reason(policy, data):
    decision = screen(policy, Case.model_validate(data))
    if decision.eligible:
        assert decision.pathways
        assert not any(r.effect == "exclude" for r in decision.reasons)
    else:
        assert decision.reasons and decision.pathways == ()


@settings(max_examples=200)
@given(sites, cases)
def test_every_rule_that_fires_is_a_documented_rule(policy, data):
    history_rules = {f"history.{h.name}" for h in policy.history}
    for rule in screen(policy, Case.model_validate(data)).rules:
        assert rule in RULES or rule in history_rules


@settings(max_examples=200)
@given(sites, cases)
def test_a_decision_dict_names_its_policy_and_gives_each_reason_a_rule(policy, data):
    decision = screen(policy, Case.model_validate(data)).to_dict()
    assert decision["policy"] == {"id": policy.id, "version": policy.version}
    assert all(set(r) == {"rule", "message", "effect"} for r in decision["reasons"])


@settings(max_examples=200)
@given(sites, cases, st.booleans())
def test_the_amenability_judgment_never_changes_eligibility(policy, data, amenable):
    data.pop("amenable", None)
    unrecorded = screen(policy, Case.model_validate(data))
    judged = screen(policy, Case.model_validate({**data, "amenable": amenable}))
    assert judged.eligible == unrecorded.eligible and judged.pathways == unrecorded.pathways
