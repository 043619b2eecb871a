"""Logging a contact on a phone (one screen), and correcting one.

With JavaScript the form never posts here: static/casework/contacts.js keeps each entry in the
browser and sends it to the API, now or when the network returns. Without it, the form posts
here, carrying the same kind of client-made id, so a double tap still stores one contact.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from divert.access import Action, Kind, require
from divert.casework import contacts, corrections, selectors
from divert.casework.forms import (
    ContactCorrectionForm,
    ContactForm,
    errors_onto,
    fresh_id,
    reopened,
)
from divert.casework.models import Contact
from divert.jurisdictions.clock import site_now, site_zone
from divert.web.pages import page

RECENT = 5


@page((Action.CREATE, Kind.CONTACT))
@require_http_methods(["GET", "POST"])
def contact_new(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    enrollment = selectors.enrollment_get(user=request.user, enrollment_id=enrollment_id)
    require(request.user, Action.CREATE, Kind.CONTACT, enrollment)
    status = 200
    if request.method == "POST":
        form = ContactForm(request.POST)
        if form.is_valid():
            try:
                contacts.contact_log(user=request.user, enrollment=enrollment, **form.cleaned_data)
                messages.success(request, "Contact saved.")
                return redirect(reverse("casework-contact-new", args=[enrollment.pk]))
            except ValidationError as exc:
                errors_onto(form, exc)
        status = 422
    else:
        form = ContactForm(
            initial={
                "occurred_at": site_now(enrollment.jurisdiction).replace(second=0, microsecond=0),
                "place": Contact.Place.STREET,
                "kind": Contact.Kind.IN_PERSON,
                "client_id": fresh_id(),
            }
        )
    recent = selectors.contact_list(user=request.user, enrollment_id=enrollment.pk)[:RECENT]
    return render(
        request,
        "casework/contact_new.html",
        {
            "enrollment": enrollment,
            "person": enrollment.person,
            "form": form,
            "recent": recent,
            "zone": site_zone(enrollment.jurisdiction).key,
        },
        status=status,
    )


def _correction_form(contact: Contact, data=None) -> ContactCorrectionForm:
    return ContactCorrectionForm(
        data,
        initial={
            "version": contact.version,
            "occurred_at": contact.occurred_at,
            "place": contact.place,
            "kind": contact.kind,
            "minutes": contact.minutes,
            "present": contact.present,
            "note": contact.note,
        },
    )


@page((Action.VIEW, Kind.CONTACT))
@require_http_methods(["GET", "POST"])
def contact_correct(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = selectors.contact_get(user=request.user, contact_id=contact_id)
    conflict, status = None, 200
    if request.method == "POST":
        corrections.require_correct(request.user, Kind.CONTACT, contact)
        form = _correction_form(contact, request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version, reason = data.pop("version"), data.pop("reason")
            try:
                contacts.contact_correct(
                    user=request.user, contact=contact, values=data, version=version, reason=reason
                )
                messages.success(request, "Correction saved.")
                return redirect(reverse("casework-contact-correct", args=[contact.pk]))
            except corrections.Conflict as exc:
                conflict, status = exc, 409
                form = reopened(ContactCorrectionForm, request.POST, exc.record)
            except ValidationError as exc:
                errors_onto(form, exc)
                status = 422
        else:
            status = 422
    else:
        form = _correction_form(contact)
    return render(
        request,
        "casework/contact_correct.html",
        {
            "contact": contact,
            "enrollment": contact.enrollment,
            "person": contact.enrollment.person,
            "form": form if corrections.may_correct(request.user, contact) else None,
            "conflict": conflict,
            "versions": corrections.history_of(contact),
        },
        status=status,
    )
