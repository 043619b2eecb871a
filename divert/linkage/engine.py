"""The identity-resolution engine: Splink 5 over DuckDB (or a local Spark session), driven
by a versioned settings file.

Pure Python, no Django. A `Model` is the settings file plus trained m and u values; it
links two person frames, deduplicates one, or scores one record against candidates. Every
pair it returns carries the model's version.

>>> model = train(left, right)                      # doctest: +SKIP
>>> pairs = link(model, left, right)                # left_id, right_id, match_probability, ...
>>> classify(0.999, model.thresholds)               # doctest: +SKIP
'auto'
"""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from divert.linkage.prepare import prepare

SETTINGS_DIR = Path(__file__).parent / "settings"
DEFAULT_SETTINGS = SETTINGS_DIR / "person-v2.json"
DEFAULT_MODEL = SETTINGS_DIR / "person-v2.model.json"

AUTO, REVIEW = "auto", "review"
ENGINES = ("duckdb", "spark")


class LinkageError(Exception):
    """A settings or model file that cannot be used, named with the reason."""


@dataclass(frozen=True)
class Thresholds:
    link: float  # at or above: an automatic link
    review: float  # at or above (and below `link`): clerical review; below: no link

    def __post_init__(self) -> None:
        if not 0 < self.review <= self.link < 1:
            raise LinkageError(
                f"thresholds must satisfy 0 < review <= link < 1, got {self.review}, {self.link}"
            )


@dataclass(frozen=True)
class Model:
    """Settings (what to compare) plus trained parameters (how much each agreement weighs)."""

    settings_id: str
    settings_version: int
    thresholds: Thresholds
    training: dict[str, Any]
    splink: dict[str, Any]  # Splink's own settings JSON, with m and u once trained
    # role -> the column names that may play it in an input file (see prepare.by_role)
    columns: dict[str, list[str]] = field(default_factory=dict)

    @property
    def trained(self) -> bool:
        return any(
            level.get("u_probability") is not None and not level.get("fix_u_probability")
            for comparison in self.splink["comparisons"]
            for level in comparison["comparison_levels"]
        )

    @property
    def version(self) -> str:
        """`<settings id>-v<version>+<digest of the trained parameters>`, stored on every link."""
        digest = hashlib.sha256(json.dumps(self.splink, sort_keys=True).encode()).hexdigest()[:10]
        return f"{self.settings_id}-v{self.settings_version}+{digest}"

    def to_json(self) -> dict[str, Any]:
        return {
            **self.splink,
            "divert": {
                "id": self.settings_id,
                "version": self.settings_version,
                "thresholds": {"link": self.thresholds.link, "review": self.thresholds.review},
                "training": self.training,
                "columns": self.columns,
                "model_version": self.version if self.trained else None,
            },
        }


def load(path: Path | str = DEFAULT_MODEL) -> Model:
    """A settings file or a trained model file (the same layout; a model has m and u)."""
    path = Path(path)
    try:
        data = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise LinkageError(f"{path}: {exc}") from exc
    return from_json(data, source=str(path))


