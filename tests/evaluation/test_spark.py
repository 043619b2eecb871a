"""The evaluation on a local Spark session: refused where Spark cannot read the source, and
the same figures as DuckDB where it can (slow: Java starts once per run)."""

import json
import math

import pytest
from typer.testing import CliRunner

from divert.cli import app


def _said(result) -> str:
    """The output as one line, without the error box's borders."""
    return " ".join(result.output.replace("│", " ").split())


@pytest.mark.parametrize(
    ("source", "engine", "words"),
    [
        (["--data", "."], "nope", "'nope' is not an engine: use duckdb, postgres or spark"),
        (["--data", "."], "postgres", "postgres reads a --database postgresql://"),
        (["--site", "x"], "postgres", "postgres reads a --database postgresql://"),
        (["--database", "postgresql://u@127.0.0.1/db"], "spark", "it is read by postgres"),
        (["--database", "postgresql://u@127.0.0.1/db"], "duckdb", "give --engine postgres"),
        (["--database", "sqlite:///x.sqlite"], "spark", "spark cannot read the sqlite://"),
        (["--database", "sqlite:///x.sqlite"], "postgres", "postgres cannot read the sqlite://"),
    ],
)
def test_an_engine_that_cannot_read_the_source_is_refused_naming_engine(
    tmp_path, source, engine, words
):
    out = tmp_path / "eval"
    result = CliRunner().invoke(app, ["evaluate", *source, "--engine", engine, "--out", str(out)])
    assert result.exit_code == 2
    assert "--engine" in _said(result) and words in _said(result)
    assert not out.exists()


def _figures(value, path=""):
    """Every leaf of results.json by its path."""
    if isinstance(value, dict):
        return {
            k: v for key, item in value.items() for k, v in _figures(item, f"{path}/{key}").items()
        }
    if isinstance(value, list):
        return {
            k: v for i, item in enumerate(value) for k, v in _figures(item, f"{path}[{i}]").items()
        }
    return {path: value}


@pytest.mark.slow
def test_spark_gives_the_figures_duckdb_gives(tmp_path, spark_session):
    county = tmp_path / "county"
    runner = CliRunner()
    made = runner.invoke(
        app, ["synth", "--residents", "20000", "--years", "2", "--seed", "3", "--out", str(county)]
    )
    assert made.exit_code == 0, made.output
    runs = {}
    for engine in ("duckdb", "spark"):
        out = tmp_path / engine
        args = ["evaluate", "--data", str(county), "--engine", engine, "--out", str(out)]
        result = runner.invoke(app, [*args, "--no-pdf"])
        assert result.exit_code == 0, result.output
        runs[engine] = json.loads((out / "results.json").read_text())
    duck, spark = (_figures(runs[e]) for e in ("duckdb", "spark"))
    assert duck.pop("/source/engine") == "duckdb" and spark.pop("/source/engine") == "spark"
    assert duck.keys() == spark.keys()
    differ = [
        (path, duck[path], spark[path])
        for path in duck
        if not (
            duck[path] == spark[path]
            or isinstance(duck[path], float)
            and isinstance(spark[path], int | float)
            and math.isclose(duck[path], spark[path], rel_tol=1e-9, abs_tol=1e-12)
        )
    ]
    assert differ == []
    rate = runs["spark"]["metrics"]["reorient.diversion_rate"]
    assert rate["n"] > 0 and rate["estimate"] is not None  # figures, not only gaps, compared
