"""Writing one batch of checked rows: new records inserted, changed ones corrected with a
history row, the same ones left alone. Set-based SQL through a staging table, so a million
rows are a few statements (COPY on PostgreSQL), not a million ORM saves.

Call inside a transaction: the batch is all or nothing. The SQL is assembled from table
and column names this module and the models define, never from a file's contents (S608).
"""

# ruff: noqa: S608

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
from django.db import connection
from django.utils import timezone

from divert.records.models import JusticeEvent

STAGE = "divert_import_stage"
# Stage columns in order; the event columns they fill have the same names.
_VALUES = (
    "source_event_id",
    "source_person_id",
    "kind",
    "occurred_on",
    "ended_on",
    "nibrs",
    "level",
    "filed",
    "disposition",
    "person_id",
)
_COMPARED = (
    "source_person_id",
    "kind",
    "occurred_on",
    "ended_on",
    "nibrs",
    "level",
    "filed",
    "disposition",
)


@dataclass
class BatchCounts:
    accepted: int = 0
    updated: int = 0
    unchanged: int = 0


def lock_source(jurisdiction_id: int, source_system: str) -> None:
    """On PostgreSQL, one writer per site and source at a time (held to the transaction's
    end): two runs of one file at once would both see a record as new."""
    if connection.vendor != "postgresql":
        return
    digest = hashlib.sha256(f"import:{jurisdiction_id}:{source_system}".encode()).digest()
    with connection.cursor() as cur:
        cur.execute(
            "SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest[:8], "big", signed=True)]
        )