def from_json(data: dict[str, Any], *, source: str = "settings") -> Model:
    data = copy.deepcopy(data)
    ours = data.pop("divert", None)
    if not isinstance(ours, dict):
        raise LinkageError(f"{source}: no 'divert' section (id, version, thresholds)")
    try:
        thresholds = Thresholds(
            link=float(ours["thresholds"]["link"]), review=float(ours["thresholds"]["review"])
        )
        model = Model(
            settings_id=str(ours["id"]),
            settings_version=int(ours["version"]),
            thresholds=thresholds,
            training=dict(ours.get("training", {})),
            splink=data,
            columns=_columns(ours.get("columns", {})),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise LinkageError(f"{source}: bad 'divert' section: {exc!r}") from exc
    if not data.get("comparisons"):
        raise LinkageError(f"{source}: no comparisons")
    return model


def _columns(value: Any) -> dict[str, list[str]]:
    if not isinstance(value, dict):
        raise TypeError("'columns' must map each role to a column name or a list of names")
    out = {}
    for role, names in value.items():
        names = [names] if isinstance(names, str) else names
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise TypeError(f"columns.{role} must be a column name or a list of names")
        out[str(role)] = names
    return out


def save(model: Model, path: Path | str) -> None:
    Path(path).write_text(json.dumps(model.to_json(), indent=2) + "\n")


def classify(probability: float, thresholds: Thresholds) -> str | None:
    """'auto' at or above the link threshold, 'review' at or above the review one, else None."""
    if probability >= thresholds.link:
        return AUTO
    if probability >= thresholds.review:
        return REVIEW
    return None


# --- running Splink -----------------------------------------------------------------------


def prior(model: Model, sizes: list[int]) -> float:
    """The chance that two records drawn at random are the same person, for files of these
    sizes: the trained value, but never above one in the larger file's size. A person has at
    most about one record on the other side, so linking 10,000 people against 1,000,000 records
    with the prior of the few thousand the model was trained on would be some 300 times too
    sure of every name that agrees.

    >>> m = load()
    >>> prior(m, [10_000, 1_000_000])
    1e-06
    >>> prior(m, [20, 30]) == m.splink["probability_two_random_records_match"]
    True
    """
    trained = float(model.splink["probability_two_random_records_match"])
    return min(trained, 1 / max(sizes)) if sizes and max(sizes) else trained


@contextmanager
def _linker(model: Model, frames: list[pd.DataFrame], link_type: str, engine: str = "duckdb"):
    """A Splink linker over the frames (left_people, right_people) for the duration."""
    from splink import Linker

    if engine not in ENGINES:
        raise LinkageError(f"no linkage engine {engine!r}: use duckdb or spark")
    settings = copy.deepcopy(model.splink)
    settings["link_type"] = link_type
    settings["probability_two_random_records_match"] = prior(model, [len(f) for f in frames])
    names = ("left_people", "right_people")
    if engine == "duckdb":
        from splink import DuckDBAPI

        db_api = DuckDBAPI()
        # Arrow, not pandas: DuckDB would otherwise re-read Python objects on every query.
        tables = [
            db_api.register(_arrow(frame), dataset_display_name=name)
            for frame, name in zip(frames, names, strict=False)
        ]
        yield Linker(tables if len(tables) > 1 else tables[0], settings, log_level=logging.WARNING)
        return
    db_api = _spark_api()
    # The session outlives the run: inputs get names of their own, dropped afterwards.
    run = uuid.uuid4().hex[:10]
    tables = [
        db_api.register(
            _spark_frame(db_api.spark, frame), dataset_display_name=name, table_name=f"{name}_{run}"
        )
        for frame, name in zip(frames, names, strict=False)
    ]
    linker = Linker(
        tables if len(tables) > 1 else tables[0],
        spark_settings(settings),
        log_level=logging.WARNING,
    )
    try:
        yield linker
    finally:
        linker.table_management.delete_tables_created_by_splink_from_db()
        for name in names[: len(frames)]:
            db_api.spark.catalog.dropTempView(f"{name}_{run}")
        db_api.spark.catalog.clearCache()  # Splink's intermediate tables, kept in memory


def _spark_api():
    from splink import SparkAPI

    from divert import spark

    # Intermediate tables kept in memory: Splink's default writes Parquet checkpoints.
    return SparkAPI(spark_session=spark.session(), break_lineage_method="persist")


def _spark_frame(session, frame: pd.DataFrame):
    """The prepared frame as a Spark DataFrame, typed as Arrow reads it (NaN as NULL, as in
    DuckDB); a column with no value at all is a list of text or text, as `prepare` makes it."""
    import pyarrow as pa
    from pyspark.sql.pandas.types import from_arrow_schema

    schema = _arrow(frame).schema
    for i, f in enumerate(schema):
        if pa.types.is_null(f.type):
            kind = pa.list_(pa.string()) if f.name in _LIST_COLUMNS else pa.string()
            schema = schema.set(i, pa.field(f.name, kind))
    clean = frame.astype(object).where(frame.notna(), None)
    return session.createDataFrame(clean, schema=from_arrow_schema(schema))


_LIST_COLUMNS = ("last_parts", "outside_ids")


# DuckDB's function names in the settings' SQL, as Spark knows them: Splink's Spark jar
# (divert.spark puts it on the class path) names its similarity functions this way.
_SPARK_FUNCTIONS = {
    "jaro_winkler_similarity": "jaro_winkler",
    "jaro_similarity": "jaro_sim",
    "list_intersect": "array_intersect",
    "damerau_levenshtein": "damerau_levenshtein",
}


def spark_sql(sql: str) -> str:
    """One condition of the settings (written for DuckDB) in Spark SQL, through sqlglot:
    quoted names become back-quoted (in Spark "x" is a string), functions are renamed."""
    import sqlglot
    from sqlglot import exp

    def rename(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.JarowinklerSimilarity):
            args = [node.this, node.expression]
            return exp.Anonymous(this=_SPARK_FUNCTIONS["jaro_winkler_similarity"], expressions=args)
        if isinstance(node, exp.Anonymous) and node.name.lower() in _SPARK_FUNCTIONS:
            return exp.Anonymous(
                this=_SPARK_FUNCTIONS[node.name.lower()], expressions=node.expressions
            )
        return node

    tree = sqlglot.parse_one(sql, read="duckdb").transform(rename)
    return tree.sql(dialect="spark")


def spark_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """Splink settings written for DuckDB, with every condition and rule in Spark SQL."""
    out = copy.deepcopy(settings)
    out["sql_dialect"] = "spark"
    for comparison in out.get("comparisons", []):
        for level in comparison["comparison_levels"]:
            if level.get("sql_condition", "ELSE").upper() != "ELSE":
                level["sql_condition"] = spark_sql(level["sql_condition"])
    rules = []
    for rule in out.get("blocking_rules_to_generate_predictions", []):
        if isinstance(rule, str):
            rule = {"blocking_rule": rule}
        rules.append(
            {**rule, "blocking_rule": spark_sql(rule["blocking_rule"]), "sql_dialect": "spark"}
        )
    out["blocking_rules_to_generate_predictions"] = rules
    return out


def _arrow(frame: pd.DataFrame):
    import pyarrow as pa

    return pa.Table.from_pandas(frame, preserve_index=False)


def train(
    left: pd.DataFrame,
    right: pd.DataFrame | None = None,
    *,
    settings: Path | str | Model = DEFAULT_SETTINGS,
    seed: int = 42,
    max_pairs: float = 5e5,
    engine: str = "duckdb",
    matches: list[tuple[str, str]] | None = None,
) -> Model:
    """Estimate the match prior, u by random sampling, then m by EM on two blockings.

    With `right` it learns from linking left to right; without, from deduplicating left.
    `matches`, (left id, right id) pairs reviewers confirmed, add an estimate of m from
    those pairs, which Splink averages with EM's.
    On Spark the trained model keeps the settings' DuckDB SQL (its file runs on either
    engine); Spark samples pairs its own way, so its u values differ a little.
    """
    base = settings if isinstance(settings, Model) else load(settings)
    frames = [prepare(left, base.columns)] + (
        [prepare(right, base.columns)] if right is not None else []
    )
    link_type = "link_only" if right is not None else "dedupe_only"
    sql = spark_sql if engine == "spark" else str
    deterministic = base.training.get(
        "deterministic_rules",
        ["l.dob = r.dob AND l.first_canon = r.first_canon AND l.last_name = r.last_name"],
    )
    with _linker(base, frames, link_type, engine) as linker:
        linker.training.estimate_probability_two_random_records_match(
            [sql(rule) for rule in deterministic],
            recall=float(base.training.get("deterministic_recall", 0.8)),
        )
        linker.training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=seed)
        for rule in base.training.get(
            "em_blocking",
            ["l.dob = r.dob", "l.first_canon = r.first_canon AND l.last_name = r.last_name"],
        ):
            linker.training.estimate_parameters_using_expectation_maximisation(sql(rule))
        if matches and right is not None:
            labels = pd.DataFrame(
                [("left_people", a, "right_people", b) for a, b in matches],
                columns=["source_dataset_l", "unique_id_l", "source_dataset_r", "unique_id_r"],
            )
            table = linker.table_management.register_table(labels, "divert_labels", overwrite=True)
            linker.training.estimate_m_from_pairwise_labels(table)
        trained = linker.misc.save_model_to_json()
    trained.pop("linker_uid", None)
    if engine == "spark":
        trained = _with_sql_of(base.splink, trained)
    trained["link_type"] = base.splink["link_type"]
    return Model(
        settings_id=base.settings_id,
        settings_version=base.settings_version,
        thresholds=base.thresholds,
        columns=base.columns,
        training={
            **base.training,
            "seed": seed,
            "trained_on": {"left": len(left), "right": 0 if right is None else len(right)},
            "labels": len(matches) if matches and right is not None else 0,
        },
        splink=trained,
    )


