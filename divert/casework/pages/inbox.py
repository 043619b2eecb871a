"""The inbox, the case manager's landing page, and the fragment that brings new hand-offs."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from divert.access import Action, Kind
from divert.casework.inbox import handoff_list, inbox_get, newest_referral_id
from divert.web.pages import page

INBOX_NEEDS = ((Action.VIEW, Kind.ENROLLMENT), (Action.VIEW, Kind.TASK))


@page(*INBOX_NEEDS)
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    return render(request, "casework/inbox.html", {"inbox": inbox_get(user=request.user)})


@page(*INBOX_NEEDS)
@require_GET
def inbox_handoffs(request: HttpRequest) -> HttpResponse:
    """Polled every 30 seconds: 204 (nothing read, nothing shown) unless a hand-off is newer
    than the newest the page already shows."""
    try:
        known = int(request.GET.get("after", "0"))
    except ValueError:
        known = 0
    newest = newest_referral_id(user=request.user)
    if newest <= known and request.htmx:
        return HttpResponse(status=204)
    context = {"handoffs": handoff_list(user=request.user), "newest_referral_id": newest}
    return render(request, "casework/_handoffs.html", context)
