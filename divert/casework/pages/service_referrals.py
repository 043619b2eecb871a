"""Service referral pages: the case manager refers from a directory service; the provider's
staff answer their own organization's referrals."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from divert.access import Action, Kind
from divert.casework import referral_states
from divert.casework import service_referrals as services
from divert.casework.models import ServiceReferral
from divert.directory import selectors as directory
from divert.errors import field_errors
from divert.web.pages import page


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


@page((Action.CREATE, Kind.SERVICE_REFERRAL), (Action.VIEW, Kind.DIRECTORY))
@require_POST
def refer(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    raw = request.POST.get("service_id", "")
    service_id = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 12 else 0
    try:
        referral = services.referral_send(
            user=request.user,
            enrollment_id=enrollment_id,
            service_id=service_id,
            note=request.POST.get("note", "")[:500],
            client_id=_uuid(request.POST.get("client_id", "")),
        )
    except ValidationError as exc:
        found = directory.service_get(user=request.user, service_id=service_id)
        return render(
            request,
            "directory/service.html",
            {
                "s": found,
                "enrollment_id": enrollment_id,
                "can_refer": True,
                "errors": field_errors(exc),
                "client_id": uuid.uuid4(),
            },
            status=422,
        )
    messages.success(request, f"Referral sent to {referral.provider}: {referral.service}")
    return redirect(reverse("enrollment", args=[enrollment_id]))


_BUTTONS = {
    referral_states.ACCEPTED: "Accept",
    referral_states.DECLINED: "Decline",
    referral_states.IN_PROGRESS: "Started",
    referral_states.COMPLETED: "Completed",
    referral_states.NOT_COMPLETED: "Not completed",
    referral_states.CANCELLED: "Cancel referral",
}


def _rows(user, referrals) -> list[dict]:
    provider = user.organization_id
    rows = []
    for referral in referrals:
        seen = services.provider_view(referral) if referral.provider_id == provider else None
        moves = [
            (status, _BUTTONS[status])
            for status in referral_states.NEXT.get(referral.status, ())
            if seen is None or status in referral_states.PROVIDER_MOVES
        ]
        rows.append({"r": referral, "seen": seen, "moves": moves})
    return rows


@page((Action.VIEW, Kind.SERVICE_REFERRAL))
def referral_list(request: HttpRequest) -> HttpResponse:
    show_closed = request.GET.get("closed") == "1"
    found = services.referral_list(user=request.user, open_only=not show_closed)
    return render(
        request,
        "casework/service_referrals.html",
        {
            "rows": _rows(request.user, found[:200]),
            "show_closed": show_closed,
            "outcomes": ServiceReferral.Outcome.choices,
            "errors": [],
        },
    )


@page((Action.CHANGE, Kind.SERVICE_REFERRAL))
@require_POST
def referral_move(request: HttpRequest, service_referral_id: int) -> HttpResponse:
    try:
        referral = services.referral_move(
            user=request.user,
            referral_id=service_referral_id,
            status=request.POST.get("status", "")[:20],
            reason=request.POST.get("reason", "")[:300],
            outcome=request.POST.get("outcome", "")[:30],
            outcome_note=request.POST.get("outcome_note", "")[:300],
        )
    except ValidationError as exc:
        found = services.referral_list(user=request.user, open_only=True)
        return render(
            request,
            "casework/service_referrals.html",
            {
                "rows": _rows(request.user, found[:200]),
                "show_closed": False,
                "outcomes": ServiceReferral.Outcome.choices,
                "errors": field_errors(exc),
                "failed": service_referral_id,
            },
            status=422,
        )
    messages.success(request, f"Referral {referral.pk}: {referral.get_status_display()}")
    return redirect(reverse("service-referrals"))
