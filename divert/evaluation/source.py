"""Where the canonical tables come from: one Ibis connection, whatever the engine.

- `from_dir(path)`: DuckDB over the files `divert synth` or an importer writes
  (`<table>.parquet` or `<table>.csv`), loaded into DuckDB's memory once, with nanosecond
  timestamps cast to microseconds (DuckDB's own precision: grouping by the year of a
  TIMESTAMP_NS column fails in DuckDB 2.0). `from_dir(path, engine="spark")` reads the
  same files the same way, then holds them in a local Spark session (divert.spark), so
  both engines see the same types.
- `from_url(url)`: a database that holds the canonical tables under their own names
  (PostgreSQL, SQLite, DuckDB file), through Ibis.
- `from_frames(frames)`: pandas frames in an in-memory DuckDB (tests, the demo), or in any
  backend given as `con` (tests load the same tiny tables into SQLite and PostgreSQL).

Truth tables (`truth_*`) are never opened: an evaluation must not see the answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import ibis
import pandas as pd

from divert.synth.tables import TABLES

LINK_TABLE = "person_links"  # person_id <-> justice_person_id, made by record linkage


class Missing(Exception):
    """A table or column the metric needs is not in the data."""

    def __init__(self, table: str, column: str | None = None):
        self.table, self.column = table, column
        what = f"column {table}.{column}" if column else f"table {table}"
        super().__init__(f"{what} is missing")


@dataclass
class Source:
    con: ibis.BaseBackend
    names: set[str]
    engine: str
    _cache: dict[str, ibis.Table] = field(default_factory=dict)

    def has(self, name: str, *columns: str) -> bool:
        if name not in self.names:
            return False
        return all(c in self.table(name).columns for c in columns)

    def table(self, name: str, *columns: str) -> ibis.Table:
        """The table, after checking it has `columns`; raises Missing otherwise."""
        if name.startswith("truth_") or name not in self.names:
            raise Missing(name)
        if name not in self._cache:
            self._cache[name] = self.con.table(name)
        t = self._cache[name]
        for c in columns:
            if c not in t.columns:
                raise Missing(name, c)
        return t


def _wanted() -> set[str]:
    return {n for n, t in TABLES.items() if not t.truth} | {LINK_TABLE}


def from_dir(path: str | Path, engine: str = "duckdb") -> Source:
    """The canonical files in `path` (Parquet preferred over CSV) in DuckDB or Spark."""
    if engine not in ("duckdb", "spark"):
        raise ValueError(f"files are read into duckdb or spark, not {engine}")
    duck = _read_dir(Path(path))
    if engine == "duckdb":
        return duck
    con = spark_backend()
    for name in sorted(duck.names):
        _spark_view(con, name, ibis.memtable(duck.con.table(name).to_pyarrow()))
    return Source(con, set(duck.names), "spark")


def spark_backend() -> ibis.BaseBackend:
    """Ibis over the process's local Spark session (divert.spark)."""
    from divert import spark

    return ibis.pyspark.connect(spark.session())


def _spark_view(con: ibis.BaseBackend, name: str, table: ibis.Table) -> None:
    """A temporary view in the Spark session: nothing is written to a warehouse folder."""
    con.create_view(name, table, overwrite=True)


def _read_dir(path: Path) -> Source:
    if not path.is_dir():
        raise FileNotFoundError(f"{path}: no such directory")
    con = ibis.duckdb.connect()
    names = set()
    for name in sorted(_wanted()):
        pq, csv = path / f"{name}.parquet", path / f"{name}.csv"
        if pq.exists():
            read = f"read_parquet({_quote(pq)})"
        elif csv.exists():
            read = f"read_csv({_quote(csv)})"
        else:
            continue
        # Table names are ours, the path and column names quoted: no injection.
        described = con.con.sql(f"DESCRIBE SELECT * FROM {read}").fetchall()  # noqa: S608
        ns = [c.replace('"', '""') for c, kind, *_ in described if kind == "TIMESTAMP_NS"]
        replace = ", ".join(f'CAST("{c}" AS TIMESTAMP) AS "{c}"' for c in ns)
        star = f"* REPLACE ({replace})" if ns else "*"
        con.con.execute(f'CREATE TABLE "{name}" AS SELECT {star} FROM {read}')  # noqa: S608
        names.add(name)
    return Source(con, names, "duckdb")


_IBIS_TYPES = {
    "int64": "int64",
    "Int64": "int64",
    "float64": "float64",
    "bool": "boolean",
    "string": "string",
    "datetime": "timestamp",
}


def _schema(name: str, df: pd.DataFrame) -> ibis.Schema | None:
    """The canonical types of the frame's columns (so an all-null column keeps its type)."""
    if name not in TABLES:
        return None
    declared = {c.name: _IBIS_TYPES[c.type] for c in TABLES[name].columns}
    inferred = ibis.memtable(df).schema()
    return ibis.schema({c: declared.get(c, inferred[c]) for c in df.columns})


def _quote(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def from_url(url: str) -> Source:
    """A database holding the canonical tables (postgresql://, sqlite://, duckdb://)."""
    con = ibis.connect(url)
    names = set(con.list_tables()) & _wanted()
    return Source(con, names, con.name)


def from_frames(frames: dict[str, pd.DataFrame], con: ibis.BaseBackend | None = None) -> Source:
    """Load frames into `con` (default: a new in-memory DuckDB) under their table names
    (temporary views in a PySpark session)."""
    con = con or ibis.duckdb.connect()
    for name, df in frames.items():
        schema = _schema(name, df)
        if con.name != "duckdb":  # NaN and NaT as SQL NULL (also keeps PySpark from 'NaN')
            df = df.astype(object).where(df.notna(), None)
        if con.name == "pyspark":
            _spark_view(con, name, ibis.memtable(df, schema=schema))
        else:
            con.create_table(name, ibis.memtable(df, schema=schema), overwrite=True)
    engine = "spark" if con.name == "pyspark" else con.name
    return Source(con, set(frames) & _wanted(), engine)
