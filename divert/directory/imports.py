"""Importing an HSDS 3.0 document into a site's directory: all of it, or none of it."""

import datetime
import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from divert.access import Action, Kind, require
from divert.audit.services import audit_record
from divert.directory import hsds
from divert.directory.hours import valid_offset
from divert.directory.models import (
    Category,
    Form,
    Language,
    Location,
    Organization,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
)
from divert.jurisdictions.models import Jurisdiction
from divert.jurisdictions.models import Organization as SiteOrganization

Refused = hsds.Refused

# Site organizations a directory entry may be: never the police or the prosecutor's office.
_PARTNER_KINDS = (SiteOrganization.Kind.PROVIDER, SiteOrganization.Kind.COMMUNITY)


@dataclass
class Imported:
    kind: str
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, name: str) -> None:
        self.counts[name] = self.counts.get(name, 0) + 1


def directory_import(
    *, user: Any, jurisdiction: Jurisdiction, raw: bytes | str, kind: str | None = None
) -> Imported:
    """Validate `raw` against the HSDS schema and store every object in it, or refuse it whole
    (Refused, listing each error's JSON path) and store nothing."""
    if user is not None:  # None: the CLI, run by the server's operator
        require(user, Action.CREATE, Kind.DIRECTORY)
    data = raw.encode() if isinstance(raw, str) else raw
    try:
        kind, document = hsds.read(data, kind)
    except Refused as exc:
        audit_record(
            action="create",
            kind=Kind.DIRECTORY.value,
            outcome="failure",
            jurisdiction_id=jurisdiction.pk,
            user=user,
            detail={"errors": len(exc.errors), "sha256": hashlib.sha256(data).hexdigest()},
        )
        raise
    done = Imported(kind=kind)
    base = kind.removesuffix("_list")
    with transaction.atomic():
        if kind.endswith("_list"):
            for n, item in enumerate(document["contents"]):
                _IMPORTERS[base](jurisdiction, item, Form.LIST, done, f"$.contents[{n}]")
        else:
            _IMPORTERS[base](jurisdiction, document, Form.FULL, done, "$")
        audit_record(
            action="create",
            kind=Kind.DIRECTORY.value,
            outcome="success",
            jurisdiction_id=jurisdiction.pk,
            user=user,
            detail={"kind": kind, **done.counts, "sha256": hashlib.sha256(data).hexdigest()},
        )
    return done


def _store(model, site, doc: dict, form: int, columns: dict) -> tuple[Any, bool]:
    """Insert or update one object; a thinner form never replaces a fuller one.
    Returns the row and whether this document is now the one stored."""
    row = model.objects.filter(jurisdiction=site, hsds_id=doc["id"]).first()
    if row is not None and form < row.form:
        return row, False
    row = row or model(jurisdiction=site, hsds_id=doc["id"])
    row.document, row.form = doc, form
    for name, value in columns.items():
        setattr(row, name, value)
    row.save()
    return row, True


def _text(doc: dict, key: str, limit: int | None = None) -> str:
    value = doc.get(key)
    text = value if isinstance(value, str) else ""
    return text[:limit] if limit else text


def _partner(site, name: str, path: str) -> SiteOrganization:
    found = SiteOrganization.objects.filter(jurisdiction=site, name=name[:200]).first()
    if found is None:
        return SiteOrganization.objects.create(
            jurisdiction=site, name=name[:200], kind=SiteOrganization.Kind.PROVIDER
        )
    if found.kind not in _PARTNER_KINDS:
        raise Refused(
            [
                {
                    "field": f"{path}.name",
                    "message": f"{name!r} is this site's {found.get_kind_display().lower()}, "
                    "not a service provider",
                }
            ]
        )
    return found


def _organization(site, doc: dict, form: int, done: Imported, path: str) -> Organization:
    existing = Organization.objects.filter(jurisdiction=site, hsds_id=doc["id"]).first()
    partner = existing.partner if existing else _partner(site, doc["name"], path)
    row, _ = _store(
        Organization,
        site,
        doc,
        form,
        {
            "name": doc["name"][:300],
            "description": _text(doc, "description"),
            "website": _text(doc, "website", 500),
            "email": _text(doc, "email", 300),
            "partner": partner,
        },
    )
    done.add("organizations")
    for n, location in enumerate(doc.get("locations") or []):
        _location(site, location, Form.NESTED, done, f"{path}.locations[{n}]")
    for n, service in enumerate(doc.get("services") or []):
        _service(site, service, Form.NESTED, done, f"{path}.services[{n}]", organization=row)
    return row


def _location(site, doc: dict, form: int, done: Imported, path: str) -> Location:
    address = (doc.get("addresses") or [{}])[0]
    street = ", ".join(
        part for part in (address.get("address_1"), address.get("address_2")) if part
    )
    row, _ = _store(
        Location,
        site,
        doc,
        form,
        {
            "name": _text(doc, "name", 300),
            "address": street[:500],
            "city": _text(address, "city", 200),
            "latitude": doc.get("latitude"),
            "longitude": doc.get("longitude"),
        },
    )
    done.add("locations")
    return row


