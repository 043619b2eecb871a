"""The calibration report: metrics, targets files, the command, and the default county."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from divert.synth import Scenario, load_scenario
from divert.synth.calibration import (
    METRICS,
    Context,
    Row,
    Target,
    TargetsError,
    calibration_report,
    load_targets,
    render_markdown,
)
from divert.synth.cli import synth

app = typer.Typer()
app.command("synth")(synth)
app.command("other")(lambda: None)


def _targets(tmp_path, text: str):
    p = tmp_path / "targets.toml"
    p.write_text(text)
    return p


def test_every_metric_gives_a_number_on_a_county(small):
    c = Context(small.tables, small.truth, Scenario())
    for name, (_, f) in METRICS.items():
        value = f(c)
        assert isinstance(value, float), name
    assert 2000 < METRICS["arrests_per_100k"][1](c) < 6000


def test_the_legal_cannabis_metric_counts_what_i502_made_legal(small):
    t = {k: v.copy() for k, v in small.tables.items()}
    c = Context(t, small.truth, Scenario())
    assert METRICS["legal_cannabis_arrests"][1](c) == 0
    enc = t["encounters"]
    arrest = enc[enc.probable_cause & (enc.occurred_at > pd.Timestamp("2013-01-01"))].iloc[0]
    off = t["encounter_offenses"]
    row = (off.encounter_id == arrest.encounter_id) & (off.seq == 1)
    off.loc[row, ["nibrs", "activity", "drug", "grams"]] = ["35A", "possess", "cannabis", 10.0]
    dob = t["persons"].set_index("person_id").dob[arrest.person_id]
    assert (arrest.occurred_at - dob).days > 21 * 366
    assert METRICS["legal_cannabis_arrests"][1](c) == 1


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('[[target]]\nmetric = "arrests"\npublished = "x"\nsource = "y"\nat_most = 1\n', "unknown metric"),
        ('[[target]]\nmetric = "max_caseload"\npublished = "x"\nsource = "y"\nat_most = 1\nnote = 1\n', "unknown key 'note'"),
        ('[[target]]\nmetric = "max_caseload"\nsource = "y"\nat_most = 1\n', "published: required"),
        ('[[target]]\nmetric = "max_caseload"\npublished = "x"\nsource = "y"\n', "give value"),
        ('[[target]]\nmetric = "max_caseload"\npublished = "x"\nsource = "y"\nrange = [3, 1]\n', "band is empty"),
        ("", "no [[target]]"),
        ("[[target]\n", "targets.toml"),
    ],
)  # fmt: skip
def test_a_broken_targets_file_is_refused_naming_the_row(tmp_path, text, words):
    with pytest.raises(TargetsError, match=words.replace("[", r"\[")):
        load_targets(_targets(tmp_path, text), Scenario())


def test_the_preset_range_comes_from_the_scenario(tmp_path):
    text = '[[target]]\nmetric = "black_white_drug_arrest_ratio"\npublished = "x"\nsource = "y"\nrange = "preset"\n'
    [t] = load_targets(_targets(tmp_path, text), Scenario())
    assert (t.low, t.high) == (13.0, 21.0)


def test_a_row_passes_only_when_the_mean_is_inside_the_band():
    t = Target("max_caseload", "25", "LEAD Bureau", -math.inf, 25.0, "at most 25")
    assert Row(t, "x", (24.0, 25.0, 20.0)).passed
    assert not Row(t, "x", (24.0, 27.0, 26.0)).passed
    assert not Row(t, "x", (24.0, float("nan"))).passed
    lo, hi = Row(t, "x", (20.0, 22.0, 24.0)).interval
    assert lo < 22.0 < hi


def test_the_report_names_each_figure_its_source_and_the_verdict(tmp_path):
    text = (
        '[[target]]\nmetric = "max_caseload"\npublished = "never over 25"\n'
        'source = "LEAD Bureau"\nat_most = 25\n'
        '[[target]]\nmetric = "arrests_per_100k"\npublished = "about 10"\n'
        'source = "nobody"\nvalue = 10\nrelative = 0.1\n'
    )
    s = Scenario()
    rows = calibration_report(
        s, residents=30_000, years=2, seeds=[1, 2], targets=_targets(tmp_path, text)
    )
    md = render_markdown(rows, scenario="default", residents=30_000, years=2, seeds=[1, 2])
    assert "| Most open cases any case manager held | never over 25 | LEAD Bureau |" in md
    assert md.count("| pass |") == 1 and md.count("**FAIL**") == 1


def test_the_command_writes_the_report_and_fails_when_a_figure_is_off(tmp_path):
    good = _targets(
        tmp_path,
        '[[target]]\nmetric = "simple_assault_felony_share"\npublished = "never"\n'
        'source = "NIBRS"\nat_most = 0\n',
    )
    scenario = tmp_path / "s.toml"
    scenario.write_text(f'residents = 30000\nyears = 2\n[calibration]\ntargets = "{good}"\n')
    out = tmp_path / "report.json"
    args = ["synth", "--scenario", str(scenario), "--calibration-report", str(out), "--seeds", "2"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text())
    assert report["rows"][0]["pass"] and report["about"]["seeds"] == [1, 2]

    bad = good.read_text().replace("at_most = 0", "range = [0.5, 1.0]")
    good.write_text(bad)
    result = CliRunner().invoke(app, [*args[:-2], "--seeds", "1"])
    assert result.exit_code == 1 and "outside" in result.output


@pytest.mark.slow
def test_the_default_county_passes_every_published_figure_across_five_seeds():
    """The acceptance check: the default scenario's calibration report, 5 seeds, every row
    within its tolerance."""
    s = load_scenario(None)
    rows = calibration_report(s, seeds=[1, 2, 3, 4, 5])
    failed = [(r.label, r.mean, r.target.tolerance) for r in rows if not r.passed]
    assert not failed, failed
    assert len(rows) >= 25
