from pathlib import Path

import pytest

from divert.synth import Scenario, ScenarioError, generate, load_scenario, scenario_from_dict

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


def test_the_default_rule_follows_the_seattle_2011_policy_file():
    assert Scenario().eligibility.policy == "policies/seattle-2011.toml"
    assert Scenario().eligibility.loaded_policy.key == ("seattle", "2011.1")


def test_a_missing_policy_file_is_refused_naming_the_key(tmp_path):
    with pytest.raises(ScenarioError, match=r"eligibility\.policy: .*no-such\.toml"):
        load_scenario(_write(tmp_path, '[eligibility]\npolicy = "policies/no-such.toml"\n'))


def test_a_broken_policy_file_is_refused_before_anything_is_written(tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text('id = "x"\nversion = 1\n')
    with pytest.raises(ScenarioError, match=r"eligibility\.policy: .*broken"):
        s = load_scenario(_write(tmp_path, f'[eligibility]\npolicy = "{broken}"\n'))
        generate(s, residents=1000, years=1, seed=1, out=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_policy_and_an_explicit_rule_key_together_are_refused(tmp_path):
    text = '[eligibility]\npolicy = "policies/san-francisco.toml"\nmax_grams = 5.0\n'
    with pytest.raises(ScenarioError, match=r"eligibility\.policy cannot be combined with "
                       r"eligibility\.max_grams"):  # fmt: skip
        load_scenario(_write(tmp_path, text))


def test_explicit_rule_keys_without_a_policy_use_the_explicit_rule(tmp_path):
    s = load_scenario(_write(tmp_path, "[eligibility]\nmax_grams = 5.0\n"))
    assert s.eligibility.policy is None and s.eligibility.max_grams == 5.0
    assert s.eligibility.loaded_policy is None
    s = load_scenario(_write(tmp_path, '[eligibility]\npolicy = ""\n'))
    assert s.eligibility.loaded_policy is None


def test_relative_policy_paths_count_from_the_repository_root(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    s = load_scenario(_write(tmp_path, '[eligibility]\npolicy = "policies/santa-fe.toml"\n'))
    assert s.eligibility.loaded_policy.id == "santa-fe"


def test_a_dumped_scenario_loads_back_as_the_same_scenario():
    for s in (Scenario(), scenario_from_dict({"eligibility": {"max_grams": 4.0}})):
        assert scenario_from_dict(s.model_dump(mode="json")) == s
