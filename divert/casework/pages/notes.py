"""Case notes: the list with a form to write one, and correcting one (its author or a
supervisor, with a reason; history below).

The write form carries a client-made id, so a double submit stores one note.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from divert.access import Action, Kind, can
from divert.casework import corrections, selectors, services
from divert.casework.forms import NoteCorrectionForm, NoteForm, errors_onto, fresh_id, reopened
from divert.casework.models import CaseNote
from divert.web.pages import page


@page((Action.VIEW, Kind.CASE_NOTE))
@require_http_methods(["GET", "POST"])
def case_notes(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    notes = selectors.case_note_list(user=request.user, enrollment_id=enrollment_id)
    enrollment = selectors.enrollment_get(user=request.user, enrollment_id=enrollment_id)
    status = 200
    if request.method == "POST":
        form = NoteForm(request.POST)
        if form.is_valid():
            try:
                services.case_note_create(
                    user=request.user, enrollment=enrollment, **form.cleaned_data
                )
                messages.success(request, "Note saved.")
                return redirect(reverse("case-notes", args=[enrollment.pk]))
            except ValidationError as exc:
                errors_onto(form, exc)
        status = 422
    else:
        form = NoteForm(initial={"client_id": fresh_id(), "topic": CaseNote.Topic.GENERAL})
    may_write = can(request.user, Action.CREATE, Kind.CASE_NOTE, enrollment)
    return render(
        request,
        "web/case_notes.html",
        {
            "enrollment": enrollment,
            "person": enrollment.person,
            "notes": notes,
            "form": form if may_write else None,
        },
        status=status,
    )


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
