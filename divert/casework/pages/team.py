"""The supervisor's pages: the team's loads against the caps, and reassigning a case."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from divert.access import Action, Kind
from divert.casework import selectors
from divert.casework.assignment import REASON_MAX, enrollment_reassign, team_loads
from divert.errors import field_errors
from divert.web.pages import page


@page((Action.VIEW, Kind.ASSIGNMENT))
def team(request: HttpRequest) -> HttpResponse:
    site = request.user.jurisdiction
    return render(
        request, "casework/team.html", {"loads": team_loads(user=request.user), "site": site}
    )


class ReassignForm(forms.Form):
    case_manager = forms.TypedChoiceField(label="New case manager", coerce=int)
    reason = forms.CharField(label="Reason", max_length=REASON_MAX)

    def __init__(self, *args, loads, current_id, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case_manager"].choices = [
            (load.case_manager_id, f"{load.name} ({load.open} of {load.cap})")
            for load in loads
            if load.case_manager_id != current_id
        ]


@page((Action.CHANGE, Kind.ASSIGNMENT))
def reassign(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    enrollment = selectors.enrollment_get(user=request.user, enrollment_id=enrollment_id)
    loads = team_loads(user=request.user)
    form = ReassignForm(request.POST or None, loads=loads, current_id=enrollment.case_manager_id)
    if request.method == "POST" and form.is_valid():
        try:
            enrollment_reassign(
                user=request.user,
                enrollment=enrollment,
                case_manager_id=form.cleaned_data["case_manager"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            for error in field_errors(exc):
                name = {"case_manager_id": "case_manager"}.get(error["field"], error["field"])
                form.add_error(name if name in form.fields else None, error["message"])
        else:
            messages.success(request, "Case reassigned.")
            return redirect("enrollment", enrollment_id=enrollment.pk)
    return render(
        request,
        "casework/reassign.html",
        {"enrollment": enrollment, "form": form, "loads": loads},
        status=422 if form.errors else 200,
    )