def _service(site, doc: dict, form: int, done: Imported, path: str, organization=None) -> Service:
    if isinstance(doc.get("organization"), dict):
        organization = _organization(site, doc["organization"], Form.NESTED, done, path)
    elif organization is None and doc.get("organization_id"):
        organization = Organization.objects.filter(
            jurisdiction=site, hsds_id=doc["organization_id"]
        ).first()
        if organization is None:
            raise Refused(
                [
                    {
                        "field": f"{path}.organization_id",
                        "message": "names no organization in this directory",
                    }
                ]
            )
    columns = {
        "name": doc["name"][:300],
        "description": _text(doc, "description"),
        "status": _text(doc, "status", 30),
        "eligibility_description": _text(doc, "eligibility_description"),
        "minimum_age": _age(doc.get("minimum_age")),
        "maximum_age": _age(doc.get("maximum_age")),
    }
    row, stored = _store(Service, site, doc, form, columns)
    if organization is not None and row.organization_id is None:
        row.organization = organization
        row.save(update_fields=["organization"])
    done.add("services")
    if stored:
        _service_details(site, row, doc)
    _schedules(site, row, doc.get("schedules") or [], f"{path}.schedules")
    for n, at in enumerate(doc.get("service_at_locations") or []):
        _service_at_location(
            site, at, Form.NESTED, done, f"{path}.service_at_locations[{n}]", service=row
        )
    return row


def _age(value: Any) -> int | None:
    return int(value) if isinstance(value, int | float) and 0 <= value < 200 else None


def _service_details(site, service: Service, doc: dict) -> None:
    """The service's languages, needs and areas, as its stored document says."""
    service.languages.all().delete()
    service.categories.all().delete()
    service.areas.all().delete()
    Language.objects.bulk_create(
        Language(
            jurisdiction=site,
            service=service,
            name=_text(lang, "name", 200),
            code=_text(lang, "code", 20),
        )
        for lang in doc.get("languages") or []
    )
    terms = [a.get("taxonomy_term") for a in doc.get("attributes") or []]
    Category.objects.bulk_create(
        Category(
            jurisdiction=site,
            service=service,
            taxonomy=_text(term, "taxonomy", 200),
            code=_text(term, "code", 200),
            name=(_text(term, "name") or _text(term, "code"))[:300],
        )
        for term in terms
        if isinstance(term, dict) and (term.get("name") or term.get("code"))
    )
    ServiceArea.objects.bulk_create(
        ServiceArea(jurisdiction=site, service=service, name=_text(area, "name", 500))
        for area in doc.get("service_areas") or []
        if area.get("name")
    )


def _time(value: Any) -> datetime.time | None:
    try:
        return datetime.time.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _day(value: Any) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _hours_offset(n: int, doc: dict, path: str) -> tuple[Any, Any, float | None]:
    """Opening and closing times as the schedule's clock shows them, and that clock's UTC
    offset: the `timezone` field, or the offset the times carry ("09:00-05:00", "17:00Z"),
    as HSDS advises. Times that disagree with each other or with `timezone` are refused."""
    offset = doc.get("timezone")
    if offset is not None and not valid_offset(offset):
        raise Refused(
            [
                {
                    "field": f"{path}[{n}].timezone",
                    "message": "is not a UTC offset in hours between -12 and 14 (in quarter hours)",
                }
            ]
        )
    times = {name: _time(doc.get(name)) for name in ("opens_at", "closes_at")}
    for name, value in times.items():
        if value is None or value.tzinfo is None:
            continue
        carried = value.utcoffset().total_seconds() / 3600
        if not valid_offset(carried):
            raise Refused(
                [{"field": f"{path}[{n}].{name}", "message": "carries an impossible UTC offset"}]
            )
        if offset is None:
            offset = carried
        elif carried != offset:
            raise Refused(
                [
                    {
                        "field": f"{path}[{n}].{name}",
                        "message": f"carries UTC offset {carried:g}, but the schedule keeps "
                        f"{offset:g}",
                    }
                ]
            )
        times[name] = value.replace(tzinfo=None)
    return times["opens_at"], times["closes_at"], offset


def _schedules(site, service: Service, schedules: list[dict], path: str) -> None:
    for n, doc in enumerate(schedules):
        opens_at, closes_at, offset = _hours_offset(n, doc, path)
        Schedule.objects.update_or_create(
            jurisdiction=site,
            service=service,
            hsds_id=doc["id"],
            defaults={
                "freq": _text(doc, "freq", 10),
                "byday": _text(doc, "byday", 40),
                "opens_at": opens_at,
                "closes_at": closes_at,
                "valid_from": _day(doc.get("valid_from")),
                "valid_to": _day(doc.get("valid_to")),
                "utc_offset": None if offset is None else float(offset),
                "description": _text(doc, "description"),
            },
        )


def _service_at_location(
    site, doc: dict, form: int, done: Imported, path: str, service=None
) -> ServiceAtLocation:
    if isinstance(doc.get("service"), dict):
        service = _service(site, doc["service"], Form.NESTED, done, f"{path}.service")
    elif service is None:
        service = Service.objects.filter(jurisdiction=site, hsds_id=doc.get("service_id")).first()
    if service is None:
        raise Refused(
            [{"field": f"{path}.service_id", "message": "names no service in this directory"}]
        )
    location = None
    if isinstance(doc.get("location"), dict):
        location = _location(site, doc["location"], Form.NESTED, done, f"{path}.location")
    elif doc.get("location_id"):
        location = Location.objects.filter(jurisdiction=site, hsds_id=doc["location_id"]).first()
    row, _ = _store(ServiceAtLocation, site, doc, form, {"service": service, "location": location})
    _schedules(site, service, doc.get("schedules") or [], f"{path}.schedules")
    done.add("service_at_locations")
    return row


_IMPORTERS = {
    "organization": _organization,
    "service": _service,
    "service_at_location": _service_at_location,
}
