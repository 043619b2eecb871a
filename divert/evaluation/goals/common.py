"""Building blocks shared by the goals' metrics, written to compile on every engine.

Time windows use epoch seconds rather than interval arithmetic, which SQLite lacks.
"""

from __future__ import annotations

import ibis
import pandas as pd

from divert.evaluation.source import Missing, Source
from divert.synth.scenario import AGE_BANDS

DAY = 86400
YEAR = 365.25 * DAY
SIX_MONTHS = 182.625 * DAY


def flag(condition: ibis.BooleanValue) -> ibis.IntegerValue:
    """1 where true, else 0 (PostgreSQL cannot cast boolean to bigint)."""
    return ibis.ifelse(condition, 1, 0)


def in_program(src: Source) -> ibis.Table:
    """Arrests (probable cause) where and when LEAD could take them: a LEAD area while the
    program ran, on a green-light shift."""
    e = src.table(
        "encounters", "probable_cause", "lead_active", "green_light", "eligible", "action"
    )
    return e.filter(e.probable_cause & e.lead_active & e.green_light)


def eligible_in_program(src: Source) -> ibis.Table:
    e = in_program(src)
    return e.filter(e.eligible)


def month(ts) -> ibis.Value:
    return ts.strftime("%Y-%m")


def participants(src: Source) -> ibis.Table:
    """One row per participant: person_id and index_at, their first completed intake."""
    en = src.table("enrollments", "person_id", "intake_at")
    done = en.filter(en.intake_at.notnull())
    return done.group_by("person_id").agg(index_at=done.intake_at.min())


def arrests(src: Source) -> ibis.Table:
    e = src.table("encounters", "person_id", "occurred_at", "probable_cause")
    return e.filter(e.probable_cause).select("person_id", "occurred_at", "action")


def end_seconds(src: Source) -> int:
    """The end of observation: the last encounter in the data (epoch seconds)."""
    if "end_seconds" not in src._cache:
        e = src.table("encounters", "occurred_at")
        src._cache["end_seconds"] = int(e.occurred_at.epoch_seconds().max().execute())
    return src._cache["end_seconds"]


def group_of(persons: ibis.Table) -> ibis.Value:
    """OJJDP groups: Hispanic of any race, otherwise the race (so `white` is non-Hispanic
    White, the reference)."""
    return ibis.ifelse(persons.ethnicity == "hispanic", "hispanic", persons.race)


def rearrest_6m(src: Source) -> ibis.Table:
    """Participants with 6 months of follow-up after their first intake, hit = any arrest in
    those 6 months (index excluded)."""
    p = participants(src)
    end = end_seconds(src)
    p = p.mutate(t0=p.index_at.epoch_seconds())
    p = p.filter(p.t0 + SIX_MONTHS <= end)
    a = arrests(src)
    a = a.mutate(t=a.occurred_at.epoch_seconds())
    j = p.left_join(a, (p.person_id == a.person_id) & (a.t > p.t0) & (a.t <= p.t0 + SIX_MONTHS))
    return j.group_by(p.person_id, p.index_at).agg(hit=flag(j.t.notnull()).max())


def area_months(src: Source, name: str) -> ibis.Table:
    """Events of table `name` (area_id, received_at) per area-month, for a difference in
    differences: every area and every month the table covers (its first to its last event),
    months without events counted as 0; `after` from the month after the first launch (the
    launch month itself left out); `years` the month's exposure."""
    t = src.table(name, "area_id", "received_at")
    # A CSV column DuckDB could not read as dates arrives as text.
    if not t.received_at.type().is_temporal():
        raise Missing(name, "received_at (as dates and times)")
    a = src.table("areas", "area_id", "lead_area", "lead_launch")
    span = t.aggregate(lo=t.received_at.min(), hi=t.received_at.max()).execute()
    launch = a.lead_launch.min().execute()
    if span.lo.isna().all() or launch is None or pd.isna(launch):
        return _empty_area_months()
    months = pd.period_range(span.lo[0], span.hi[0], freq="M").strftime("%Y-%m")
    launched = pd.Timestamp(launch).strftime("%Y-%m")
    area_rows = a.select("area_id", "lead_area").execute()
    grid = pd.DataFrame(
        [
            (int(area), bool(lead), m, pd.Timestamp(m + "-01"), m > launched)
            for area, lead in area_rows.itertuples(index=False)
            for m in months
            if m != launched
        ],
        columns=["area_id", "program", "month", "at", "after"],
    )
    counts = t.group_by("area_id", month=month(t.received_at)).agg(events=t.count())
    g = ibis.memtable(grid)
    j = g.left_join(counts, (g.area_id == counts.area_id) & (g.month == counts.month))
    return j.select(
        g.area_id, g.program, g.month, g.at, g.after,
        events=j.events.fill_null(0), years=ibis.literal(1 / 12),
    )  # fmt: skip


def _empty_area_months() -> ibis.Table:
    schema = {"area_id": "int64", "program": "boolean", "month": "string", "at": "timestamp",
              "after": "boolean", "events": "int64", "years": "float64"}  # fmt: skip
    return ibis.memtable(pd.DataFrame({c: [] for c in schema}), schema=schema)


def age_band(dob: ibis.Value, at: ibis.Value) -> ibis.Value:
    """The population table's age band (AGE_BANDS) at `at` of someone born on `dob`; null
    where either is unknown."""
    age = (at.epoch_seconds() - dob.epoch_seconds()) / YEAR
    band = ibis.null().cast("string")
    for label in AGE_BANDS:  # ascending: the last band whose lower bound is reached wins
        band = ibis.ifelse(age >= int(label.rstrip("+").split("-")[0]), label, band)
    return ibis.ifelse(dob.isnull() | at.isnull(), ibis.null().cast("string"), band)
