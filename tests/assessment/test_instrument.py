from pathlib import Path

import pytest

from divert.assessment.instrument import (
    AnswerError,
    InstrumentError,
    load_instrument,
    parse_instrument,
)

ROOT = Path(__file__).resolve().parents[2]
DEFAULT = ROOT / "instruments" / "default.toml"
TEXT = DEFAULT.read_text()


def _line_of(fragment: str, text: str = TEXT, nth: int = 1) -> int:
    count = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if fragment in line:
            count += 1
            if count == nth:
                return number
    raise AssertionError(fragment)


def test_the_default_covers_every_domain_and_marks_health_sections():
    inst = load_instrument(DEFAULT)
    assert {s.key for s in inst.sections} == {
        "housing",
        "income",
        "substance_use",
        "mental_health",
        "physical_health",
        "legal",
        "family",
        "safety",
    }
    health = {q.section for q in inst.questions if inst.is_health(q.key)}
    assert health == {"substance_use", "mental_health", "physical_health"}
    assert not any(
        "abstin" in q.text.lower() or "complian" in q.text.lower() for q in inst.questions
    )


@pytest.mark.parametrize(
    ("old", "new", "key", "fragment"),
    [
        ('type = "yes_no"', 'type = "yesno"', "questions[2].type", 'type = "yesno"'),
        ("required = true", "requird = true", "questions[0].requird", "requird"),
        ('section = "legal"', 'section = "legl"', "questions[14].section", '"legl"'),
        ('key = "has_id"', 'key = "housing_goal"', "questions[2].key", 'key = "housing_goal"'),
        ("version = 1", "version = 0", "version", "version = 0"),
    ],
    ids=["bad-type", "misspelt-key", "unknown-section", "repeated-question", "version"],
)
def test_a_broken_instrument_is_refused_naming_the_line_and_key(old, new, key, fragment):
    broken = TEXT.replace(old, new, 1)
    with pytest.raises(InstrumentError) as exc:
        parse_instrument(broken, source="site.toml")
    nth = 2 if fragment == 'key = "housing_goal"' else 1
    assert exc.value.key == key
    assert exc.value.line == _line_of(fragment, broken, nth)
    assert str(exc.value).startswith(f"site.toml, line {exc.value.line}: {key}")


def test_a_choice_question_without_choices_is_refused_at_its_table():
    broken = TEXT.replace(
        'key = "has_id"\nsection = "housing"\ntext = "Has a current photo ID"\ntype = "yes_no"',
        'key = "has_id"\nsection = "housing"\ntext = "Has a current photo ID"\ntype = "choice"',
    )
    with pytest.raises(InstrumentError) as exc:
        parse_instrument(broken)
    assert exc.value.key == "questions[2]" and "two choices" in exc.value.message
    assert exc.value.line == _line_of('key = "has_id"', broken) - 1  # its [[questions]] header


def test_answers_are_checked_against_the_questions():
    inst = load_instrument(DEFAULT)
    cleaned = inst.check_answers(
        {
            "living_situation": "shelter",
            "income_sources": ["snap", "work", "snap"],
            "monthly_income": "250",
            "has_id": "no",
            "housing_goal": "  ",
        }
    )
    assert cleaned == {
        "living_situation": "shelter",
        "income_sources": ["work", "snap"],
        "monthly_income": 250,
        "has_id": False,
    }
    with pytest.raises(AnswerError) as exc:
        inst.check_answers({"living_situation": "castle", "monthly_income": -5, "shoe_size": "9"})
    assert set(exc.value.problems) == {"living_situation", "monthly_income", "shoe_size"}
    with pytest.raises(AnswerError) as exc:
        inst.check_answers({})
    assert exc.value.problems == {"living_situation": "an answer is required"}
