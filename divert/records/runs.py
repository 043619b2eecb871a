"""Import runs for staff: uploading a file through the API or the page, and the history.

The command line calls `importing.import_file` directly (it acts for the server's operator);
these add the access policy, the upload size limit and the user's own site.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from divert.access import Action, Kind, require, visible
from divert.paths import BASE_DIR
from divert.records.fields import KINDS
from divert.records.importing import Outcome, import_file
from divert.records.mapping import MappingError
from divert.records.models import ImportRun
from divert.records.reading import FORMATS

SHIPPED_MAPPINGS = BASE_DIR / "mappings"


def shipped_mappings() -> dict[str, Path]:
    """The mapping files that come with divert (mappings/*.toml), by file name."""
    return {p.name: p for p in sorted(SHIPPED_MAPPINGS.glob("*.toml"))}


def max_upload_bytes() -> int:
    return settings.DIVERT_IMPORT_MAX_MB * 1024 * 1024


def import_run_list(*, user: Any) -> QuerySet[ImportRun]:
    require(user, Action.VIEW, Kind.IMPORT_RUN)
    return visible(user, Kind.IMPORT_RUN, ImportRun.objects.all()).select_related("started_by")


def import_run_get(*, user: Any, run_id: int) -> ImportRun:
    run = get_object_or_404(ImportRun, pk=run_id)
    require(user, Action.VIEW, Kind.IMPORT_RUN, run)
    return run


def import_upload(
    *,
    user: Any,
    kind: str,
    upload: Any,
    mapping_text: str,
    dry_run: bool = False,
    origin: str = ImportRun.Origin.API,
) -> Outcome:
    """Import an uploaded file into the user's own site.

    `upload` is a Django UploadedFile. Raises ValidationError naming the field for a kind,
    format, size or mapping that is wrong (nothing is stored then).
    """
    require(user, Action.CREATE, Kind.IMPORT_RUN)
    if kind not in KINDS:
        raise ValidationError({"kind": f"must be one of {', '.join(KINDS)}"})
    name = Path(str(upload.name or "upload")).name[:255]
    suffix = Path(name).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise ValidationError({"file": f"a .csv, .xlsx or .parquet file, not {name!r}"})
    if upload.size > max_upload_bytes():
        raise ValidationError(
            {"file": f"larger than {settings.DIVERT_IMPORT_MAX_MB} MB; use `divert import`"}
        )
    fd, tmp = tempfile.mkstemp(suffix=f".{suffix}", prefix="divert-upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        try:
            return import_file(
                site=user.jurisdiction,
                kind=kind,
                path=Path(tmp),
                mapping_text=mapping_text,
                user=user,
                origin=origin,
                file_name=name,
                dry_run=dry_run,
            )
        except MappingError as exc:
            raise ValidationError({"mapping": str(exc)}) from None
    finally:
        os.unlink(tmp)


def mapping_text_for(*, name: str | None, upload: Any) -> str:
    """The mapping text from an uploaded file, or from a shipped mapping chosen by name."""
    if upload is not None:
        try:
            return upload.read(1_000_000).decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationError({"mapping": "a mapping file is UTF-8 TOML text"}) from None
    shipped = shipped_mappings()
    if not name or name not in shipped:
        raise ValidationError(
            {"mapping": f"upload a mapping file or choose one of {', '.join(shipped)}"}
        )
    return shipped[name].read_text(encoding="utf-8")
