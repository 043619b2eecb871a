"""The services directory's pages: search by need, area and open now; one service."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from divert.access import Action, Kind, can
from divert.directory import availability, selectors
from divert.errors import field_errors
from divert.web.pages import page


def _enrollment_id(request: HttpRequest) -> int | None:
    # Arriving from a participant's page: each result offers "Refer".
    value = request.GET.get("enrollment", "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 12 else None


@page((Action.VIEW, Kind.DIRECTORY))
def directory(request: HttpRequest) -> HttpResponse:
    need = request.GET.get("need", "")[:300]
    area = request.GET.get("area", "")[:200]
    text = request.GET.get("q", "")[:200]
    open_now = request.GET.get("open") == "1"
    services = selectors.service_search(
        user=request.user, need=need, area=area, text=text, open_now=open_now
    )
    return render(
        request,
        "directory/directory.html",
        {
            "services": services,
            "needs": selectors.need_list(user=request.user),
            "need": need,
            "area": area,
            "q": text,
            "open_now": open_now,
            "enrollment_id": _enrollment_id(request),
        },
    )


@page((Action.VIEW, Kind.DIRECTORY))
def service(request: HttpRequest, service_id: int) -> HttpResponse:
    found = selectors.service_get(user=request.user, service_id=service_id)
    return render(
        request,
        "directory/service.html",
        {
            "s": found,
            "enrollment_id": _enrollment_id(request),
            "can_refer": can(request.user, Action.CREATE, Kind.SERVICE_REFERRAL),
            "client_id": uuid.uuid4(),
        },
    )


def _capacity_page(request: HttpRequest, errors: dict | None = None) -> HttpResponse:
    services = list(availability.service_capacity_list(user=request.user)[:200])
    return render(
        request,
        "directory/capacity.html",
        {"services": services, "errors": errors},
        status=422 if errors else 200,
    )


@page((Action.CHANGE, Kind.SERVICE_CAPACITY))
def capacity(request: HttpRequest) -> HttpResponse:
    """Open places, new clients and waitlist of the services the user keeps current."""
    return _capacity_page(request)


@page((Action.CHANGE, Kind.SERVICE_CAPACITY))
@require_POST
def capacity_set(request: HttpRequest, service_id: int) -> HttpResponse:
    service = availability.service_capacity_get(user=request.user, service_id=service_id)
    sent = {name: request.POST.get(name, "")[:30] for name in availability.FIELDS}
    try:
        service = availability.service_capacity_set(user=request.user, service=service, **sent)
    except ValidationError as exc:
        errors = {"service_id": service.pk, "items": field_errors(exc), "values": sent}
        return _capacity_page(request, errors)
    messages.success(request, f"Saved: {service.name}")
    return redirect(f"{reverse('directory-capacity')}#service-{service.pk}")
