"""Server-rendered pages. Thin: each calls a selector or service and renders."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import resolve, reverse

from divert.access import Action, Kind, require, visible
from divert.audit.integrity import audit_check
from divert.audit.models import AuditEntry
from divert.field.selectors import referral_list
from divert.program.selectors import program_summary as summary_get
from divert.web.landing import sections_for
from divert.web.pages import page, reaches


@login_required
def home(request):
    # The inbox is the landing page of whoever may open it (case managers, supervisors).
    inbox = reverse("inbox")
    if reaches(request.user, resolve(inbox).func):
        return redirect(inbox)
    return render(request, "web/home.html", {"sections": sections_for(request.user)})


@page((Action.VIEW, Kind.REFERRAL))
def partner_referrals(request):
    referrals = referral_list(user=request.user).select_related("person")[:200]
    return render(request, "web/partner_referrals.html", {"referrals": referrals})


@page((Action.VIEW, Kind.AGGREGATE))
def program_summary(request):
    return render(request, "web/program_summary.html", {"summary": summary_get(user=request.user)})


@page((Action.VIEW, Kind.AUDIT_LOG))
def audit_log(request):
    require(request.user, Action.VIEW, Kind.AUDIT_LOG)
    report = audit_check() if request.GET.get("verify") else None
    entries = visible(request.user, Kind.AUDIT_LOG, AuditEntry.objects.order_by("-id"))[:100]
    return render(request, "web/audit_log.html", {"entries": entries, "report": report})
