import json

import pytest
from typer.testing import CliRunner

from divert.cli import app


def test_evaluate_on_a_synthetic_county_writes_results_and_reports(tmp_path):
    county, out = tmp_path / "county", tmp_path / "eval"
    runner = CliRunner()
    made = runner.invoke(
        app, ["synth", "--residents", "20000", "--years", "2", "--seed", "3", "--out", str(county)]
    )
    assert made.exit_code == 0, made.output
    result = runner.invoke(app, ["evaluate", "--data", str(county), "--out", str(out), "--no-pdf"])
    assert result.exit_code == 0, result.output
    r = json.loads((out / "results.json").read_text())
    for key in ("odds_ratio_6m", "hazard_ratio", "naive_hazard_ratio"):
        figure = r["outcomes"]["rearrest"][key]
        assert {"estimate", "ci_low", "ci_high"} <= set(figure)
        assert figure["estimate"] is not None or figure["not_estimable"]
    for name, keys in (
        ("rearrest", ("odds_ratio_followup", "naive_odds_ratio_followup")),
        ("felony", ("odds_ratio", "naive_odds_ratio")),
        ("bookings", ("rate_ratio", "naive_rate_ratio")),
        ("jail_days", ("rate_ratio", "naive_rate_ratio")),
    ):
        for key in keys:
            figure = r["outcomes"][name][key]
            assert {"estimate", "ci_low", "ci_high"} <= set(figure), (name, key)
            assert figure["estimate"] is not None or figure["not_estimable"], (name, key)
    # No record linkage in synth output: the justice figures say what is missing.
    assert "person_links" in r["outcomes"]["bookings"]["rate_ratio"]["not_estimable"]
    assert isinstance(r["outcomes"]["rearrest"]["by_group"], dict)
    assert isinstance(r["monitoring"]["missed_diversions"]["total"], int)
    assert set(r["goals"]) == {"reorient", "safety", "system", "equity", "savings", "relations"}
    white = r["equity"]["rri"]["diverted"]["white"]
    assert white["estimate"] == 1.0 and white["n"] > 0
    by_age = r["equity"]["rri_by_age_band"]["diverted"]
    assert set(by_age) <= {"15-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+"}
    assert sum(g["white"]["n"] for g in by_age.values() if "white" in g) <= white["n"]
    assert set(r["equity"]["rri_by_sex"]["diverted"]) <= {"female", "male"}
    # The synthetic county's dispatch and oversight extracts make goals 1 and 6 comparable.
    calls = r["metrics"]["reorient.calls_for_service"]
    assert calls["estimate"] > 0 and calls["n"] > 0
    # Complaints are rare: a county of 20,000 has none in its program areas before launch.
    complaints = r["metrics"]["relations.complaints"]
    assert complaints["not_estimable"] == "no events in program areas before launch"
    for measure in (m for g in r["goals"].values() for m in g["measures"]):
        assert (
            measure["estimate"] is not None or measure.get("not_estimable") or measure.get("groups")
        ), measure["key"]
    html = (out / "report.html").read_text()
    assert "Scorecard" in html and "<script" not in html and "http" not in html
    md = (out / "report.md").read_text()
    assert md.startswith("# LEAD evaluation")
    assert "## Public safety: arrests, felony charges, bookings and jail days" in md
    assert "## Re-arrest by group (the effect estimate by race)" in md
    assert "### Relative Rate Index by age group" in md and "| diverted | 25-34 | white |" in md