def _stage_frame(batch: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame({c: batch[c] for c in _VALUES})
    for c in ("occurred_on", "ended_on"):
        day = pd.to_datetime(out[c])
        out[c] = day.dt.strftime("%Y-%m-%d").where(day.notna(), None)
    for c in ("nibrs", "level", "disposition"):
        out[c] = out[c].where(out[c].notna(), "")
    out["filed"] = out["filed"].map(lambda v: None if v is None or v != v else bool(v))
    out["person_id"] = out["person_id"].map(lambda v: None if v is None or v != v else int(v))
    return out


def _create_stage(cur) -> None:
    pg = connection.vendor == "postgresql"
    date, boolean = ("date", "boolean") if pg else ("text", "integer")
    cur.execute(f"DROP TABLE IF EXISTS {STAGE}")
    cur.execute(
        f"CREATE TEMP TABLE {STAGE} (source_event_id varchar(120) NOT NULL, "
        f"source_person_id varchar(120) NOT NULL, kind varchar(12) NOT NULL, "
        f"occurred_on {date} NOT NULL, ended_on {date}, nibrs varchar(3) NOT NULL, "
        f"level varchar(12) NOT NULL, filed {boolean}, disposition varchar(60) NOT NULL, "
        f"person_id bigint, event_id bigint, state varchar(8) NOT NULL DEFAULT 'new')"
    )


def load_stage(cur, stage: str, names: tuple[str, ...], frame: pd.DataFrame) -> None:
    """Fill a staging table from a frame of those columns: COPY on PostgreSQL."""
    columns = ", ".join(names)
    if connection.vendor == "postgresql":
        # Arrow's CSV writer quotes every string and leaves a null unquoted and empty, which
        # is how COPY's CSV format tells an empty name from a missing one.
        buf = io.BytesIO()
        pa_csv.write_csv(
            pa.Table.from_pandas(frame, preserve_index=False),
            buf,
            pa_csv.WriteOptions(include_header=False),
        )
        raw = cur.cursor if hasattr(cur, "cursor") else cur
        with raw.copy(f"COPY {stage} ({columns}) FROM STDIN WITH (FORMAT csv)") as cp:
            cp.write(buf.getbuffer())
        return
    marks = ", ".join(["%s"] * len(names))
    rows = frame.astype(object).where(frame.notna(), None).itertuples(index=False, name=None)
    cur.executemany(f"INSERT INTO {stage} ({columns}) VALUES ({marks})", list(rows))


def find_stored(
    cur, stage: str, *, table: str, key: str, into: str, site: list, only_new: bool = False
) -> None:
    """Set each staged row's `into` to the id of the stored row of the site and source with
    the same `key`: one index lookup per staged row. A join would leave the order to the
    planner, and mid-import PostgreSQL's statistics still call the table small, so it scanned
    every stored row for each batch and each batch was slower than the last."""
    where = " WHERE s.state = 'new'" if only_new else ""
    cur.execute(
        f"UPDATE {stage} AS s SET {into} = (SELECT t.id FROM {table} AS t "
        f"WHERE t.jurisdiction_id = %s AND t.source_system = %s AND t.{key} = s.{key}){where}",
        site,
    )


def mark_changed(cur, stage: str, *, table: str, into: str, differs: str) -> dict[str, int]:
    """Mark each staged row that has a stored one 'changed' or 'same' (`differs` compares the
    stored row `t` with the staged `s`), and count the states."""
    cur.execute(
        f"UPDATE {stage} AS s SET state = CASE WHEN (SELECT {differs} FROM {table} AS t "
        f"WHERE t.id = s.{into}) THEN 'changed' ELSE 'same' END WHERE s.{into} IS NOT NULL"
    )
    cur.execute(f"SELECT state, COUNT(*) FROM {stage} GROUP BY state")
    return dict(cur.fetchall())


def write_history(
    cur,
    stage: str,
    *,
    model,
    into: str,
    new: dict[str, str],
    constants: dict[str, object],
    stamp: list,
) -> None:
    """History rows for the batch: a new row's from what it was inserted with (`new`: column
    -> SQL over the staged row `s`; `constants`: column -> value), a corrected row's from the
    stored row, found by id. `stamp`: date, user and reason of the change."""
    table = model._meta.db_table
    history = model.history.model._meta.db_table
    columns = [f.column for f in model._meta.concrete_fields]
    given = {"id": f"s.{into}", **new, **dict.fromkeys(constants, "%s")}
    params = [constants[c] for c in columns if c in constants]
    missing = [c for c in columns if c not in given]
    if missing:  # a field added to the model needs its staged value here
        raise RuntimeError(f"no staged value for {missing}")
    head = (
        f"INSERT INTO {history} ({', '.join(columns)}, history_date, history_type, "
        f"history_user_id, history_change_reason) "
    )
    cur.execute(
        head + f"SELECT {', '.join(given[c] for c in columns)}, %s, '+', %s, %s "
        f"FROM {stage} AS s WHERE s.state = 'new'",
        [*params, *stamp],
    )
    cur.execute(
        head + f"SELECT {', '.join('t.' + c for c in columns)}, %s, '~', %s, %s "
        f"FROM {stage} AS s JOIN {table} AS t ON t.id = s.{into} WHERE s.state = 'changed'",
        stamp,
    )


def store_batch(
    batch: pd.DataFrame,
    *,
    jurisdiction_id: int,
    source_system: str,
    run_id: int,
    user_id: int | None,
) -> BatchCounts:
    """Upsert one batch (columns as _VALUES) and return what became of its rows."""
    events = JusticeEvent._meta.db_table
    site = [jurisdiction_id, source_system]
    with connection.cursor() as cur:
        _create_stage(cur)
        load_stage(cur, STAGE, _VALUES, _stage_frame(batch))
        if connection.vendor == "postgresql":
            cur.execute(f"ANALYZE {STAGE}")  # a temp table has no statistics otherwise
        find_stored(cur, STAGE, table=events, key="source_event_id", into="event_id", site=site)
        differs = " OR ".join(f"t.{c} IS DISTINCT FROM s.{c}" for c in _COMPARED)
        # A link made elsewhere (record linkage) is never undone by an import without one.
        differs += " OR (s.person_id IS NOT NULL AND t.person_id IS DISTINCT FROM s.person_id)"
        states = mark_changed(cur, STAGE, table=events, into="event_id", differs=differs)
        fields = ", ".join(_VALUES)
        cur.execute(
            f"INSERT INTO {events} (jurisdiction_id, source_system, import_run_id, {fields}) "
            f"SELECT %s, %s, %s, {fields} FROM {STAGE} WHERE state = 'new'",
            [*site, run_id],
        )
        find_stored(
            cur, STAGE, table=events, key="source_event_id", into="event_id", site=site,
            only_new=True,
        )  # fmt: skip
        assignments = ", ".join(f"{c} = s.{c}" for c in _COMPARED)
        cur.execute(
            f"UPDATE {events} AS e SET {assignments}, "
            f"person_id = COALESCE(s.person_id, e.person_id), import_run_id = %s "
            f"FROM {STAGE} AS s WHERE s.state = 'changed' AND e.id = s.event_id",
            [run_id],
        )
        write_history(
            cur,
            STAGE,
            model=JusticeEvent,
            into="event_id",
            new={c: f"s.{c}" for c in _VALUES},
            constants={
                "jurisdiction_id": jurisdiction_id,
                "source_system": source_system,
                "import_run_id": run_id,
            },
            stamp=[
                connection.ops.adapt_datetimefield_value(timezone.now()),
                user_id,
                f"import run {run_id}",
            ],
        )
        cur.execute(f"DROP TABLE {STAGE}")
    return BatchCounts(
        accepted=states.get("new", 0),
        updated=states.get("changed", 0),
        unchanged=states.get("same", 0),
    )
