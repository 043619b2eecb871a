import datetime
import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from divert.access import Action
from divert.apitypes import Day
from divert.funds import export, receipts, selectors, services

router = Router(tags=["funds"])


class BudgetOut(Schema):
    id: int
    category: str
    label: str
    starts_on: datetime.date
    ends_on: datetime.date
    amount: Decimal
    spent: Decimal
    awaiting: Decimal
    left: Decimal


class BudgetIn(Schema):
    category: str = Field(..., max_length=40)
    label: str = Field(..., max_length=80)
    starts_on: Day
    ends_on: Day
    amount: Decimal = Field(..., max_digits=10, decimal_places=2)


class SpendOut(Schema):
    id: int
    enrollment_id: int
    category: str
    amount: Decimal
    vendor: str
    purpose: str
    spent_on: datetime.date
    status: str
    recorded_by: str
    approved_by: str | None
    approved_on: datetime.date | None
    has_receipt: bool

    @staticmethod
    def resolve_category(spend) -> str:
        return spend.budget.category

    @staticmethod
    def resolve_recorded_by(spend) -> str:
        return spend.recorded_by.username

    @staticmethod
    def resolve_approved_by(spend) -> str | None:
        return spend.approved_by.username if spend.approved_by_id else None

    @staticmethod
    def resolve_has_receipt(spend) -> bool:
        return bool(spend.receipt_type)


class SpendFields(Schema):
    category: str = Field(..., max_length=40)
    amount: Decimal = Field(..., max_digits=10, decimal_places=2)
    vendor: str = Field(..., max_length=120)
    spent_on: Day
    purpose: str = Field("", max_length=200)
    client_id: uuid.UUID | None = None


class SpendIn(SpendFields):
    receipt_base64: str | None = Field(None, description="A JPEG, PNG or WebP image, base64")


class RulesIn(Schema):
    approval_over: str = Field(
        ..., max_length=30, description="Spends over this amount wait for a supervisor"
    )


class RulesOut(Schema):
    approval_over: Decimal


class DecisionIn(Schema):
    approve: bool


class MonthOut(Schema):
    enrollment_id: int
    month: datetime.date
    total: Decimal
    spends: int


@router.get("/budgets", response=list[BudgetOut], summary="Budget lines with what is left")
def budget_list(request):
    return selectors.fund_budget_balances(user=request.user)


@router.post("/budgets", response={201: BudgetOut}, summary="A budget line (program managers)")
def budget_create(request, payload: BudgetIn):
    line = services.fund_budget_create(user=request.user, **payload.dict())
    line.spent = line.awaiting = Decimal("0")
    line.left = line.amount
    return Status(201, line)


@router.get("/rules", response=RulesOut, summary="The site's approval amount")
def rules_get(request):
    return {"approval_over": selectors.fund_rules_get(user=request.user)}


@router.put(
    "/rules",
    response=RulesOut,
    summary="Set the site's approval amount (program managers and administrators)",
)
def rules_set(request, payload: RulesIn):
    return services.fund_rules_set(user=request.user, approval_over=payload.approval_over)


@router.get("/enrollments/{int:enrollment_id}/spends", response=list[SpendOut])
def spend_list(request, enrollment_id: int):
    _, spends = selectors.fund_spend_list(user=request.user, enrollment_id=enrollment_id)
    return list(spends)


@router.post(
    "/enrollments/{int:enrollment_id}/spends",
    response={201: SpendOut},
    summary="Record a spend for a participant",
)
def spend_create(request, enrollment_id: int, payload: SpendIn):
    enrollment, _ = selectors.fund_spend_list(user=request.user, enrollment_id=enrollment_id)
    data = payload.dict()
    receipt = receipts.receipt_from_base64(data.pop("receipt_base64"))
    try:
        spend = services.fund_spend_record(
            user=request.user, enrollment=enrollment, receipt=receipt, **data
        )
    except ValidationError as exc:
        if hasattr(exc, "error_dict") and "receipt" in exc.error_dict:
            raise ValidationError({"receipt_base64": exc.error_dict["receipt"]}) from None
        raise
    return Status(201, spend)


@router.post(
    "/enrollments/{int:enrollment_id}/spends/with-receipt",
    response={201: SpendOut},
    summary="Record a spend with its receipt image as a multipart file",
    description=(
        "The fields of a spend as form fields and `receipt`, a JPEG, PNG or WebP file, "
        "recognised by its content and limited to DIVERT_UPLOAD_MAX_MB."
    ),
)
def spend_create_with_receipt(
    request,
    enrollment_id: int,
    payload: Form[SpendFields],
    receipt: File[UploadedFile] = None,
):
    enrollment, _ = selectors.fund_spend_list(user=request.user, enrollment_id=enrollment_id)
    spend = services.fund_spend_record(
        user=request.user, enrollment=enrollment, receipt=receipt, **payload.dict()
    )
    return Status(201, spend)


@router.post(
    "/spends/{int:fund_spend_id}/decision",
    response=SpendOut,
    summary="A supervisor approves or refuses a spend over the site's amount",
)
def spend_decide(request, fund_spend_id: int, payload: DecisionIn):
    spend = selectors.fund_spend_get(
        user=request.user, spend_id=fund_spend_id, action=Action.CHANGE
    )
    return services.fund_spend_decide(user=request.user, spend=spend, approve=payload.approve)


@router.get("/spends/by-month", response=list[MonthOut], summary="Spend per participant per month")
def spend_by_month(request):
    return selectors.fund_spend_by_participant_month(user=request.user)


@router.get("/export.csv", summary="Every spend, for the funder (CSV)")
def spend_export(request):
    response = HttpResponse(export.fund_spends_csv(user=request.user), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="flexible-funds.csv"'
    return response
