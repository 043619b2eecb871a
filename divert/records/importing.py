"""Importing a jail, court or police export: the one service the CLI, the API and the
program manager's page all call.

A run reads the file, checks every row, sets bad rows aside in quarantine and writes the
good ones in batches, one transaction each, keyed by (source system, source key): a rerun
of the same file, or of an overlapping extract, changes nothing, and a run killed mid-way
is completed by the next. See docs/import-mapping.md.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from django.db import transaction
from django.db.models import F as DbF
from django.utils import timezone

from divert.audit.services import audit_record
from divert.jurisdictions.clock import site_today
from divert.jurisdictions.models import Jurisdiction, StatuteMapping
from divert.people.models import PersonIdentifier
from divert.records import fields as F
from divert.records.checks import CANONICAL, RowError, check_rows
from divert.records.mapping import Mapping, MappingError, fold, mapping_from_text
from divert.records.models import ImportRun, JusticeEvent, QuarantinedRow
from divert.records.persons import store_persons
from divert.records.reading import FileRefused, TextTable, read_table
from divert.records.storing import BatchCounts, lock_source, store_batch

BATCH_ROWS = 50_000
PREVIEW_ROWS = 20
_QUERY_CHUNK = 5_000

Progress = Callable[[str, int, int], None]


@dataclass
class Counts:
    rows: int = 0
    accepted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    quarantined: int = 0
    # Justice persons the rows' person fields created or corrected (records/persons.py).
    persons_new: int = 0
    persons_updated: int = 0

    def add(self, batch: BatchCounts) -> None:
        self.accepted += batch.accepted
        self.updated += batch.updated
        self.unchanged += batch.unchanged


@dataclass
class Outcome:
    """What a run did (or, for a dry run, would do)."""

    counts: Counts
    run: ImportRun | None = None
    refusal: str = ""
    errors: list[RowError] = field(default_factory=list)
    preview: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Bad:
    """One rejected row: where it was, what it said and everything wrong with it."""

    row: int
    values: dict[str, str | None]
    errors: list[RowError]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def site_statutes(site: Jurisdiction) -> dict[str, str]:
    return {
        fold(statute): code
        for statute, code in StatuteMapping.objects.filter(jurisdiction=site).values_list(
            "statute", "nibrs"
        )
    }


def import_file(
    *,
    site: Jurisdiction,
    kind: str,
    path: Path,
    mapping_text: str,
    user: Any = None,
    origin: str = ImportRun.Origin.CLI,
    file_name: str | None = None,
    dry_run: bool = False,
    fmt: str | None = None,
    batch_rows: int = BATCH_ROWS,
    progress: Progress | None = None,
) -> Outcome:
    """Import one file of `kind` into `site` with the mapping in `mapping_text`.

    Raises MappingError for a mapping that is wrong or has no section for `kind` (nothing is
    stored). A file refused as a whole is stored as a refused run, and nothing else is written.
    """
    mapping = mapping_from_text(mapping_text)
    if kind not in mapping.kinds:
        raise MappingError(
            f"mapping {mapping.id} v{mapping.version} has no [kinds.{kind}] section "
            f"(it maps {', '.join(mapping.kinds)})"
        )
    name = file_name or path.name
    note = progress or (lambda stage, done, total: None)
    run = None
    if not dry_run:
        run = ImportRun.objects.create(
            jurisdiction=site,
            kind=kind,
            source_system=mapping.source_system,
            mapping_id=mapping.id,
            mapping_version=mapping.version,
            mapping_text=mapping_text,
            file_name=name[:255],
            file_sha256=file_sha256(path),
            file_bytes=path.stat().st_size,
            started_at=timezone.now(),
            started_by=user if getattr(user, "is_authenticated", False) else None,
            origin=origin,
        )
    counts = Counts()
    try:
        note("reading", 0, 1)
        km = mapping.kinds[kind]
        table = read_table(path, fmt=fmt, encoding=mapping.encoding, sheet=km.sheet, name=name)
        note("checking", 0, 1)
        good, bad = rows_checked(table, mapping, kind, site, name)
    except FileRefused as exc:
        return _refuse(run, str(exc), counts, user)
    counts.rows = good.num_rows + len(bad)
    counts.rejected = len(bad)
    errors = [e for b in bad for e in b.errors]
    preview = _preview(good)
    if dry_run:
        with transaction.atomic():
            _write(site, mapping, kind, good, None, None, counts, batch_rows, note)
            transaction.set_rollback(True)
        return Outcome(counts, None, "", errors, preview)
    counts.quarantined = _quarantine(site, run, kind, mapping, name, bad)
    ImportRun.objects.filter(pk=run.pk).update(
        rows=counts.rows, rejected=counts.rejected, quarantined=counts.quarantined
    )
    _write(site, mapping, kind, good, run, user, counts, batch_rows, note)
    _finish(run, counts, user)
    return Outcome(counts, run, "", errors, preview)


def _refuse(run: ImportRun | None, why: str, counts: Counts, user: Any) -> Outcome:
    if run is not None:
        run.status, run.refusal, run.finished_at = ImportRun.Status.REFUSED, why, timezone.now()
        run.save(update_fields=["status", "refusal", "finished_at"])
        audit_record(
            action="import",
            kind="import_run",
            object_id=run.pk,
            jurisdiction_id=run.jurisdiction_id,
            outcome="failure",
            user=user,
            detail={"file": run.file_name, "refusal": why[:500]},
        )
    return Outcome(counts, run, why)


def _finish(run: ImportRun, counts: Counts, user: Any) -> None:
    with transaction.atomic():
        ImportRun.objects.filter(pk=run.pk).update(
            status=ImportRun.Status.COMPLETE,
            finished_at=timezone.now(),
            persons_new=counts.persons_new,
            persons_updated=counts.persons_updated,
        )
        # Runs of the same file that were killed mid-way: this one completed their work.
        ImportRun.objects.filter(
            jurisdiction_id=run.jurisdiction_id,
            source_system=run.source_system,
            kind=run.kind,
            file_sha256=run.file_sha256,
            status=ImportRun.Status.RUNNING,
            pk__lt=run.pk,
        ).update(status=ImportRun.Status.INTERRUPTED)
        audit_record(
            action="import",
            kind="import_run",
            object_id=run.pk,
            jurisdiction_id=run.jurisdiction_id,
            outcome="success",
            user=user,
            detail={
                "file": run.file_name,
                "sha256": run.file_sha256,
                "mapping": f"{run.mapping_id} v{run.mapping_version}",
                **counts.__dict__,
            },
        )
    run.refresh_from_db()


# --- checking ----------------------------------------------------------------------------


def rows_checked(
    table: TextTable, mapping: Mapping, kind: str, site: Jurisdiction, name: str
) -> tuple[pa.Table, list[Bad]]:
    """Every check, the parents and the people: the rows ready to store and the bad ones."""
    checked = check_rows(
        table,
        mapping,
        kind,
        today=site_today(site),
        file=name,
        statutes=site_statutes(site) if "statute" in mapping.kinds[kind].mapped() else None,
    )
    good, errors = checked.good, list(checked.errors)
    errors += [RowError(p.row, p.column, p.message) for p in table.problems]
    last = max([*table.rows[-1:].tolist(), *(p.row for p in table.problems)], default=0)
    if not table.ends_cleanly and good.num_rows and good["row"][-1].as_py() == last:
        errors.append(
            RowError(
                int(last),
                "",
                "the file ends without a line break, so this last row may be cut short; "
                "check it against the source and retry it",
            )
        )
    good = _without_rows(good, {e.row for e in errors})
    km = mapping.kinds[kind]
    good = good.append_column("kind", pa.repeat(pa.scalar(kind), good.num_rows))
    if km.parent:
        good, orphans = _inherit(good, site, mapping.source_system, km.parent, km)
        errors += orphans
    good = good.append_column(
        "person_id", _people(good["source_person_id"], site, mapping.source_system)
    )
    raw = {p.row: dict(p.raw) for p in table.problems}
    by_row: dict[int, list[RowError]] = {}
    for e in errors:
        by_row.setdefault(e.row, []).append(e)
    rows = sorted(by_row)
    values = _values_of(table, [r for r in rows if r not in raw])
    bad = [Bad(row, raw.get(row) or values.get(row, {}), by_row[row]) for row in rows]
    return good, bad


def as_frame(good: pa.Table) -> pd.DataFrame:
    """Checked rows as pandas, dates as datetime64 at midnight, for the database writers."""
    return good.to_pandas(date_as_object=False)


def _without_rows(good: pa.Table, rows: set[int]) -> pa.Table:
    if not rows:
        return good
    drop = pc.is_in(good["row"], value_set=pa.array(sorted(rows), type=pa.int64()))
    return good.filter(pc.invert(drop))


def _values_of(table: TextTable, rows: list[int]) -> dict[int, dict[str, str | None]]:
    """The file's cells of each of `rows`, by row."""
    at = np.searchsorted(table.rows, rows)
    found = [
        (row, int(i))
        for row, i in zip(rows, at, strict=True)
        if i < len(table.rows) and table.rows[i] == row
    ]
    if not found:
        return {}
    picked = table.data.take(pa.array([i for _, i in found], type=pa.int64())).to_pylist()
    return {row: cells for (row, _), cells in zip(found, picked, strict=True)}


