"""The services directory's pages: search by need, area and open now; one service."""

import uuid

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from divert.access import Action, Kind, can
from divert.directory import selectors
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
