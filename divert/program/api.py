from django.http import HttpResponse
from ninja import Router, Schema

from divert.program import exports, selectors

router = Router(tags=["program"])


class CaseloadOut(Schema):
    case_manager: str
    open: int


class PathwayCountOut(Schema):
    referrals: int
    capacity_refused: int


class SummaryOut(Schema):
    caseload_target: int
    caseload_cap: int
    caseloads: list[CaseloadOut]
    enrollments_by_status: dict[str, int]
    referrals_90_days: dict[str, PathwayCountOut]


@router.get("/summary", response=SummaryOut, summary="Caseloads, statuses and referrals")
def program_summary(request):
    return selectors.program_summary(user=request.user)


@router.get(
    "/exports/enrollments.csv",
    summary="De-identified enrollments (CSV)",
    openapi_extra={"responses": {200: {"content": {"text/csv": {}}}}},
)
def deidentified_enrollments(request):
    body = exports.deidentified_enrollments_csv(user=request.user)
    response = HttpResponse(body, content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="enrollments-deidentified.csv"'
    return response
