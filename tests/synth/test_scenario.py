from pathlib import Path

import pytest

from divert.synth import Scenario, ScenarioError, generate, load_scenario

DEFAULT = Path(__file__).resolve().parents[2] / "scenarios" / "default.toml"


def _write(tmp_path, text: str) -> Path:
    p = tmp_path / "s.toml"
    p.write_text(text)
    return p


def test_the_default_scenario_file_equals_the_built_in_defaults():
    assert load_scenario(DEFAULT) == Scenario()


def test_an_unknown_key_is_refused_with_its_dotted_path(tmp_path):
    with pytest.raises(ScenarioError, match=r"police\.buyin_median"):
        load_scenario(_write(tmp_path, "[police]\nbuyin_median = 0.2\n"))


def test_a_probability_above_one_is_refused_with_its_dotted_path(tmp_path):
    with pytest.raises(ScenarioError, match=r"noise\.typo"):
        load_scenario(_write(tmp_path, "[noise]\ntypo = 1.5\n"))


def test_a_negative_count_is_refused_with_its_dotted_path(tmp_path):
    with pytest.raises(ScenarioError, match=r"program\.caseload_target"):
        load_scenario(_write(tmp_path, "[program]\ncaseload_target = -1\n"))


def test_a_bad_key_inside_a_list_of_areas_names_its_index(tmp_path):
    text = '[[county.areas]]\nname = "A"\nresident_share = 1.0\nlead = true\ncolour = "red"\n'
    with pytest.raises(ScenarioError, match=r"county\.areas\.0\.colour"):
        load_scenario(_write(tmp_path, text))


def test_an_unknown_offense_code_in_the_rule_is_refused(tmp_path):
    with pytest.raises(ScenarioError, match="eligibility"):
        load_scenario(_write(tmp_path, '[eligibility]\nsex_work_codes = ["99X"]\n'))


def test_a_bad_scenario_is_refused_before_anything_is_written(tmp_path):
    with pytest.raises(ScenarioError):
        s = load_scenario(_write(tmp_path, "[effect]\nrearrest_hazard_ratio = -1\n"))
        generate(s, residents=1000, years=1, seed=1, out=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_valid_override_changes_only_that_value(tmp_path):
    s = load_scenario(_write(tmp_path, "[effect]\nrearrest_hazard_ratio = 0.5\n"))
    assert s.effect.rearrest_hazard_ratio == 0.5
    assert s.police == Scenario().police
