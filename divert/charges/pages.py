"""The prosecutor's and the defender's pages: the queue, a hold and its decision, and legal
coordination (progress is casework's page, under the same release rule). Thin: forms,
selectors and services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from divert.access import Action, Kind, can, require
from divert.casework.forms import fresh_id
from divert.charges import legal, selectors, services
from divert.charges.forms import DecisionForm, LegalMatterForm, PositionForm, QueueFilterForm
from divert.charges.models import ChargeHold
from divert.errors import field_errors
from divert.jurisdictions.clock import site_today
from divert.staff.roles import Role
from divert.web.pages import page

PAGE_SIZE = 25


def _errors_onto(form, exc: ValidationError) -> None:
    for error in field_errors(exc):
        name = error["field"]
        form.add_error(name if name in form.fields else None, error["message"])


def _links(user, hold: ChargeHold) -> None:
    # Links only where the policy lets this viewer in (no audit: following one is the read).
    enrollment = getattr(hold.referral, "enrollment", None)
    hold.enrollment = enrollment
    hold.shows_progress = bool(enrollment) and can(user, Action.VIEW, Kind.PROGRESS, enrollment)
    hold.shows_legal = bool(enrollment) and can(user, Action.VIEW, Kind.LEGAL_MATTER, enrollment)


@page((Action.VIEW, Kind.CHARGE_HOLD))
def queue(request: HttpRequest) -> HttpResponse:
    form = QueueFilterForm(request.GET)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    show = data.get("show") or "open"
    holds = selectors.charge_hold_queue(user=request.user, show=show, search=data.get("q") or "")
    paginator = Paginator(holds, PAGE_SIZE)
    current = paginator.get_page(data.get("page") or 1)
    for hold in current:
        _links(request.user, hold)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "charges/queue.html",
        {
            "form": form,
            "page": current,
            "total": paginator.count,
            "query": query.urlencode(),
            "show": show,
            "decides": can(request.user, Action.CHANGE, Kind.CHARGE_HOLD),
            "today": site_today(request.user.jurisdiction),
        },
    )


@page((Action.VIEW, Kind.CHARGE_HOLD))
def hold_detail(request: HttpRequest, hold_id: int) -> HttpResponse:
    if request.method == "POST":
        # Only a prosecutor decides: anyone else is refused before the form is read.
        hold = selectors.charge_hold_get(user=request.user, hold_id=hold_id, action=Action.CHANGE)
        form = DecisionForm(request.POST)
        if form.is_valid():
            try:
                services.charge_hold_decide(
                    user=request.user,
                    hold=hold,
                    decision=form.cleaned_data["decision"],
                    reason=form.cleaned_data["reason"],
                    on=site_today(request.user.jurisdiction),
                )
            except ValidationError as exc:
                _errors_onto(form, exc)
            else:
                hold.refresh_from_db()
                messages.success(request, f"{hold.get_status_display()}: {hold.referral.person}")
                return redirect("charge-holds")
    else:
        hold = selectors.charge_hold_get(user=request.user, hold_id=hold_id)
        form = DecisionForm()
    _links(request.user, hold)
    selectors.hold_as_read(request.user, hold)
    decides = hold.status == ChargeHold.Status.AWAITING_DECISION and can(
        request.user, Action.CHANGE, Kind.CHARGE_HOLD, hold
    )
    return render(
        request,
        "charges/hold.html",
        {"hold": hold, "form": form, "decides": decides},
        status=422 if form.errors else 200,
    )


def _legal_context(request: HttpRequest, enrollment_id: int, add_form=None) -> dict:
    user = request.user
    enrollment, matters = legal.legal_matter_list(user=user, enrollment_id=enrollment_id)
    # Withheld before the position forms read their notes: none carries the stored text.
    matters = legal.matters_as_read(user, matters)
    for matter in matters:
        if can(user, Action.CHANGE, Kind.LEGAL_MATTER, matter):
            side = "liaison" if user.has_role(Role.PROSECUTOR) else "defender"
            matter.form = PositionForm(
                initial={
                    "position": getattr(matter, f"{side}_position"),
                    "note": getattr(matter, f"{side}_note"),
                },
                prefix=f"m{matter.pk}",
            )
    enters = can(user, Action.CREATE, Kind.LEGAL_MATTER, enrollment)
    return {
        "enrollment": enrollment,
        "matters": matters,
        "enters": enters,
        "add_form": add_form
        or (LegalMatterForm(initial={"client_id": fresh_id()}) if enters else None),
    }


@page((Action.VIEW, Kind.LEGAL_MATTER))
def legal_page(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    form = None
    if request.method == "POST":
        enrollment = legal._enrollment(enrollment_id)
        # Only the liaison enters matters: anyone else is refused before the form is read.
        require(request.user, Action.CREATE, Kind.LEGAL_MATTER, enrollment)
        form = LegalMatterForm(request.POST)
        if form.is_valid():
            try:
                legal.legal_matter_create(
                    user=request.user, enrollment=enrollment, **form.cleaned_data
                )
            except ValidationError as exc:
                _errors_onto(form, exc)
            else:
                messages.success(request, f"Added: {form.cleaned_data['summary']}")
                return redirect("charge-legal", enrollment_id=enrollment_id)
    context = _legal_context(request, enrollment_id, form)
    return render(
        request,
        "charges/legal.html",
        context,
        status=422 if form is not None and form.errors else 200,
    )


@page((Action.CREATE, Kind.LEGAL_MATTER))
@require_POST
def legal_from_records(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    enrollment = legal._enrollment(enrollment_id)
    made = legal.legal_matters_from_records(user=request.user, enrollment=enrollment)
    messages.success(request, f"{len(made)} pending charge(s) added from justice records.")
    return redirect("charge-legal", enrollment_id=enrollment_id)


@page((Action.CHANGE, Kind.LEGAL_MATTER))
@require_POST
def legal_position(request: HttpRequest, legal_matter_id: int) -> HttpResponse:
    matter = legal.legal_matter_get(
        user=request.user, matter_id=legal_matter_id, action=Action.CHANGE
    )
    enrollment = matter.person.enrollments.order_by("-referred_on").first()
    form = PositionForm(request.POST, prefix=f"m{matter.pk}")
    if form.is_valid():
        try:
            legal.legal_matter_position(
                user=request.user,
                matter=matter,
                position=form.cleaned_data["position"] or "",
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(e["message"] for e in field_errors(exc)))
        else:
            [shown] = legal.matters_as_read(request.user, [matter])
            messages.success(request, f"Position saved: {shown.summary}")
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("charge-legal", enrollment_id=enrollment.pk)
