"""The program manager's page: referral times per service."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from divert.access import Action, Kind
from divert.casework.referral_times import referral_times, referred_services
from divert.web.pages import page


@page((Action.VIEW, Kind.AGGREGATE))
def referral_times_page(request: HttpRequest) -> HttpResponse:
    chosen = request.GET.get("service", "")
    service_id = int(chosen) if chosen.isascii() and chosen.isdigit() and len(chosen) < 12 else None
    return render(
        request,
        "casework/referral_times.html",
        {
            "rows": referral_times(user=request.user, service_id=service_id),
            "services": referred_services(user=request.user),
            "service_id": service_id,
        },
    )
