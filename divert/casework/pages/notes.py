"""Correcting a case note: its author or a supervisor, with a reason; history below."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from divert.access import Action, Kind
from divert.casework import corrections, selectors, services
from divert.casework.forms import NoteCorrectionForm, errors_onto, reopened
from divert.web.pages import page


@page((Action.VIEW, Kind.CASE_NOTE))
@require_http_methods(["GET", "POST"])
def note_correct(request: HttpRequest, note_id: int) -> HttpResponse:
    note = selectors.case_note_get(user=request.user, note_id=note_id)
    initial = {"version": note.version, "topic": note.topic, "text": note.text}
    conflict, status = None, 200
    if request.method == "POST":
        corrections.require_correct(request.user, Kind.CASE_NOTE, note)
        form = NoteCorrectionForm(request.POST, initial=initial)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.case_note_correct(
                    user=request.user,
                    note=note,
                    values={"topic": data["topic"], "text": data["text"]},
                    version=data["version"],
                    reason=data["reason"],
                )
                messages.success(request, "Correction saved.")
                return redirect(reverse("casework-note-correct", args=[note.pk]))
            except corrections.Conflict as exc:
                conflict, status = exc, 409
                form = reopened(NoteCorrectionForm, request.POST, exc.record)
            except ValidationError as exc:
                errors_onto(form, exc)
                status = 422
        else:
            status = 422
    else:
        form = NoteCorrectionForm(initial=initial)
    return render(
        request,
        "casework/note_correct.html",
        {
            "note": note,
            "enrollment": note.enrollment,
            "person": note.enrollment.person,
            "form": form if corrections.may_correct(request.user, note) else None,
            "conflict": conflict,
            "versions": corrections.history_of(note),
        },
        status=status,
    )
