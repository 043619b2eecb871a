"""The program manager's imports pages: history and upload, a run and its quarantine, and
one quarantined row to fix and retry or discard."""

import csv

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from divert.access import Action, Kind, can
from divert.errors import field_errors
from divert.records import quarantine, runs
from divert.records.models import ImportRun
from divert.records.pages.forms import DiscardForm, UploadForm, row_form, row_values


def _apply(form, exc: ValidationError) -> None:
    for error in field_errors(exc):
        field = error["field"] if error["field"] in form.fields else None
        form.add_error(field, error["message"])


@login_required
def imports(request: HttpRequest) -> HttpResponse:
    history = runs.import_run_list(user=request.user)[:100]
    form = UploadForm(request.POST or None, request.FILES or None)
    outcome, code = None, 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        dry_run = request.POST.get("action") != "import"
        try:
            text = runs.mapping_text_for(name=data["mapping_name"], upload=data["mapping_file"])
            outcome = runs.import_upload(
                user=request.user,
                kind=data["kind"],
                upload=data["file"],
                mapping_text=text,
                dry_run=dry_run,
                origin=ImportRun.Origin.PAGE,
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            if outcome.run is not None:
                return redirect("import-run", import_run_id=outcome.run.pk)
    if form.errors:
        code = 422
    columns = _columns(outcome.preview) if outcome else []
    context = {
        "history": history,
        "form": form,
        "outcome": outcome,
        "preview_columns": columns,
        "preview_rows": [[rec.get(c) for c in columns] for rec in outcome.preview]
        if outcome
        else [],
        "can_upload": can(request.user, Action.CREATE, Kind.IMPORT_RUN),
    }
    return render(request, "records/imports.html", context, status=code)


def _columns(preview: list[dict]) -> list[str]:
    if not preview:
        return []
    return [k for k in preview[0] if any(r.get(k) is not None for r in preview)]


@login_required
def import_run(request: HttpRequest, import_run_id: int) -> HttpResponse:
    run = runs.import_run_get(user=request.user, run_id=import_run_id)
    rows = []
    if can(request.user, Action.VIEW, Kind.QUARANTINE):
        rows = list(quarantine.quarantine_list(user=request.user, run_id=run.pk, waiting=False))
    return render(request, "records/run.html", {"run": run, "rows": rows})


@login_required
def quarantined_row(request: HttpRequest, quarantined_row_id: int) -> HttpResponse:
    row = quarantine.quarantine_get(user=request.user, row_id=quarantined_row_id)
    columns = quarantine.quarantine_columns(row)
    action = request.POST.get("action") if request.method == "POST" else None
    fix = row_form(columns, request.POST if action == "retry" else None, _initial(row, columns))
    discard = DiscardForm(request.POST if action == "discard" else None)
    errors, code = [], 200
    try:
        if action == "retry" and fix.is_valid():
            errors = quarantine.quarantine_retry(
                user=request.user, row_id=row.pk, values=row_values(fix, columns)
            )
            if not errors:
                return redirect("import-run", import_run_id=row.run_id)
        elif action == "discard" and discard.is_valid():
            quarantine.quarantine_discard(
                user=request.user, row_id=row.pk, reason=discard.cleaned_data["reason"]
            )
            return redirect("import-run", import_run_id=row.run_id)
    except ValidationError as exc:
        _apply(discard if action == "discard" else fix, exc)
    if errors or fix.errors or discard.errors:
        code = 422
    context = {
        "row": row,
        "fix": fix,
        "discard": discard,
        "errors": errors,
        "waiting": row.status == row.Status.PENDING,
    }
    return render(request, "records/quarantined_row.html", context, status=code)


def _initial(row, columns: list[str]) -> dict:
    """The row's values; a row the reader could not split is split here as a starting point."""
    if set(row.values) == {""}:
        fields = next(csv.reader([row.values[""] or ""]), [])
        return dict(zip(columns, fields, strict=False))
    return row.values
