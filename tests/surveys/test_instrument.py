"""The survey instrument file: validated on load, answers checked, scores computed."""

import pytest

from divert.surveys.instrument import (
    DIRECTORY,
    AnswerError,
    SurveyInstrumentError,
    load_survey_instrument,
    parse_survey_instrument,
)

SHIPPED = DIRECTORY / "police-legitimacy.toml"

MINIMAL = """
id = "tiny"
version = 1
title = "Tiny"
scale = ["No", "Maybe", "Yes"]
agree_at = 3

[[measures]]
key = "trust"
title = "Trust"
respondents = ["community"]

[[items]]
key = "a"
measure = "trust"
text = "A"

[[items]]
key = "b"
measure = "trust"
text = "B"

[[items]]
key = "c"
measure = "trust"
text = "C"
"""


def test_the_shipped_instrument_loads_and_asks_each_group_its_own_items():
    inst = load_survey_instrument(SHIPPED)
    community = {i.key for i in inst.items_for("community")}
    officers = {i.key for i in inst.items_for("officer")}
    assert "lg_trust" in community and "of_worth" not in community
    assert officers == {"of_worth", "of_know", "of_followup", "of_safety"}
    assert inst.items_for("participant") == inst.items_for("community")


def test_a_score_is_the_mean_of_the_items_answered_if_at_least_half():
    inst = parse_survey_instrument(MINIMAL)
    assert inst.scores("community", {"a": 3, "b": 2, "c": None}) == {"trust": 2.5}
    # One of three answered: under half, no score.
    assert inst.scores("community", {"a": 3, "b": None, "c": None}) == {}


@pytest.mark.parametrize(
    ("answers", "field", "words"),
    [
        ({"a": 4}, "a", "from 1 to 3"),
        ({"a": 0}, "a", "from 1 to 3"),
        ({"a": "2.5"}, "a", "from 1 to 3"),
        ({"a": True}, "a", "from 1 to 3"),
        ({"a": "x"}, "a", "from 1 to 3"),
        ({"zz": 1}, "zz", "not a question"),
        ({"a": None}, "answers", "at least one"),
        ({}, "answers", "at least one"),
    ],
)
def test_bad_answers_are_refused_naming_the_item(answers, field, words):
    inst = parse_survey_instrument(MINIMAL)
    with pytest.raises(AnswerError) as caught:
        inst.check_answers("community", answers)
    assert words in caught.value.problems[field]


def test_answers_are_stored_for_every_item_asked_skips_as_null():
    inst = parse_survey_instrument(MINIMAL)
    assert inst.check_answers("community", {"a": "2", "c": 3}) == {"a": 2, "b": None, "c": 3}


@pytest.mark.parametrize(
    ("change", "key", "words"),
    [
        (('measure = "trust"\ntext = "C"', 'measure = "nope"\ntext = "C"'), "items[2].measure", "unknown measure"),
        (("agree_at = 3", "agree_at = 4"), "agree_at", "beyond the scale"),
        (('key = "c"', 'key = "a"'), "items[2].key", "listed twice"),
        (('respondents = ["community"]', 'respondents = ["martians"]'), "measures[0].respondents[0]", ""),
        (("version = 1", 'version = 1\nsecret = "x"'), "secret", ""),
    ],
)  # fmt: skip
def test_a_broken_instrument_is_refused_naming_key_and_line(change, key, words):
    text = MINIMAL.replace(*change)
    with pytest.raises(SurveyInstrumentError) as caught:
        parse_survey_instrument(text, source="x.toml")
    assert words in str(caught.value)
    if key:
        assert key in str(caught.value)
    assert "line" in str(caught.value)
