import json

import typer
from typer.testing import CliRunner

from divert.synth.cli import synth

app = typer.Typer()
app.command("synth")(synth)
app.command("other")(lambda: None)  # two commands, so "synth" is a subcommand as in divert


def test_the_command_writes_a_county(tmp_path):
    out = tmp_path / "out"
    args = ["synth", "--residents", "20000", "--years", "2", "--seed", "4", "--out", str(out)]
    result = CliRunner().invoke(app, [*args, "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert (out / "encounters.csv").exists()
    assert json.loads((out / "truth.json").read_text())["seed"] == 4


def test_the_command_refuses_a_non_empty_out_without_force(tmp_path):
    (tmp_path / "x").write_text("")
    result = CliRunner().invoke(app, ["synth", "--residents", "5000", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "is not empty" in " ".join(result.output.split())  # rich wraps long paths


def test_the_command_names_the_bad_scenario_key(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[noise]\ntypoo = 0.1\n")
    result = CliRunner().invoke(
        app, ["synth", "--scenario", str(bad), "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 2
    assert "noise.typoo" in result.output
    assert not (tmp_path / "o").exists()
