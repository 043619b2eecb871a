"""The inbox, the caseload, the team and reassignment in the API: the pages' services and checks."""

import datetime

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from ninja import Field, Query, Router, Schema

from divert.casework import lifecycle
from divert.casework.caseload import CaseloadFilter, caseload_list
from divert.casework.caseload_export import caseload_csv_write
from divert.casework.inbox import inbox_get
from divert.jurisdictions.clock import local_date

router = Router(tags=["inbox and caseload"])


class HandoffOut(Schema):
    referral_id: int
    enrollment_id: int | None
    person: str
    pathway: str
    referred_at: datetime.datetime
    handed_off_at: datetime.datetime | None
    handoff_due_at: datetime.datetime
    minutes: int
    late: bool
    intake_due_on: datetime.date | None
    intake_days_left: int | None
    intake_done: bool


class AlertOut(Schema):
    kind: str
    label: str
    person: str
    enrollment_id: int
    detail: str
    on: datetime.date


class InboxTaskOut(Schema):
    id: int
    title: str
    due_on: datetime.date
    enrollment_id: int | None


class InboxActionOut(Schema):
    id: int
    description: str
    due_on: datetime.date
    meeting_id: int
    enrollment_id: int

    @staticmethod
    def resolve_meeting_id(action) -> int:
        return action.item.meeting_id

    @staticmethod
    def resolve_enrollment_id(action) -> int:
        return action.item.enrollment_id


class WaitingOut(Schema):
    enrollment_id: int = Field(alias="pk")
    person: str
    status: str
    referred_on: datetime.date
    intake_due_on: datetime.date | None

    @staticmethod
    def resolve_person(enrollment) -> str:
        return str(enrollment.person)


class InboxOut(Schema):
    handoffs: list[HandoffOut]
    alerts: list[AlertOut]
    tasks: list[InboxTaskOut]
    action_items: list[InboxActionOut]
    waiting: list[WaitingOut]


@router.get("/inbox", response=InboxOut, summary="New hand-offs, alerts, tasks due, intakes to do")
def inbox(request):
    return inbox_get(user=request.user)


class CaseloadQuery(Schema):
    name: str = Field("", max_length=100)
    status: str = Field("", max_length=20)
    no_contact_days: int | None = Field(None, ge=0, le=3650)
    due_within_days: int | None = Field(None, ge=0, le=3650)
    case_manager_id: int | None = None
    mine: bool = False
    include_exited: bool = False
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(25, ge=1, le=200)


class CaseloadRowOut(Schema):
    enrollment_id: int
    person_id: int
    person: str
    status: str
    referred_on: datetime.date
    intake_due_on: datetime.date | None
    intake_completed_on: datetime.date | None
    last_contact_on: datetime.date | None
    case_manager_id: int | None
    urgency: int


class CaseloadOut(Schema):
    total: int
    page: int
    pages: int
    items: list[CaseloadRowOut]


def _filters(query: CaseloadQuery) -> CaseloadFilter:
    if query.status and query.status not in lifecycle.STATUSES:
        raise ValidationError({"status": f"one of {', '.join(lifecycle.STATUSES)}"})
    return CaseloadFilter(
        name=query.name,
        status=query.status,
        no_contact_days=query.no_contact_days,
        due_within_days=query.due_within_days,
        case_manager_id=query.case_manager_id,
        mine=query.mine,
        include_exited=query.include_exited or query.status == lifecycle.EXITED,
    )


@router.get("/caseload", response=CaseloadOut, summary="The caseload, filtered, most urgent first")
def caseload(request, query: Query[CaseloadQuery]):
    rows = caseload_list(user=request.user, filters=_filters(query))
    total = rows.count()
    start = (query.page - 1) * query.page_size
    site = request.user.jurisdiction
    items = [
        {
            "enrollment_id": e.pk,
            "person_id": e.person_id,
            "person": str(e.person),
            "status": e.status,
            "referred_on": e.referred_on,
            "intake_due_on": e.intake_due_on,
            "intake_completed_on": e.intake_completed_on,
            "last_contact_on": local_date(site, e.last_contact) if e.last_contact else None,
            "case_manager_id": e.case_manager_id,
            "urgency": e.urgency,
        }
        for e in rows[start : start + query.page_size]
    ]
    pages = max(1, -(-total // query.page_size))
    return {"total": total, "page": query.page, "pages": pages, "items": items}


@router.get(
    "/caseload/export",
    summary="The filtered caseload as CSV (an audited export)",
    response={200: str},
    openapi_extra={"responses": {200: {"content": {"text/csv": {}}}}},
)
def caseload_export(request, query: Query[CaseloadQuery]):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="caseload.csv"'
    caseload_csv_write(user=request.user, filters=_filters(query), out=response)
    return response