def test_evaluate_wants_exactly_one_source(tmp_path):
    result = CliRunner().invoke(app, ["evaluate", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "exactly one of --data, --database or --site" in result.output


def test_evaluate_names_a_bad_date(tmp_path):
    result = CliRunner().invoke(
        app, ["evaluate", "--data", str(tmp_path), "--out", str(tmp_path), "--from", "2020-13-01"]
    )
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output


def test_evaluate_says_when_the_directory_holds_no_canonical_tables(tmp_path):
    result = CliRunner().invoke(app, ["evaluate", "--data", str(tmp_path), "--out", str(tmp_path)])
    assert result.exit_code == 2 and "no encounters table" in result.output


def test_rri_of_any_table_matches_the_hand_count(tmp_path):
    f = tmp_path / "cases.csv"
    rows = ["race,eligible,diverted"]
    rows += ["white,1,1"] * 10 + ["white,1,0"] * 10 + ["white,0,0"] * 5
    rows += ["black,1,1"] * 5 + ["black,1,0"] * 15 + ["black,0,0"] * 5
    f.write_text("\n".join(rows) + "\n")
    out = tmp_path / "rri.json"
    result = CliRunner().invoke(
        app, ["rri", str(f), "--group", "race", "--points", "eligible,diverted", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    r = json.loads(out.read_text())
    assert r["eligible"]["groups"]["black"]["estimate"] == 1.0  # 20/25 vs 20/25
    assert r["diverted"]["groups"]["black"]["estimate"] == 0.5  # 5/20 vs 10/20
    assert r["diverted"]["groups"]["black"]["n"] == 20


def test_rri_names_the_bad_row_and_column(tmp_path):
    f = tmp_path / "cases.csv"
    f.write_text("race,eligible\nwhite,1\nblack,2\n")
    result = CliRunner().invoke(app, ["rri", str(f), "--group", "race", "--points", "eligible"])
    assert result.exit_code == 2
    assert "row 3, column eligible: expected 0 or 1" in result.output


@pytest.mark.slow
def test_the_report_is_also_a_pdf(tmp_path):
    from divert.evaluation.report import write

    r = {
        "source": {"engine": "duckdb", "tables": []},
        "period": {"from": None, "to": None},
        "metrics": {},
        "goals": {"reorient": {"title": "Reorient", "measures": []}},
        "outcomes": {"rearrest": {}},
        "equity": {"rri": {}},
    }
    paths = write(r, tmp_path / "out")
    assert (tmp_path / "out" / "report.pdf").read_bytes().startswith(b"%PDF")
    assert len(paths) == 4 and not list((tmp_path / "out").glob(".*.tmp"))


def test_trend_charts_are_inline_svg_with_the_band_and_one_label_per_year():
    from divert.evaluation.report import sparkline

    svg = sparkline(
        [
            {"period": 2020, "estimate": 0.2, "ci_low": 0.1, "ci_high": 0.3},
            {"period": 2021, "estimate": 0.4, "ci_low": 0.3, "ci_high": 0.5},
        ]
    )
    assert svg.startswith("<svg") and "<polygon" in svg and "<polyline" in svg
    assert svg.count("<text") == 2 and "http" not in svg
    assert sparkline([{"period": 2020, "estimate": 0.2}]) == ""  # one point is no trend


def test_evaluate_reads_a_database_holding_the_canonical_tables(tmp_path):
    import ibis

    from divert.evaluation.source import from_frames
    from tests.evaluation.conftest import tiny_frames

    db = tmp_path / "canonical.sqlite"
    from_frames(tiny_frames(), ibis.sqlite.connect(db))
    out = tmp_path / "eval"
    result = CliRunner().invoke(
        app, ["evaluate", "--database", f"sqlite:///{db}", "--out", str(out), "--no-pdf"]
    )
    assert result.exit_code == 0, result.output
    r = json.loads((out / "results.json").read_text())
    assert r["source"]["engine"] == "sqlite"
    rate = r["metrics"]["reorient.diversion_rate"]
    assert (rate["numerator"], rate["n"]) == (2, 5)
    assert r["outcomes"]["rearrest"]["hazard_ratio"]["not_estimable"].startswith("too few")


def test_results_never_carry_nan():
    import numpy as np

    from divert.evaluation.report import clean

    r = clean({"a": float("nan"), "b": [np.float64("inf"), np.int64(3)], "c": {"d": 1.5}})
    assert r == {"a": None, "b": [None, 3], "c": {"d": 1.5}}
    assert json.dumps(r, allow_nan=False)


def test_the_report_shows_shares_as_percentages_and_gaps_as_not_estimable():
    from divert.evaluation.report import cell

    share = {"kind": "proportion", "estimate": 0.337, "ci_low": 0.285, "ci_high": 0.393, "n": 294}
    assert cell(share)[:3] == ("33.7%", "28.5% to 39.3%", "294")
    gap = {"kind": "rate", "estimate": None, "not_estimable": "no follow-up time in the period"}
    assert cell(gap)[0] == "not estimable: no follow-up time in the period"