def _chunks(items: list, size: int = _QUERY_CHUNK) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _inherit(
    good: pa.Table, site: Jurisdiction, source: str, parent: str, km
) -> tuple[pa.Table, list[RowError]]:
    """Fill the person, date and offense a row lacks from its parent record."""
    schema, good = good.schema, as_frame(good)
    keyed = good["parent_key"].notna()
    parent_ids = (F.KEY_PREFIX[parent] + "-" + good.loc[keyed, "parent_key"]).tolist()
    found: dict[str, tuple] = {}
    for chunk in _chunks(sorted(set(parent_ids))):
        for row in JusticeEvent.objects.filter(
            jurisdiction=site, source_system=source, source_event_id__in=chunk
        ).values_list("source_event_id", "source_person_id", "occurred_on", "nibrs", "level"):
            found[row[0]] = row[1:]
    parent_id = F.KEY_PREFIX[parent] + "-" + good["parent_key"].fillna("")
    parents = pd.DataFrame(
        [found.get(p, (None, None, None, None)) for p in parent_id],
        columns=list(F.INHERITED),
        index=good.index,
    )
    parents["occurred_on"] = pd.to_datetime(parents["occurred_on"])
    for name in F.INHERITED:
        blank = good[name].isna() | (good[name] == "")
        good[name] = good[name].where(~blank, parents[name])
    errors = []
    column = km.column_for("parent_key")
    missing = keyed & ~parent_id.isin(found)
    for row, key in zip(good.loc[missing, "row"], good.loc[missing, "parent_key"], strict=True):
        errors.append(
            RowError(int(row), column, f"{parent} {key!r} has not been imported; import it first")
        )
    for name in ("source_person_id", "occurred_on"):
        empty = good[name].isna() & ~missing
        where = km.column_for(name) or column
        for row in good.loc[empty, "row"]:
            errors.append(RowError(int(row), where, f"required, and empty ({name})"))
    drop = {e.row for e in errors}
    kept = good[~good.row.isin(drop)]
    return pa.Table.from_pandas(kept, schema=schema, preserve_index=False), errors


