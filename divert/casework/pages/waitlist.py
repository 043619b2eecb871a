"""The supervisor's waitlist page: who waits for a place, longest first, who can be assigned
now that capacity has freed, and the recent capacity refusals not yet on the list."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from divert.access import Action, Kind, can
from divert.casework import waitlist
from divert.errors import field_errors
from divert.field.models import Referral
from divert.web.pages import page


class AddForm(forms.Form):
    referral_id = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label="Why", max_length=waitlist.REASON_MAX)


class AssignForm(forms.Form):
    # Offered: who has room as the page is drawn; the service checks again under the lock.
    case_manager_id = forms.IntegerField(label="Case manager", widget=forms.Select)

    def __init__(self, *args, room=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case_manager_id"].widget.choices = [
            (r.case_manager_id, f"{r.name} ({r.open} of {r.limit})") for r in room
        ]


class RemoveForm(forms.Form):
    reason = forms.CharField(label="Why", max_length=waitlist.REASON_MAX)


def _draw(request: HttpRequest, *, errors=None, status: int = 200) -> HttpResponse:
    user = request.user
    rows = waitlist.waitlist_list(user=user)
    may_add = can(user, Action.CREATE, Kind.WAITLIST)
    may_assign = can(user, Action.CHANGE, Kind.ASSIGNMENT)
    for row in rows:
        row_errors = (errors or {}).get(row.entry.pk)
        row.assign_form = AssignForm(room=row.room, prefix=f"a{row.entry.pk}")
        row.errors = row_errors or []
    refusals = waitlist.refusals_not_listed(user=user) if may_add else []
    return render(
        request,
        "casework/waitlist.html",
        {
            "rows": rows,
            "assignable": sum(1 for r in rows if r.assignable),
            "refusals": refusals,
            "refusal_errors": (errors or {}).get("add", {}),
            "may_add": may_add,
            "may_assign": may_assign and can(user, Action.CHANGE, Kind.WAITLIST),
            "site": user.jurisdiction,
        },
        status=status,
    )


@page((Action.VIEW, Kind.WAITLIST))
@require_GET
def waitlist_page(request: HttpRequest) -> HttpResponse:
    return _draw(request)


def _messages(exc: ValidationError) -> list[str]:
    return [e["message"] for e in field_errors(exc)]


@page((Action.CREATE, Kind.WAITLIST))
@require_POST
def waitlist_add(request: HttpRequest) -> HttpResponse:
    form = AddForm(request.POST)
    if form.is_valid():
        referral = get_object_or_404(Referral, pk=form.cleaned_data["referral_id"])
        try:
            waitlist.waitlist_add(
                user=request.user, reason=form.cleaned_data["reason"], referral=referral
            )
        except ValidationError as exc:
            return _draw(request, errors={"add": {referral.pk: _messages(exc)}}, status=422)
        messages.success(request, f"{referral.person} is on the waitlist.")
        return redirect("waitlist")
    referral_id = form.cleaned_data.get("referral_id")
    errors = [m for field in form.errors.values() for m in field]
    return _draw(request, errors={"add": {referral_id: errors}}, status=422)


@page((Action.CHANGE, Kind.WAITLIST), (Action.CHANGE, Kind.ASSIGNMENT))
@require_POST
def waitlist_assign(request: HttpRequest, waitlist_entry_id: int) -> HttpResponse:
    entry = waitlist.waitlist_get(user=request.user, entry_id=waitlist_entry_id)
    form = AssignForm(request.POST, prefix=f"a{entry.pk}")
    if form.is_valid():
        try:
            enrollment = waitlist.waitlist_assign(
                user=request.user,
                entry=entry,
                case_manager_id=form.cleaned_data["case_manager_id"],
            )
        except ValidationError as exc:
            return _draw(request, errors={entry.pk: _messages(exc)}, status=422)
        messages.success(request, f"{entry.person} is assigned.")
        return redirect("enrollment", enrollment_id=enrollment.pk)
    errors = [m for field in form.errors.values() for m in field]
    return _draw(request, errors={entry.pk: errors}, status=422)


@page((Action.CHANGE, Kind.WAITLIST))
@require_POST
def waitlist_remove(request: HttpRequest, waitlist_entry_id: int) -> HttpResponse:
    entry = waitlist.waitlist_get(user=request.user, entry_id=waitlist_entry_id)
    form = RemoveForm(request.POST, prefix=f"r{entry.pk}")
    if form.is_valid():
        try:
            waitlist.waitlist_remove(
                user=request.user, entry=entry, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            return _draw(request, errors={entry.pk: _messages(exc)}, status=422)
        messages.success(request, f"{entry.person} is off the waitlist.")
        return redirect("waitlist")
    errors = [m for field in form.errors.values() for m in field]
    return _draw(request, errors={entry.pk: errors}, status=422)
