"""Exporting a site's directory as HSDS 3.0, validated against the schema before it leaves."""

from typing import Any

from divert.access import Action, Kind, require
from divert.audit.services import audit_record
from divert.directory import hsds
from divert.directory.models import Organization, Service, ServiceAtLocation
from divert.jurisdictions.models import Jurisdiction

_MODELS = {
    "organization": Organization,
    "service": Service,
    "service_at_location": ServiceAtLocation,
}


class NotFound(Exception):
    pass


def directory_export(
    *, user: Any, jurisdiction: Jurisdiction, kind: str, hsds_id: str | None = None
) -> dict:
    """One object (`kind` organization, service or service_at_location with `hsds_id`) or
    every object of a kind as one page (`kind` ending in `_list`)."""
    if user is not None:  # None: the CLI, run by the server's operator
        require(user, Action.EXPORT, Kind.DIRECTORY)
    if kind not in hsds.KINDS:
        raise hsds.Refused(
            [{"field": "kind", "message": f"must be one of {', '.join(hsds.KINDS)}"}]
        )
    base = kind.removesuffix("_list")
    rows = _MODELS[base].objects.filter(jurisdiction=jurisdiction).order_by("hsds_id")
    if kind.endswith("_list"):
        keep = hsds.list_item_fields(base)
        items = [{k: v for k, v in row.document.items() if k in keep} for row in rows]
        document: dict = {
            "total_items": len(items),
            "total_pages": 1,
            "page_number": 1,
            "size": len(items),
            "first_page": True,
            "last_page": True,
            "empty": not items,
            "contents": items,
        }
    else:
        row = rows.filter(hsds_id=hsds_id or "").first()
        if row is None:
            raise NotFound(f"no {base} {hsds_id!r} in this directory")
        document = row.document
    problems = hsds.errors(document, kind)
    if problems:  # stored documents were valid when they came in; never send a broken one
        raise hsds.Refused(problems)
    audit_record(
        action=Action.EXPORT.value,
        kind=Kind.DIRECTORY.value,
        outcome="success",
        object_id=hsds_id or "",
        jurisdiction_id=jurisdiction.pk,
        user=user,
        detail={"kind": kind},
    )
    return document
