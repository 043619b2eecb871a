from pathlib import Path

import pytest

from divert.synth import Scenario, ScenarioError, build, generate, load_scenario, scenario_from_dict

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
DEFAULT = SCENARIOS / "default.toml"
PRESETS = ["default", "seattle", "san-francisco", "santa-fe", "demo"]


def _write(tmp_path, text: str) -> Path:
    p = tmp_path / "s.toml"
    p.write_text(text)
    return p


def test_the_default_scenario_file_equals_the_built_in_defaults():
    assert load_scenario(DEFAULT) == Scenario()


@pytest.mark.parametrize("name", PRESETS)
def test_every_preset_loads_and_builds(name):
    s = load_scenario(SCENARIOS / f"{name}.toml")
    c = build(s, residents=20_000, years=1, seed=1)
    assert len(c.tables["encounters"]) > 100


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("[police]\nbuyin_median = 0.2\n", r"police\.buyin_median"),
        ("[noise]\ntypo = 1.5\n", r"noise\.typo"),
        ("[program]\ncaseload_target = -1\n", r"program\.caseload_target"),
        ("[program]\ncaseload_target = 30\ncaseload_hard_cap = 25\n", "caseload_hard_cap is below"),
        ("[disparity]\ndrug_arrest_ratio = -2.0\n", r"disparity\.drug_arrest_ratio"),
        ('[disparity]\ndrug_arrest_ratio = "chicago"\n', r"disparity\.drug_arrest_ratio.*chicago"),
        ("[disparity]\nenforcement_factor = { black = -1.0 }\n", r"disparity\.enforcement_factor\.black"),
        ("[county]\nrace_shares = { white = 0.5, black = 0.1 }\n", r"county.*race_shares"),
        ('[drugs]\nmix = { heroin = 1.0, kratom = 0.0 }\n', r"drugs\.mix"),
        ("[effect]\nfull_engagement_hazard_ratio = 1.5\n", r"effect\.full_engagement_hazard_ratio"),
        ("[outcomes]\npermanent_baseline = 0.5\n", "permanent_baseline is above"),
        ("residents = 10\n", r"residents"),
    ],
)  # fmt: skip
def test_a_value_outside_what_makes_sense_is_refused_naming_the_dotted_key(tmp_path, text, key):
    with pytest.raises(ScenarioError, match=key):
        load_scenario(_write(tmp_path, text))


def test_a_bad_key_inside_a_list_of_areas_names_its_index(tmp_path):
    text = '[[county.areas]]\nname = "A"\nresident_share = 1.0\nlead = true\ncolour = "red"\n'
    with pytest.raises(ScenarioError, match=r"county\.areas\.0\.colour"):
        load_scenario(_write(tmp_path, text))


def test_a_bad_scenario_is_refused_before_anything_is_written(tmp_path):
    with pytest.raises(ScenarioError):
        s = load_scenario(_write(tmp_path, "[effect]\nafter_exit_hazard_ratio = -1\n"))
        generate(s, residents=1000, years=1, seed=1, out=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_valid_override_changes_only_that_value(tmp_path):
    s = load_scenario(_write(tmp_path, "[effect]\nafter_exit_hazard_ratio = 0.9\n"))
    assert s.effect.after_exit_hazard_ratio == 0.9
    assert s.police == Scenario().police


def test_the_default_follows_the_seattle_2011_policy_file():
    assert Scenario().eligibility.policy == "policies/seattle-2011.toml"
    assert [p.key for p in Scenario().eligibility.policies] == [("seattle", "2011.1")]


def test_the_disparity_presets_carry_their_published_ranges():
    s = scenario_from_dict({"disparity": {"drug_arrest_ratio": "national"}})
    assert s.disparity.drug_ratio == 4.0
    assert s.drug_disparity_range[:2] == (2.8, 5.5)
    s = scenario_from_dict({"disparity": {"drug_arrest_ratio": 7.5}})
    assert s.disparity.drug_ratio == 7.5


@pytest.mark.parametrize(
    ("policy", "words"),
    [
        ('"policies/no-such.toml"', "no-such.toml"),
        ("[]", "at least one"),
        (
            '["policies/seattle-2015.toml", "policies/seattle-2011.toml"]',
            "order of their effective",
        ),
        ('["policies/seattle-2011.toml", "policies/santa-fe.toml"]', "one policy id"),
    ],
)
def test_a_bad_policy_entry_is_refused_naming_the_key(tmp_path, policy, words):
    with pytest.raises(ScenarioError, match=rf"eligibility\.policy: .*{words}"):
        load_scenario(_write(tmp_path, f"[eligibility]\npolicy = {policy}\n"))


def test_a_broken_policy_file_is_refused_before_anything_is_written(tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text('id = "x"\nversion = 1\n')
    with pytest.raises(ScenarioError, match=r"eligibility\.policy: .*broken"):
        s = load_scenario(_write(tmp_path, f'[eligibility]\npolicy = "{broken}"\n'))
        generate(s, residents=1000, years=1, seed=1, out=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_policy_that_counts_any_disposition_is_refused(tmp_path):
    text = (SCENARIOS.parent / "policies" / "seattle-2011.toml").read_text()
    p = tmp_path / "any.toml"
    p.write_text(text.replace('counts = "convicted"', 'counts = "any"', 1))
    with pytest.raises(ScenarioError, match="models convictions"):
        load_scenario(_write(tmp_path, f'[eligibility]\npolicy = "{p}"\n'))


def test_lead_areas_must_be_among_the_policys_program_areas(tmp_path):
    with pytest.raises(ScenarioError, match="Tenderloin"):
        load_scenario(_write(tmp_path, '[eligibility]\npolicy = "policies/san-francisco.toml"\n'))


def test_relative_policy_paths_count_from_the_repository_root(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    s = load_scenario(_write(tmp_path, '[eligibility]\npolicy = "policies/santa-fe.toml"\n'))
    assert s.eligibility.policies[0].id == "santa-fe"


def test_a_dumped_scenario_loads_back_as_the_same_scenario():
    for s in (Scenario(), load_scenario(SCENARIOS / "seattle.toml")):
        assert scenario_from_dict(s.model_dump(mode="json")) == s
