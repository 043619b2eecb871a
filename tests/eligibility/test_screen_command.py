"""`divert screen --policy FILE`: JSON in on stdin, the decision out as JSON."""

from __future__ import annotations

import json

import typer
from typer.testing import CliRunner

from divert.eligibility import Case, screen
from divert.eligibility.cli import screen as screen_cli
from divert.eligibility.cli import screen_command

from .helpers import POLICIES, case_data, site


def test_a_case_round_trips_to_the_same_decision_as_the_engine():
    data = case_data(flags=["on_parole"], area="Mission")
    code, out, err = screen_command(POLICIES / "san-francisco.toml", json.dumps(data))
    assert (code, err) == (0, "")
    expected = screen(site("san-francisco"), Case.model_validate(data)).to_dict()
    assert json.loads(out) == expected
    assert json.loads(out)["needs_approval"] == ["supervising_agency"]


def test_an_ineligible_case_still_exits_zero_and_says_why():
    data = case_data(offenses=[{"nibrs": "35A", "activity": "possess", "grams": 4}], time="10:00")
    data["date"] = "2026-03-10"  # a Tuesday, inside Seattle 2011's green-light window
    code, out, _ = screen_command(POLICIES / "seattle-2011.toml", json.dumps(data))
    decision = json.loads(out)
    assert code == 0 and decision["eligible"] is False
    assert [r["rule"] for r in decision["reasons"]] == ["drug.grams_over_limit"]


def test_a_bad_case_exits_2_with_one_line_per_bad_field_on_stderr():
    data = case_data(offenses=[{"nibrs": "35Z", "activity": "possess", "grams": -1}])
    code, out, err = screen_command(POLICIES / "seattle-2011.toml", json.dumps(data))
    assert (code, out) == (2, "")
    assert err.splitlines()[0].startswith("offenses.0.nibrs:")
    assert err.splitlines()[1].startswith("offenses.0.grams:")


def test_input_that_is_not_json_exits_2():
    code, _, err = screen_command(POLICIES / "seattle-2011.toml", "{not json")
    assert code == 2 and "JSON" in err


def test_a_bad_policy_file_exits_2_naming_key_and_line(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(
        (POLICIES / "santa-fe.toml").read_text().replace("max_grams = 6.0", "max_grams = -6")
    )
    code, _, err = screen_command(bad, json.dumps(case_data()))
    assert code == 2 and "drugs.max_grams" in err and "line " in err


def test_the_typer_command_reads_stdin_and_prints_the_decision():
    app = typer.Typer()
    app.command("screen")(screen_cli)
    app.command("noop")(lambda: None)  # two commands, so "screen" is a sub-command as in divert
    result = CliRunner().invoke(
        app, ["screen", "--policy", str(POLICIES / "santa-fe.toml")], input=json.dumps(case_data())
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["needs_approval"] == ["prosecutor"]