def _with_sql_of(settings: dict[str, Any], trained: dict[str, Any]) -> dict[str, Any]:
    """The trained parameters with the settings' own SQL (level by level, in order)."""
    out = copy.deepcopy(trained)
    out["sql_dialect"] = settings.get("sql_dialect", "duckdb")
    dialect = out["sql_dialect"]
    rules = zip(
        out["blocking_rules_to_generate_predictions"],
        settings["blocking_rules_to_generate_predictions"],
        strict=True,
    )
    for rule, own in rules:
        rule["blocking_rule"] = own if isinstance(own, str) else own["blocking_rule"]
        rule["sql_dialect"] = dialect
    for comparison, own in zip(out["comparisons"], settings["comparisons"], strict=True):
        levels = zip(comparison["comparison_levels"], own["comparison_levels"], strict=True)
        for level, own_level in levels:
            level["sql_condition"] = own_level["sql_condition"]
    return out


_OUT = ["left_id", "right_id", "match_probability", "match_weight"]


def _pairs(result: pd.DataFrame) -> pd.DataFrame:
    if result.empty:
        return pd.DataFrame(
            {c: pd.Series(dtype=object if c.endswith("_id") else float) for c in _OUT}
        )
    out = pd.DataFrame(
        {
            "left_id": result["unique_id_l"].astype(str),
            "right_id": result["unique_id_r"].astype(str),
            "match_probability": result["match_probability"].astype(float),
            "match_weight": result["match_weight"].astype(float),
        }
    )
    return out.sort_values(
        ["left_id", "match_probability"], ascending=[True, False], ignore_index=True
    )


