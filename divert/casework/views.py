"""Pages for the work group and for case managers' alerts. Thin: a selector, then a template."""

import datetime

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from divert.access import Action, Kind
from divert.casework.agenda import workgroup_agenda
from divert.casework.alerts import alert_list
from divert.web.pages import page


def _date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@page((Action.VIEW, Kind.ENROLLMENT))
@require_GET
def workgroup(request: HttpRequest) -> HttpResponse:
    agenda = workgroup_agenda(user=request.user, since=_date(request.GET.get("since")))
    return render(request, "casework/workgroup.html", {"agenda": agenda})


@page((Action.VIEW, Kind.ENROLLMENT))
@require_GET
def alerts(request: HttpRequest) -> HttpResponse:
    return render(request, "casework/alerts.html", {"alerts": alert_list(user=request.user)})
