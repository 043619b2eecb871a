"""The services directory in the API: search, one service, HSDS import and export."""

import datetime

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status

from divert.directory import availability, exports, imports, selectors

router = Router(tags=["directory"])


class ServiceOut(Schema):
    id: int
    hsds_id: str
    name: str
    description: str
    status: str
    organization: str
    eligibility: str
    minimum_age: int | None
    maximum_age: int | None
    capacity: int | None
    accepting_new: bool | None
    waitlist: int | None
    capacity_updated_at: datetime.datetime | None
    needs: list[str]
    languages: list[str]
    open_now: bool

    @staticmethod
    def resolve_organization(service) -> str:
        return service.organization.name if service.organization_id else ""

    @staticmethod
    def resolve_eligibility(service) -> str:
        return service.eligibility_description

    @staticmethod
    def resolve_needs(service) -> list[str]:
        return [c.name for c in service.categories.all()]

    @staticmethod
    def resolve_languages(service) -> list[str]:
        return [lang.name or lang.code for lang in service.languages.all()]


class SearchIn(Schema):
    need: str = ""
    area: str = ""
    text: str = ""
    open_now: bool = False


class CapacityIn(Schema):
    capacity: int | None = Field(None, ge=0, le=availability.MOST["capacity"])
    accepting_new: bool | None = None
    waitlist: int | None = Field(None, ge=0, le=availability.MOST["waitlist"])


class CapacityOut(Schema):
    id: int
    name: str
    organization: str
    capacity: int | None
    accepting_new: bool | None
    waitlist: int | None
    capacity_updated_at: datetime.datetime | None

    @staticmethod
    def resolve_organization(service) -> str:
        return service.organization.name if service.organization_id else ""


class ImportOut(Schema):
    kind: str
    counts: dict[str, int]


@router.get("/services", response=list[ServiceOut], summary="Search the services directory")
def service_list(request: HttpRequest, filters: Query[SearchIn]):
    return selectors.service_search(user=request.user, **filters.dict())


@router.get("/services/{int:service_id}", response=ServiceOut)
def service_get(request: HttpRequest, service_id: int):
    return selectors.service_get(user=request.user, service_id=service_id)


@router.get(
    "/capacity",
    response=list[CapacityOut],
    summary="The services whose places and waitlist you keep current",
)
def capacity_list(request: HttpRequest):
    return list(availability.service_capacity_list(user=request.user)[:500])


@router.put(
    "/services/{int:service_id}/capacity",
    response=CapacityOut,
    summary="Say a service's open places, whether it takes new clients and its waitlist",
    description="Each value may be null (not known). The same values again change nothing.",
)
def capacity_set(request: HttpRequest, service_id: int, payload: CapacityIn):
    service = availability.service_capacity_get(user=request.user, service_id=service_id)
    return availability.service_capacity_set(user=request.user, service=service, **payload.dict())


@router.post(
    "/hsds",
    response={201: ImportOut},
    summary="Import an HSDS 3.0 JSON document (the request body); refused whole if invalid",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"type": "object"}}},
        }
    },
)
def hsds_import(request: HttpRequest, kind: str | None = None):
    try:
        done = imports.directory_import(
            user=request.user, jurisdiction=request.user.jurisdiction, raw=request.body, kind=kind
        )
    except imports.Refused as exc:
        raise _invalid(exc) from None
    return Status(201, {"kind": done.kind, "counts": done.counts})


@router.get("/hsds", response=dict, summary="Export the directory as HSDS 3.0 JSON")
def hsds_export(request: HttpRequest, kind: str = "service_list", id: str | None = None):  # noqa: A002
    try:
        return exports.directory_export(
            user=request.user, jurisdiction=request.user.jurisdiction, kind=kind, hsds_id=id
        )
    except exports.NotFound:
        raise Http404 from None
    except imports.Refused as exc:
        raise _invalid(exc) from None


def _invalid(exc: imports.Refused) -> ValidationError:
    """The API's one error shape, each error's field being its JSON path."""
    by_path: dict[str, list[str]] = {}
    for error in exc.errors:
        by_path.setdefault(error["field"], []).append(error["message"])
    return ValidationError(by_path)