def link(
    model: Model,
    left: pd.DataFrame,
    right: pd.DataFrame,
    *,
    min_probability: float | None = None,
    engine: str = "duckdb",
) -> pd.DataFrame:
    """Scored pairs between two person frames at or above `min_probability` (default: review),
    on DuckDB or Spark (the same pairs and probabilities)."""
    if not model.trained:
        raise LinkageError("the model is not trained: run training first or load a model file")
    if left.empty or right.empty:
        return _pairs(pd.DataFrame())
    frames = [prepare(left, model.columns), prepare(right, model.columns)]
    floor = model.thresholds.review if min_probability is None else min_probability
    with _linker(model, frames, "link_only", engine) as linker:
        result = linker.inference.predict(threshold_match_probability=floor).as_pandas_dataframe()
    pairs = _pairs(result)
    # Splink orders a pair by source name; keep left ids on the left.
    if not result.empty and (result["source_dataset_l"] == "right_people").any():
        flip = result["source_dataset_l"].to_numpy() == "right_people"
        pairs.loc[flip, ["left_id", "right_id"]] = pairs.loc[
            flip, ["right_id", "left_id"]
        ].to_numpy()
    return pairs


def dedupe(
    model: Model,
    people: pd.DataFrame,
    *,
    min_probability: float | None = None,
    engine: str = "duckdb",
) -> pd.DataFrame:
    """Scored pairs within one person frame (left_id < right_id as text)."""
    if not model.trained:
        raise LinkageError("the model is not trained: run training first or load a model file")
    if len(people) < 2:
        return _pairs(pd.DataFrame())
    floor = model.thresholds.review if min_probability is None else min_probability
    with _linker(model, [prepare(people, model.columns)], "dedupe_only", engine) as linker:
        result = linker.inference.predict(threshold_match_probability=floor).as_pandas_dataframe()
    return _pairs(result)


def score(model: Model, record: dict[str, Any], candidates: pd.DataFrame) -> pd.DataFrame:
    """One new record against a few candidates (no blocking): right_id, probability, weight."""
    if candidates.empty:
        return _pairs(pd.DataFrame())
    one = prepare(pd.DataFrame([{**record, "unique_id": "__new__"}]), model.columns)
    others = prepare(candidates, model.columns)
    with _linker(model, [one, others], "link_only") as linker:
        result = linker.inference.score_pairs(_records(one), _records(others)).as_pandas_dataframe()
    return _pairs(result)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return frame.astype(object).where(frame.notna(), None).to_dict("records")
