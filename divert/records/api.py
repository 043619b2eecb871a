import datetime
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from ninja import Field, File, Form, Router, Schema, UploadedFile
from pydantic import StringConstraints

from divert.records import quarantine, runs, selectors
from divert.records.models import JusticeEvent

router = Router(tags=["records"])


class JusticeEventOut(Schema):
    id: int
    source_system: str
    kind: JusticeEvent.Kind
    occurred_on: datetime.date
    ended_on: datetime.date | None
    nibrs: str
    level: str
    filed: bool | None
    disposition: str


@router.get("/people/{int:person_id}/events", response=list[JusticeEventOut])
def justice_event_list(request, person_id: int):
    return list(selectors.justice_event_list(user=request.user, person_id=person_id))


# --- imports -------------------------------------------------------------------------------


class ImportRunOut(Schema):
    id: int
    kind: str
    source_system: str
    mapping_id: str
    mapping_version: int
    file_name: str
    file_sha256: str
    file_bytes: int
    origin: str
    status: str
    refusal: str
    started_at: datetime.datetime
    finished_at: datetime.datetime | None
    rows: int
    accepted: int
    updated: int
    unchanged: int
    rejected: int
    quarantined: int
    persons_new: int = Field(description="Justice persons the rows created.")
    persons_updated: int = Field(description="Justice persons the rows corrected.")


class RowErrorOut(Schema):
    row: int
    column: str
    message: str


class CountsOut(Schema):
    rows: int
    accepted: int
    updated: int
    unchanged: int
    rejected: int
    quarantined: int
    persons_new: int = Field(description="Justice persons the rows created (none on a dry run).")
    persons_updated: int = Field(description="Justice persons the rows corrected.")


class ImportOutcomeOut(Schema):
    run: ImportRunOut | None
    dry_run: bool
    counts: CountsOut
    refusal: str
    errors: list[RowErrorOut] = Field(
        description="The first 100 row errors; all are in the quarantine."
    )
    preview: list[dict[str, Any]] = Field(description="The first rows as mapped.")


class QuarantinedRowOut(Schema):
    id: int
    run_id: int
    kind: str
    file_name: str
    row: int
    source_key: str
    values: dict[str, str | None]
    errors: list[dict[str, str]]
    status: str
    reason: str


class RetryIn(Schema):
    values: dict[Annotated[str, StringConstraints(max_length=200)], str | None] = Field(
        max_length=200, description="Every column of the file, corrected."
    )


class DiscardIn(Schema):
    reason: str = Field(min_length=3, max_length=300)


@router.get("/imports", response=list[ImportRunOut])
def import_run_list(request):
    return list(runs.import_run_list(user=request.user)[:200])


@router.post("/imports", response=ImportOutcomeOut)
def import_create(
    request,
    kind: Form[str],
    file: File[UploadedFile],
    mapping: UploadedFile | None = File(None),  # noqa: B008
    mapping_name: Form[str] = "",
    dry_run: Form[bool] = False,
):
    """Upload an export (program manager or administrator): CSV, xlsx or Parquet, with a
    mapping file or the name of a shipped one. Refused files answer 200 with `refusal`."""
    text = runs.mapping_text_for(name=mapping_name, upload=mapping)
    outcome = runs.import_upload(
        user=request.user, kind=kind, upload=file, mapping_text=text, dry_run=dry_run
    )
    return {
        "run": outcome.run,
        "dry_run": dry_run,
        "counts": outcome.counts.__dict__,
        "refusal": outcome.refusal,
        "errors": [e.__dict__ for e in outcome.errors[:100]],
        "preview": outcome.preview,
    }


@router.get("/imports/{int:import_run_id}", response=ImportRunOut)
def import_run_get(request, import_run_id: int):
    return runs.import_run_get(user=request.user, run_id=import_run_id)


@router.get("/imports/{int:import_run_id}/quarantine", response=list[QuarantinedRowOut])
def import_run_quarantine(request, import_run_id: int):
    runs.import_run_get(user=request.user, run_id=import_run_id)
    return list(quarantine.quarantine_list(user=request.user, run_id=import_run_id, waiting=False))


@router.post("/quarantine/{int:quarantined_row_id}/retry", response=QuarantinedRowOut)
def quarantine_retry(request, quarantined_row_id: int, payload: RetryIn):
    """Check the corrected row as its run checked the file; 422 naming each column still wrong."""
    errors = quarantine.quarantine_retry(
        user=request.user, row_id=quarantined_row_id, values=payload.values
    )
    if errors:
        by_column: dict[str, list[str]] = {}
        for e in errors:
            by_column.setdefault(e.column or "values", []).append(e.message)
        raise ValidationError(by_column)
    return quarantine.quarantine_get(user=request.user, row_id=quarantined_row_id)


@router.post("/quarantine/{int:quarantined_row_id}/discard", response=QuarantinedRowOut)
def quarantine_discard(request, quarantined_row_id: int, payload: DiscardIn):
    return quarantine.quarantine_discard(
        user=request.user, row_id=quarantined_row_id, reason=payload.reason
    )