def _people(ids: pa.ChunkedArray, site: Jurisdiction, source: str) -> pa.Array:
    """The divert person each source person id names, where the site recorded that
    identifier and it names exactly one person."""
    pairs = PersonIdentifier.objects.filter(person__jurisdiction=site, system=source).values_list(
        "value", "person_id"
    )
    owners: dict[str, set[int]] = {}
    for value, person in pairs:
        owners.setdefault(value, set()).add(person)
    single = {v: next(iter(p)) for v, p in owners.items() if len(p) == 1}
    if not single:
        return pa.nulls(len(ids), type=pa.int64())
    values = pa.array(list(single), type=pa.string())
    persons = pa.array(list(single.values()), type=pa.int64())
    return pc.take(persons, pc.index_in(ids, value_set=values))


def _preview(good: pa.Table) -> list[dict[str, Any]]:
    out = []
    for rec in good.slice(0, PREVIEW_ROWS).select(list(CANONICAL)).to_pylist():
        out.append({k: _plain(v) for k, v in rec.items() if k != "parent_key" or v})
    return out


def _plain(v: Any) -> Any:
    if isinstance(v, datetime.date):
        return v.isoformat()
    return v


# --- writing -----------------------------------------------------------------------------


def _write(
    site: Jurisdiction,
    mapping: Mapping,
    kind: str,
    good: pa.Table,
    run: ImportRun | None,
    user: Any,
    counts: Counts,
    batch_rows: int,
    note: Progress,
) -> None:
    total = good.num_rows
    note("writing", 0, total)
    user_id = user.pk if getattr(user, "is_authenticated", False) else None
    for start in range(0, total, batch_rows):
        batch = as_frame(good.slice(start, batch_rows))
        with transaction.atomic():
            lock_source(site.pk, mapping.source_system)
            done = store_batch(
                batch,
                jurisdiction_id=site.pk,
                source_system=mapping.source_system,
                run_id=run.pk if run else None,
                user_id=user_id,
            )
            persons = store_persons(
                batch,
                jurisdiction_id=site.pk,
                source_system=mapping.source_system,
                run_id=run.pk if run else None,
                user_id=user_id,
            )
            if run is not None:
                # In the batch's own transaction: the counts always match what was written.
                ImportRun.objects.filter(pk=run.pk).update(
                    accepted=DbF("accepted") + done.accepted,
                    updated=DbF("updated") + done.updated,
                    unchanged=DbF("unchanged") + done.unchanged,
                )
        counts.add(done)
        counts.persons_new += persons.new
        counts.persons_updated += persons.updated
        note("writing", min(start + batch_rows, total), total)


