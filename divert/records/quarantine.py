"""The quarantine: rows an import set aside, fixed and retried or discarded with a reason.

A retry checks the corrected row exactly as its run checked the file (the run keeps its
mapping text), so a row can only leave quarantine as a record the file could have held.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from divert.access import Action, Kind, require, visible
from divert.records.checks import RowError
from divert.records.importing import as_frame, rows_checked
from divert.records.mapping import mapping_from_text
from divert.records.models import QuarantinedRow
from divert.records.persons import store_persons
from divert.records.reading import text_table
from divert.records.storing import lock_source, store_batch

MAX_VALUE = 1000


def quarantine_list(*, user: Any, run_id: int | None = None, waiting: bool = True) -> QuerySet:
    require(user, Action.VIEW, Kind.QUARANTINE)
    rows = visible(user, Kind.QUARANTINE, QuarantinedRow.objects.all()).select_related("run")
    if run_id is not None:
        rows = rows.filter(run_id=run_id)
    if waiting:
        rows = rows.filter(status=QuarantinedRow.Status.PENDING)
    return rows.order_by("run_id", "row", "pk")


def quarantine_get(*, user: Any, row_id: int, action: Action = Action.VIEW) -> QuarantinedRow:
    row = get_object_or_404(QuarantinedRow.objects.select_related("run"), pk=row_id)
    require(user, action, Kind.QUARANTINE, row)
    return row


def quarantine_columns(row: QuarantinedRow) -> list[str]:
    """The file's columns as the run's mapping names them (a ragged row kept only its text)."""
    km = mapping_from_text(row.run.mapping_text).kinds[row.kind]
    return [*km.columns, *km.unused_columns]


def _waiting(row: QuarantinedRow) -> None:
    if row.status != QuarantinedRow.Status.PENDING:
        raise ValidationError({"status": f"this row is already {row.get_status_display().lower()}"})


def quarantine_retry(*, user: Any, row_id: int, values: dict[str, Any]) -> list[RowError]:
    """Check the corrected row; if it passes, store it and mark the row fixed.

    Returns the errors found (empty when the row was imported). Nothing is stored otherwise.
    """
    with transaction.atomic():
        row = quarantine_get(user=user, row_id=row_id, action=Action.CHANGE)
        row = QuarantinedRow.objects.select_for_update().select_related("run").get(pk=row.pk)
        _waiting(row)
        columns = quarantine_columns(row)
        unknown = sorted(set(values) - set(columns))
        if unknown:
            raise ValidationError({"values": f"not a column of this file: {', '.join(unknown)}"})
        fixed = {c: _text(values.get(c), c) for c in columns}
        run = row.run
        mapping = mapping_from_text(run.mapping_text)
        table = text_table(columns, [[fixed[c] for c in columns]], [row.row])
        good, bad = rows_checked(table, mapping, row.kind, run.jurisdiction, row.file_name)
        if bad:
            return [e for b in bad for e in b.errors]
        good = as_frame(good)
        lock_source(run.jurisdiction_id, mapping.source_system)
        store_batch(
            good,
            jurisdiction_id=run.jurisdiction_id,
            source_system=mapping.source_system,
            run_id=run.pk,
            user_id=user.pk,
        )
        store_persons(
            good,
            jurisdiction_id=run.jurisdiction_id,
            source_system=mapping.source_system,
            run_id=run.pk,
            user_id=user.pk,
        )
        row.values = fixed
        row.status = QuarantinedRow.Status.FIXED
        row.resolved_at, row.resolved_by = timezone.now(), user
        row._change_reason = "fixed and imported"
        row.save()
    return []


def quarantine_discard(*, user: Any, row_id: int, reason: str) -> QuarantinedRow:
    """Set a row aside for good, saying why; its content stays in the quarantine's history."""
    reason = " ".join((reason or "").split())
    if len(reason) < 3:
        raise ValidationError({"reason": "say why the row is discarded"})
    with transaction.atomic():
        row = quarantine_get(user=user, row_id=row_id, action=Action.CHANGE)
        row = QuarantinedRow.objects.select_for_update().get(pk=row.pk)
        _waiting(row)
        row.status = QuarantinedRow.Status.DISCARDED
        row.reason = reason[:300]
        row.resolved_at, row.resolved_by = timezone.now(), user
        row.save()
    return row


def _text(value: Any, column: str) -> str | None:
    if value is None:
        return None
    text = str(value)
    if len(text) > MAX_VALUE:
        raise ValidationError({column: f"longer than {MAX_VALUE} characters"})
    return text
