"""Policy files: broken ones are refused with the key and line; versions are kept."""

from __future__ import annotations

import pytest

from divert.eligibility import PolicyError, PolicyRegistry, load_policy, parse_policy

from .helpers import POLICIES, SITES

MINIMAL = """\
id = "demo"
version = 1
jurisdiction = "Demo County"
effective = 2024-01-01

[offenses]
eligible = ["35A", "40A"]
activities = ["possess", "solicit"]

[drugs]
max_grams = 3.0

[intake]
deadline_days = 14

[pathways]
open = ["arrest_diversion"]

[[history]]
name = "violent"
families = ["violent"]
within_years = 10
"""


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line containing needle (so tests don't hard-code numbers)."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def refuse(text: str) -> PolicyError:
    with pytest.raises(PolicyError) as caught:
        parse_policy(text, source="demo.toml")
    return caught.value


def test_the_minimal_policy_is_valid_and_fills_defaults():
    policy = parse_policy(MINIMAL)
    assert policy.person.min_age == 18
    assert policy.approval.prosecutor is False


@pytest.mark.parametrize("name", sorted(SITES.values()))
def test_every_shipped_policy_loads(name):
    policy = load_policy(POLICIES / name)
    assert policy.effective.year >= 2011


@pytest.mark.parametrize(
    ("old", "new", "key", "words"),
    [
        ("max_grams = 3.0", "max_gram = 3.0", "drugs.max_gram", "unknown key"),
        ("max_grams = 3.0", "max_grams = -3.0", "drugs.max_grams", "greater than 0"),
        ("max_grams = 3.0", "max_grams = 5000", "drugs.max_grams", "less than or equal"),
        ("deadline_days = 14", 'deadline_days = "14"', "intake.deadline_days", "integer"),
        ("within_years = 10", "within_years = -1", "history[0].within_years", "greater than"),
        (
            'families = ["violent"]',
            'families = ["villainous"]',
            "history[0].families[0]",
            "villainous",
        ),
        ('eligible = ["35A", "40A"]', 'eligible = ["35A", "99Z"]', "offenses.eligible[1]", "99Z"),
        ('activities = ["possess"', 'activities = ["posess"', "offenses.activities[0]", "possess"),
        ('open = ["arrest_diversion"]', 'open = ["walk_in"]', "pathways.open[0]", "walk_in"),
        ("effective = 2024-01-01", 'effective = "soon"', "effective", "date"),
        ("version = 1", "version = 1.5", "version", "positive integer"),
    ],
)
def test_a_bad_value_is_refused_naming_the_key_and_its_line(old, new, key, words):
    text = MINIMAL.replace(old, new)
    assert text != MINIMAL
    error = refuse(text)
    assert error.key == key
    assert error.line == line_of(text, new)
    assert words in str(error)
    assert f"line {error.line}" in str(error) and key in str(error)


def test_an_unknown_key_in_an_inline_table_names_its_line():
    text = MINIMAL.replace(
        "max_grams = 3.0", "max_grams = 3.0\nmax_grams_by_drug = { heroin = -2 }"
    )
    error = refuse(text)
    assert error.key == "drugs.max_grams_by_drug.heroin"
    assert error.line == line_of(text, "max_grams_by_drug")


def test_an_unknown_table_is_refused_at_its_header():
    text = MINIMAL + "\n[extras]\ncolour = 'blue'\n"
    error = refuse(text)
    assert error.key == "extras"
    assert error.line == line_of(text, "[extras]")


def test_a_missing_required_key_points_at_its_table():
    text = MINIMAL.replace("deadline_days = 14\n", "")
    error = refuse(text)
    assert error.key == "intake.deadline_days"
    assert error.line == line_of(text, "[intake]")
    assert "missing" in error.message


def test_a_code_both_eligible_and_excluded_is_refused_at_the_excluded_line():
    text = MINIMAL.replace(
        'eligible = ["35A", "40A"]', 'eligible = ["35A", "40A"]\nexcluded = ["64A", "40A"]'
    )
    error = refuse(text)
    assert error.key == "offenses.excluded[1]" and "40A" in error.message
    assert error.line == line_of(text, "excluded =")


WINDOW = """
[[green_light]]
days = ["mon", "fri"]
start = "07:00"
end = "19:00"
"""


@pytest.mark.parametrize(
    ("old", "new", "key", "words"),
    [
        ('end = "19:00"', 'end = "06:00"', "green_light[0].end", "not after start"),
        ('end = "19:00"', 'end = "07:00"', "green_light[0].end", "not after start"),
        ('start = "07:00"', 'start = "25:00"', "green_light[0].start", "not a time of day"),
        ('start = "07:00"', 'start = "7am"', "green_light[0].start", "HH:MM"),
        ('end = "19:00"', 'end = "24:30"', "green_light[0].end", "not a time of day"),
        ('days = ["mon", "fri"]', 'days = ["mon", "fry"]', "green_light[0].days[1]", "fry"),
        ('days = ["mon", "fri"]', "days = []", "green_light[0].days", "at least 1"),
        ('end = "19:00"', 'end = "19:00"\nhours = 8', "green_light[0].hours", "unknown key"),
    ],
)
def test_an_impossible_green_light_window_is_refused_naming_key_and_line(old, new, key, words):
    text = (MINIMAL + WINDOW).replace(old, new)
    error = refuse(text)
    assert error.key == key, error.problems
    assert error.line == line_of(text, new.split("\n")[-1])
    assert words in str(error)


def test_a_window_ending_at_midnight_is_fine_and_one_crossing_it_is_not():
    ok = parse_policy((MINIMAL + WINDOW).replace('"19:00"', '"24:00"'))
    assert ok.green_light[0].end_minute == 24 * 60
    error = refuse((MINIMAL + WINDOW).replace('end = "19:00"', 'end = "02:00"'))
    assert "two windows" in error.message


@pytest.mark.parametrize(
    ("addition", "key", "needle", "words"),
    [
        # A flag the vocabulary lacks.
        ('[orders]\nkinds = ["on_bail"]\n', "orders.kinds[0]", "kinds =", "on_bail"),
        ('[orders]\nkinds = ["school_zone"]\n', "orders.kinds[0]", "kinds =", "school_zone"),
        # Self-contradictions.
        (
            '[orders]\nkinds = ["no_contact_order"]\npathways = ["social_contact"]\n',
            "orders.pathways[0]",
            "pathways = [",
            "not in pathways.open",
        ),
        (
            "[orders]\nonly_protecting_participant = true\n",
            "orders.only_protecting_participant",
            "only_protecting",
            "kinds is empty",
        ),
        (
            '[[offenses.conditions]]\ncodes = ["23C"]\nmax_value = 250.0\n',
            "offenses.conditions[0].codes[0]",
            'codes = ["23C"]',
            "not eligible",
        ),
        (
            '[[offenses.conditions]]\ncodes = ["35A"]\nmax_value = -5\n',
            "offenses.conditions[0].max_value",
            "max_value",
            "greater than 0",
        ),
        (
            '[[exit_reasons]]\nname = "Committee"\nlabel = "x"\n',
            "exit_reasons[0].name",
            'name = "Committee"',
            "pattern",
        ),
    ],
)
def test_a_contradiction_or_an_unknown_word_is_refused_naming_key_and_line(
    addition, key, needle, words
):
    # Appended tables land after [[history]]; a condition needs its own parent before it.
    text = MINIMAL.replace("[drugs]", addition + "\n[drugs]")
    error = refuse(text)
    assert error.key == key, error.problems
    assert error.line == line_of(text, needle)
    assert words in str(error)


@pytest.mark.parametrize(
    ("drugs", "key", "words"),
    [
        ('eligible = ["heroin"]\nmax_grams_by_drug = { cannabis = 28 }', "drugs.max_grams_by_drug.cannabis", "not eligible"),
        ('eligible = ["heroin"]\nexcluded_from_count = ["cocaine"]', "drugs.excluded_from_count[0]", "not eligible"),
        ('max_grams_by_drug = { heroin = 2 }\nexcluded_from_count = ["heroin"]', "drugs.max_grams_by_drug.heroin", "not weighed"),
        ('eligible = ["kratom"]', "drugs.eligible[0]", "kratom"),
    ],
)  # fmt: skip
def test_drug_rules_that_contradict_each_other_are_refused(drugs, key, words):
    text = MINIMAL.replace("max_grams = 3.0", "max_grams = 3.0\n" + drugs)
    error = refuse(text)
    assert error.key == key, error.problems
    name = key.split(".")[1].split("[")[0]
    offset = next(i for i, line in enumerate(drugs.splitlines(), 1) if line.startswith(name))
    assert error.line == line_of(text, "max_grams = 3.0") + offset
    assert words in str(error)


def test_a_history_rule_named_twice_is_refused_at_the_second_name():
    text = MINIMAL + '\n[[history]]\nname = "violent"\ncodes = ["120"]\n'
    error = refuse(text)
    assert error.key == "history[1].name"
    assert error.line == len(text.splitlines()) - 1


def test_a_domestic_violence_rule_needs_no_codes():
    text = MINIMAL + '\n[[history]]\nname = "dv"\ndomestic_violence = true\nwithin_years = 10\n'
    rule = parse_policy(text).compiled.history[1]
    assert rule.codes is None and rule.domestic_violence


def test_broken_toml_is_refused_with_its_line():
    text = MINIMAL.replace("max_grams = 3.0", "max_grams = = 3.0")
    assert refuse(text).line == line_of(text, "max_grams")


def test_every_problem_is_listed_not_just_the_first():
    text = MINIMAL.replace("max_grams = 3.0", "max_grams = -1").replace("= 14", "= 0")
    keys = {p["key"] for p in refuse(text).problems}
    assert {"drugs.max_grams", "intake.deadline_days"} <= keys


class TestRegistry:
    @pytest.mark.parametrize(
        "breakage",
        [
            ("3.0", "-3.0"),
            ("[drugs]", 'extra = "x"\n[drugs]'),
            (
                'families = ["violent"]',
                'families = ["violent"]\n' + WINDOW.replace("19:00", "06:00"),
            ),
            ("[drugs]", '[orders]\nkinds = ["on_bail"]\n[drugs]'),
            ('eligible = ["35A", "40A"]', 'eligible = ["35A", "40A"]\nexcluded = ["35A"]'),
        ],
    )
    def test_a_broken_new_version_is_refused_and_the_previous_stays_active(self, breakage):
        registry = PolicyRegistry()
        registry.load_text(MINIMAL)
        broken = MINIMAL.replace("version = 1", "version = 2").replace(*breakage)
        assert broken != MINIMAL.replace("version = 1", "version = 2")
        with pytest.raises(PolicyError) as caught:
            registry.load_text(broken)
        assert caught.value.line is not None and caught.value.key
        assert registry.active("demo").version == 1
        assert registry.versions("demo") == ["1"]

    def test_a_good_new_version_becomes_active_and_the_old_one_stays_available(self):
        registry = PolicyRegistry()
        registry.load_text(MINIMAL)
        registry.load_text(MINIMAL.replace("version = 1", "version = 2").replace("3.0", "4.0"))
        assert registry.active("demo").drugs.max_grams == 4.0
        assert registry.get("demo", 1).drugs.max_grams == 3.0
        assert registry.activate("demo", "1").version == 1
        assert registry.active("demo").drugs.max_grams == 3.0

    def test_changing_rules_without_a_new_version_is_refused(self):
        registry = PolicyRegistry()
        registry.load_text(MINIMAL)
        registry.load_text(MINIMAL)  # the same file again is fine
        with pytest.raises(PolicyError, match="new version"):
            registry.load_text(MINIMAL.replace("3.0", "4.0"))
        assert registry.active("demo").drugs.max_grams == 3.0

    def test_a_missing_file_is_a_policy_error_and_changes_nothing(self, tmp_path):
        registry = PolicyRegistry()
        registry.load(POLICIES / "santa-fe.toml")
        with pytest.raises(PolicyError, match="cannot read"):
            registry.load(tmp_path / "nope.toml")
        assert registry.ids() == ["santa-fe"]

    def test_an_unknown_version_is_a_key_error(self):
        registry = PolicyRegistry()
        registry.load_text(MINIMAL)
        with pytest.raises(KeyError, match="no version"):
            registry.get("demo", 9)


def test_the_example_in_the_docs_is_a_valid_policy():
    doc = (POLICIES.parent / "docs" / "policy-file.md").read_text()
    example = doc.split("## Example\n\n```toml\n", 1)[1].split("```", 1)[0]
    policy = parse_policy(example)
    assert policy.drugs.max_grams_by_drug == {"cannabis": 28.0}