def _fingerprint(site: Jurisdiction, source: str, kind: str, values: dict) -> str:
    text = json.dumps([site.pk, source, kind, values], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _quarantine(
    site: Jurisdiction, run: ImportRun, kind: str, mapping: Mapping, name: str, bad: list[Bad]
) -> int:
    """Set rejected rows aside; a row already waiting in quarantine is not added again."""
    if not bad:
        return 0
    key_column = mapping.kinds[kind].column_for("source_key")
    rows = []
    for b in bad:
        rows.append(
            QuarantinedRow(
                jurisdiction=site,
                run=run,
                kind=kind,
                file_name=name[:255],
                row=b.row,
                source_key=str(b.values.get(key_column) or "")[:120],
                values=b.values,
                errors=[{"column": e.column, "message": e.message} for e in b.errors],
                fingerprint=_fingerprint(site, mapping.source_system, kind, b.values),
            )
        )
    added = 0
    with transaction.atomic():
        waiting = set()
        for chunk in _chunks([r.fingerprint for r in rows]):
            waiting |= set(
                QuarantinedRow.objects.filter(
                    jurisdiction=site, status=QuarantinedRow.Status.PENDING, fingerprint__in=chunk
                ).values_list("fingerprint", flat=True)
            )
        fresh, seen = [], set(waiting)
        for r in rows:
            if r.fingerprint not in seen:
                seen.add(r.fingerprint)
                fresh.append(r)
        QuarantinedRow.objects.bulk_create(fresh, batch_size=2000)
        added = len(fresh)
    return added
