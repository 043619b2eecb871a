"""Justice persons from an import: the person fields of arrest and booking rows.

A source's rows name their person by `source_person_id`; where the mapping also maps the
person's name, date of birth, sex or race, those fill the source's justice person record
(divert.linkage.models.JusticePerson, keyed by site, source system and source person id),
which record linkage then ties to a program person. Several rows of one person: the latest
(by date, then row) gives each field it fills. An empty cell never erases what is stored.
Call inside the batch's transaction: people and records are written together or not at all.
Set-based SQL through a staging table, as divert.records.storing does for the records; the
SQL is assembled from names this module and the models define, never from a file (S608).
"""

# ruff: noqa: S608

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from django.db import connection
from django.utils import timezone

from divert.records import fields as F
from divert.records.storing import find_stored, load_stage, mark_changed, write_history

STAGE = "divert_import_person_stage"
# Stage columns in order; the person columns they fill have the same names. Empty = not given.
_VALUES = ("source_person_id", "first_name", "last_name", "date_of_birth", "dob_precision",
           "sex", "race")  # fmt: skip
_FILLED = _VALUES[1:]
# What a new person has where the rows gave nothing: the model's own defaults.
_DEFAULTS = {"first_name": "''", "last_name": "''", "dob_precision": "'day'",
             "sex": "'unknown'", "race": "'unknown'"}  # fmt: skip
_LENGTH = {"first_name": 100, "last_name": 100, "sex": 40, "race": 40}


@dataclass
class PersonCounts:
    new: int = 0
    updated: int = 0


def store_persons(
    batch: pd.DataFrame,
    *,
    jurisdiction_id: int,
    source_system: str,
    run_id: int | None,
    user_id: int | None,
) -> PersonCounts:
    """Create or correct the justice persons the batch's rows describe: set-based SQL through
    a staging table, as divert.records.storing writes the records themselves."""
    from divert.linkage.models import JusticePerson

    present = [f for f in F.PERSON if f in batch and batch[f].notna().any()]
    if not present:
        return PersonCounts()
    rows = batch.loc[
        batch[present].notna().any(axis=1), ["source_person_id", "occurred_on", "row", *present]
    ]
    rows = rows.sort_values(["occurred_on", "row"], kind="stable")
    latest = rows.groupby("source_person_id", sort=False)[present].last()  # last non-empty
    frame = _stage_frame(latest)
    people = JusticePerson._meta.db_table
    site = [jurisdiction_id, source_system]
    with connection.cursor() as cur:
        _create_stage(cur)
        load_stage(cur, STAGE, _VALUES, frame)
        if connection.vendor == "postgresql":
            cur.execute(f"ANALYZE {STAGE}")  # a temp table has no statistics otherwise
        find_stored(cur, STAGE, table=people, key="source_person_id", into="person_id", site=site)
        # An empty cell never erases what is stored: only given values can differ.
        differs = " OR ".join(
            f"(s.{c} IS NOT NULL AND s.{c} IS DISTINCT FROM t.{c})" for c in _FILLED
        )
        states = mark_changed(cur, STAGE, table=people, into="person_id", differs=differs)
        filled = {c: f"COALESCE(s.{c}, {_DEFAULTS[c]})" if c in _DEFAULTS else f"s.{c}"
                  for c in _FILLED}  # fmt: skip
        cur.execute(
            f"INSERT INTO {people} (jurisdiction_id, source_system, source_person_id, "
            f"{', '.join(_FILLED)}) SELECT %s, %s, s.source_person_id, "
            f"{', '.join(filled.values())} FROM {STAGE} AS s WHERE s.state = 'new'",
            site,
        )
        find_stored(
            cur, STAGE, table=people, key="source_person_id", into="person_id", site=site,
            only_new=True,
        )  # fmt: skip
        assignments = ", ".join(f"{c} = COALESCE(s.{c}, p.{c})" for c in _FILLED)
        cur.execute(
            f"UPDATE {people} AS p SET {assignments} "
            f"FROM {STAGE} AS s WHERE s.state = 'changed' AND p.id = s.person_id"
        )
        write_history(
            cur,
            STAGE,
            model=JusticePerson,
            into="person_id",
            new={"source_person_id": "s.source_person_id", **filled},
            constants={"jurisdiction_id": jurisdiction_id, "source_system": source_system},
            stamp=[
                connection.ops.adapt_datetimefield_value(timezone.now()),
                user_id,
                f"import run {run_id}" if run_id else "import",
            ],
        )
        cur.execute(f"DROP TABLE {STAGE}")
    return PersonCounts(new=states.get("new", 0), updated=states.get("changed", 0))


def _stage_frame(latest: pd.DataFrame) -> pd.DataFrame:
    """One row per person: the given values, cut to the columns' lengths; None where empty."""
    out = pd.DataFrame({"source_person_id": latest.index.astype(str)})
    for c in _FILLED:
        out[c] = None
    for c, n in _LENGTH.items():
        if c in latest:
            v = latest[c].to_numpy()
            out[c] = [None if x is None or x != x else str(x)[:n] for x in v]
    if "date_of_birth" in latest:
        day = pd.to_datetime(latest["date_of_birth"].to_numpy())
        out["date_of_birth"] = pd.Series(day.strftime("%Y-%m-%d")).where(~day.isna(), None)
        out["dob_precision"] = out["date_of_birth"].map(lambda d: None if d is None else "day")
    return out.astype(object).where(out.notna(), None)


def _create_stage(cur) -> None:
    date = "date" if connection.vendor == "postgresql" else "text"
    cur.execute(f"DROP TABLE IF EXISTS {STAGE}")
    cur.execute(
        f"CREATE TEMP TABLE {STAGE} (source_person_id varchar(120) NOT NULL, "
        f"first_name varchar(100), last_name varchar(100), date_of_birth {date}, "
        f"dob_precision varchar(5), sex varchar(40), race varchar(40), person_id bigint, "
        f"state varchar(8) NOT NULL DEFAULT 'new')"
    )
