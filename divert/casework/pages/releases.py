"""Releases of information on the phone: the list, a new release, revoking, the files.

The drawn signature comes from static/casework/signature.js as a PNG data URL in a hidden
field; without JavaScript the participant consents aloud before a named witness instead.
The files are served only here, to those who may read the release, and every opening is
audited (they are never under a public URL).
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from divert.access import Action, Kind, can, require
from divert.casework import releases, selectors, uploads
from divert.casework.forms import ReleaseForm, RevokeForm, ScanForm, errors_onto, fresh_id
from divert.casework.models import Enrollment, Goal, ReleaseOfInformation
from divert.jurisdictions.clock import site_today
from divert.web.pages import page


def _form(enrollment: Enrollment, data=None, files=None, initial=None) -> ReleaseForm:
    return ReleaseForm(
        data,
        files,
        initial=initial,
        disclosers=releases.discloser_choices(enrollment),
        recipients=releases.recipient_choices(enrollment),
        share_choices=releases.SHARE_CHOICES,
    )


@page((Action.VIEW, Kind.RELEASE))
def release_list(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    listed = list(selectors.release_list(user=request.user, enrollment_id=enrollment_id))
    enrollment = Enrollment.objects.select_related("person", "jurisdiction").get(pk=enrollment_id)
    today = site_today(enrollment.jurisdiction)
    return render(
        request,
        "casework/releases.html",
        {
            "enrollment": enrollment,
            "person": enrollment.person,
            "groups": releases.release_states(listed, today),
            "may_create": can(request.user, Action.CREATE, Kind.RELEASE, enrollment),
        },
    )


@page((Action.CREATE, Kind.RELEASE))
@require_http_methods(["GET", "POST"])
def release_new(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    enrollment = selectors.enrollment_get(user=request.user, enrollment_id=enrollment_id)
    require(request.user, Action.CREATE, Kind.RELEASE, enrollment)
    status = 200
    if request.method == "POST":
        form = _form(enrollment, request.POST, request.FILES)
        if form.is_valid():
            try:
                release = _create(request.user, enrollment, form.cleaned_data)
                messages.success(request, "Release saved.")
                return redirect(reverse("casework-release", args=[release.pk]))
            except ValidationError as exc:
                errors_onto(form, exc)
        status = 422
    else:
        mine = request.user.organization_id
        form = _form(
            enrollment,
            initial={
                "discloser": mine
                if releases.discloser_choices(enrollment).filter(pk=mine)
                else None,
                "shares": ["participation", "progress"],
                "signed_on": site_today(enrollment.jurisdiction),
                "revocation": ReleaseOfInformation._meta.get_field("revocation").default,
                "signed_name": str(enrollment.person),
                "client_id": fresh_id(),
            },
        )
    return render(
        request,
        "casework/release_new.html",
        {"enrollment": enrollment, "person": enrollment.person, "form": form},
        status=status,
    )


def _create(user: Any, enrollment: Enrollment, data: dict[str, Any]) -> ReleaseOfInformation:
    image = uploads.signature_from_data_url(data["signature_png"])
    release, _ = releases.release_create(
        user=user,
        enrollment=enrollment,
        discloser_id=data["discloser"].pk,
        recipient_ids=[o.pk for o in data["recipients"]],
        recipient_class=data["recipient_class"],
        shares=data["shares"],
        purpose=data["purpose"],
        signed_on=data["signed_on"],
        expires_on=data["expires_on"],
        expires_upon=data["expires_upon"],
        revocation=data["revocation"],
        signed_name=data["signed_name"],
        signature=releases.Signature(image=image, witness=data["verbal_witness"]),
        scanned_form=data["scanned_form"],
        client_id=data["client_id"],
    )
    return release


def _enrollment_of(release: ReleaseOfInformation) -> Enrollment | None:
    return release.person.enrollments.order_by("-referred_on", "-pk").first()


def _detail(request, release, *, revoke_form=None, scan_form=None, status=200) -> HttpResponse:
    today = site_today(release.person.jurisdiction)
    may_change = can(request.user, Action.CHANGE, Kind.RELEASE, release)
    return render(
        request,
        "casework/release.html",
        {
            "release": release,
            "person": release.person,
            "enrollment": _enrollment_of(release),
            "state": release.state(today),
            "revoke_form": (revoke_form or RevokeForm(initial={"revoked_on": today}))
            if may_change and release.revoked_on is None
            else None,
            "scan_form": (scan_form or ScanForm()) if may_change else None,
            "history": release.history.select_related("history_user").order_by("-history_id"),
        },
        status=status,
    )


@page((Action.VIEW, Kind.RELEASE))
def release_detail(request: HttpRequest, release_id: int) -> HttpResponse:
    release = releases.release_get(user=request.user, release_id=release_id)
    return _detail(request, release)


@page((Action.CHANGE, Kind.RELEASE))
@require_POST
def release_revoke(request: HttpRequest, release_id: int) -> HttpResponse:
    release = releases.release_get(user=request.user, release_id=release_id)
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            releases.release_revoke(
                user=request.user,
                release=release,
                on=form.cleaned_data["revoked_on"],
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, "Release revoked: nothing more is shared under it.")
            return redirect(reverse("casework-release", args=[release.pk]))
        except ValidationError as exc:
            errors_onto(form, exc)
    return _detail(request, release, revoke_form=form, status=422)


@page((Action.CHANGE, Kind.RELEASE))
@require_POST
def release_attach(request: HttpRequest, release_id: int) -> HttpResponse:
    release = releases.release_get(user=request.user, release_id=release_id)
    form = ScanForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            releases.release_attach(
                user=request.user, release=release, upload=form.cleaned_data["scanned_form"]
            )
            messages.success(request, "Scanned form attached.")
            return redirect(reverse("casework-release", args=[release.pk]))
        except ValidationError as exc:
            errors_onto(form, exc)
    return _detail(request, release, scan_form=form, status=422)


def file_response(field: Any, content_type: str, stem: str) -> FileResponse:
    """A stored file, never cached, never sniffed as something else, never run as a page."""
    inline = content_type.startswith("image/")
    name = f"{stem}.{_NAMES.get(content_type, 'bin')}"
    response = FileResponse(
        field.open("rb"), content_type=content_type, as_attachment=not inline, filename=name
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


_NAMES = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}


@page((Action.VIEW, Kind.RELEASE))
def release_signature(request: HttpRequest, release_id: int) -> HttpResponse:
    field, kind = releases.release_file(user=request.user, release_id=release_id, which="signature")
    return file_response(field, kind, f"release-{release_id}-signature")


@page((Action.VIEW, Kind.RELEASE))
def release_scan(request: HttpRequest, release_id: int) -> HttpResponse:
    field, kind = releases.release_file(
        user=request.user, release_id=release_id, which="scanned_form"
    )
    return file_response(field, kind, f"release-{release_id}-form")


@page((Action.VIEW, Kind.PROGRESS))
def progress(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    """General progress: what a release lets a named prosecutor or defender see."""
    shown = selectors.progress_get(user=request.user, enrollment_id=enrollment_id)
    domains = [Goal.Domain(d).label for d in shown["domains_in_progress"]]
    return render(request, "casework/progress.html", {"p": shown, "domains": domains})
