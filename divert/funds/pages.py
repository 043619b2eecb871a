"""Flexible-fund pages: a participant's spends (from the profile), the budget and approvals."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from divert.access import Action, Kind, can, require
from divert.casework.forms import fresh_id
from divert.errors import field_errors
from divert.funds import export, selectors, services
from divert.funds.forms import BudgetForm, RulesForm, SpendForm
from divert.funds.models import FundBudget
from divert.jurisdictions.clock import site_today
from divert.web.pages import page


def _errors_onto(form, exc: ValidationError) -> None:
    for error in field_errors(exc):
        name = error["field"]
        form.add_error(name if name in form.fields else None, error["message"])


def _categories(jurisdiction) -> list[tuple[str, str]]:
    today = site_today(jurisdiction)
    lines = FundBudget.objects.filter(
        jurisdiction=jurisdiction, starts_on__lte=today, ends_on__gte=today
    ).values_list("category", "label")
    return sorted(set(lines))


# The participant's own page names them: for those who may open the enrollment.
@page((Action.VIEW, Kind.FUND_SPEND), (Action.VIEW, Kind.ENROLLMENT))
def enrollment_funds(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    user = request.user
    enrollment, spends = selectors.fund_spend_list(user=user, enrollment_id=enrollment_id)
    records = can(user, Action.CREATE, Kind.FUND_SPEND, enrollment)
    categories = _categories(user.jurisdiction)
    form = None
    if request.method == "POST":
        require(user, Action.CREATE, Kind.FUND_SPEND, enrollment)
        form = SpendForm(request.POST, request.FILES, categories=categories)
        if form.is_valid():
            data = form.cleaned_data
            try:
                spend = services.fund_spend_record(user=user, enrollment=enrollment, **data)
            except ValidationError as exc:
                _errors_onto(form, exc)
            else:
                messages.success(
                    request, f"Spend recorded: {spend.amount} ({spend.get_status_display()})"
                )
                return redirect("enrollment-funds", enrollment_id=enrollment.pk)
    elif records:
        form = SpendForm(
            categories=categories,
            initial={"client_id": fresh_id(), "spent_on": site_today(user.jurisdiction)},
        )
    return render(
        request,
        "funds/enrollment.html",
        {"enrollment": enrollment, "spends": list(spends[:200]), "form": form},
        status=422 if form is not None and form.errors else 200,
    )


@page((Action.VIEW, Kind.FUND_BUDGET))
def budget(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = None
    if can(user, Action.CREATE, Kind.FUND_BUDGET):
        form = BudgetForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.fund_budget_create(user=user, **form.cleaned_data)
            except ValidationError as exc:
                _errors_onto(form, exc)
            else:
                messages.success(request, f"Budget line added: {form.cleaned_data['label']}")
                return redirect("funds")
    elif request.method == "POST":
        require(user, Action.CREATE, Kind.FUND_BUDGET)
    sees_spends = can(user, Action.VIEW, Kind.FUND_SPEND)
    context = {
        "lines": selectors.fund_budget_balances(user=user),
        "form": form,
        "approval_over": services.approval_over(user.jurisdiction_id),
        "months": selectors.fund_spend_by_participant_month(user=user) if sees_spends else [],
        "awaiting": (
            list(selectors.fund_spends_awaiting(user=user))
            if can(user, Action.CHANGE, Kind.FUND_SPEND)
            else []
        ),
        "exports": can(user, Action.EXPORT, Kind.FUND_SPEND),
        "sets_rules": can(user, Action.CHANGE, Kind.FUND_RULES),
    }
    return render(
        request, "funds/budget.html", context, status=422 if form and form.errors else 200
    )


@page((Action.CHANGE, Kind.FUND_RULES))
def rules(request: HttpRequest) -> HttpResponse:
    """The site's approval amount, for the program manager and the administrator."""
    user = request.user
    current = services.approval_over(user.jurisdiction_id)
    form = RulesForm(request.POST or None, initial={"approval_over": current})
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.fund_rules_set(user=user, **form.cleaned_data)
        except ValidationError as exc:
            _errors_onto(form, exc)
        else:
            messages.success(
                request, f"Spends over {saved.approval_over} now wait for a supervisor."
            )
            return redirect("fund-rules")
    return render(
        request,
        "funds/rules.html",
        {
            "form": form,
            "approval_over": current,
            "sees_budget": can(user, Action.VIEW, Kind.FUND_BUDGET),
        },
        status=422 if form.errors else 200,
    )


@page((Action.CHANGE, Kind.FUND_SPEND))
@require_POST
def spend_decide(request: HttpRequest, fund_spend_id: int) -> HttpResponse:
    spend = selectors.fund_spend_get(
        user=request.user, spend_id=fund_spend_id, action=Action.CHANGE
    )
    try:
        spend = services.fund_spend_decide(
            user=request.user, spend=spend, approve=request.POST.get("approve") == "1"
        )
    except ValidationError as exc:
        messages.error(request, " ".join(e["message"] for e in field_errors(exc)))
    else:
        messages.success(request, f"{spend.get_status_display()}: {spend.amount} to {spend.vendor}")
    return redirect("funds")


@page((Action.VIEW, Kind.FUND_SPEND))
def receipt(request: HttpRequest, fund_spend_id: int) -> HttpResponse:
    spend = selectors.fund_spend_get(user=request.user, spend_id=fund_spend_id)
    if not spend.receipt_type:
        return HttpResponse("No receipt.", status=404, content_type="text/plain")
    response = HttpResponse(bytes(spend.receipt), content_type=spend.receipt_type)
    response["Content-Disposition"] = f'inline; filename="receipt-{spend.pk}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@page((Action.EXPORT, Kind.FUND_SPEND))
def export_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(export.fund_spends_csv(user=request.user), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="flexible-funds.csv"'
    return response
