"""Pages for intake and for an enrollment's status: move, exit, undo, re-engage."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from divert.access import Action, Kind, require
from divert.casework import capacity, lifecycle, selectors, services, status
from divert.casework.exits import exit_reasons_for
from divert.casework.pages.forms import ExitForm, IntakeForm, MoveForm, ReengageForm, UndoForm
from divert.errors import field_errors
from divert.jurisdictions.clock import site_today
from divert.staff.models import User
from divert.staff.roles import Role


def apply_errors(form: Any, exc: ValidationError) -> None:
    """Put a service's errors on the form's fields (or the form, for fields it lacks)."""
    for error in field_errors(exc):
        field = error["field"] if error["field"] in form.fields else None
        form.add_error(field, error["message"])


@login_required
def intake(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    enrollment = selectors.enrollment_get(user=request.user, enrollment_id=enrollment_id)
    require(request.user, Action.CHANGE, Kind.ENROLLMENT, enrollment)
    today = site_today(enrollment.jurisdiction)
    form = IntakeForm(request.POST or None, initial={"on": today})
    if request.method == "POST" and form.is_valid():
        try:
            status.enrollment_intake(
                user=request.user, enrollment=enrollment, on=form.cleaned_data["on"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("enrollment-status", enrollment_id=enrollment.pk)
    code = 422 if form.errors else 200
    return render(
        request,
        "casework/intake.html",
        {"enrollment": enrollment, "person": enrollment.person, "form": form},
        status=code,
    )


def _managers(user: Any, enrollment: Any) -> list:
    if not user.has_role(Role.SUPERVISOR):
        return []
    loads = capacity.caseloads(jurisdiction=enrollment.jurisdiction)
    return list(User.objects.filter(pk__in=loads).order_by("last_name", "first_name"))


@login_required
def status_page(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    enrollment = selectors.enrollment_get(user=request.user, enrollment_id=enrollment_id)
    require(request.user, Action.CHANGE, Kind.ENROLLMENT, enrollment)
    today = site_today(enrollment.jurisdiction)
    reasons = exit_reasons_for(enrollment.jurisdiction)
    managers = _managers(request.user, enrollment)
    action = request.POST.get("action") if request.method == "POST" else None
    data = lambda name: request.POST if action == name else None  # noqa: E731
    # One page, four forms with fields of the same names: ids of their own, so each label
    # names its own field.
    forms = {
        "move": MoveForm(data("move"), initial={"on": today}, auto_id="move-%s"),
        "exit": ExitForm(data("exit"), reasons=reasons, initial={"on": today}, auto_id="exit-%s"),
        "undo": UndoForm(data("undo"), auto_id="undo-%s"),
        "reengage": ReengageForm(
            data("reengage"), managers=managers, initial={"on": today}, auto_id="reengage-%s"
        ),
    }
    form = forms.get(action or "")
    if form is not None and form.is_valid():
        try:
            done = _apply(request.user, enrollment, action, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("enrollment-status", enrollment_id=done.pk)
    enrollment.refresh_from_db()
    changes = list(enrollment.changes.select_related("changed_by", "undoes"))
    undoable = bool(changes) and changes[-1].undoes_id is None and bool(changes[-1].from_status)
    return render(
        request,
        "casework/status.html",
        {
            "enrollment": enrollment,
            "person": enrollment.person,
            "forms": forms,
            "can_intake": enrollment.status in status.INTAKE_FROM,
            "can_move": enrollment.status in (lifecycle.ACTIVE, lifecycle.INACTIVE),
            "is_exited": enrollment.status == lifecycle.EXITED,
            "next": getattr(enrollment, "next", None),
            "undoable": undoable,
            "changes": changes,
            "exit_label": reasons.get(enrollment.exit_reason, enrollment.exit_reason),
        },
        status=422 if form is not None and form.errors else 200,
    )


def _apply(user: Any, enrollment: Any, action: str, data: dict) -> Any:
    if action == "move":
        return services.enrollment_move(
            user=user,
            enrollment=enrollment,
            to_status=data["to_status"],
            on=data["on"],
            reason=data["reason"],
        )
    if action == "exit":
        return services.enrollment_move(
            user=user,
            enrollment=enrollment,
            to_status=lifecycle.EXITED,
            on=data["on"],
            reason=data["reason"],
        )
    if action == "undo":
        return status.status_change_undo(user=user, enrollment=enrollment, reason=data["reason"])
    return status.enrollment_reengage(
        user=user,
        previous=enrollment,
        on=data["on"],
        case_manager=data.get("case_manager_id"),
    )
