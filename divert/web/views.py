"""Server-rendered pages. Thin: each calls a selector or service and renders."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from divert.access import Action, Kind, can, require, visible
from divert.audit.integrity import audit_check
from divert.audit.models import AuditEntry
from divert.casework import selectors as casework
from divert.casework.models import Enrollment
from divert.charges.selectors import charge_hold_queue
from divert.field.selectors import referral_list
from divert.program.selectors import program_summary as summary_get
from divert.web.landing import sections_for


@login_required
def home(request):
    return render(request, "web/home.html", {"sections": sections_for(request.user)})


@login_required
def caseload(request):
    enrollments = casework.enrollment_list(user=request.user).select_related("case_manager")
    mine = request.GET.get("all") != "1"
    if mine:
        enrollments = enrollments.filter(case_manager=request.user)
    return render(
        request,
        "web/caseload.html",
        {"enrollments": enrollments.order_by("status", "-referred_on")[:200], "mine": mine},
    )


@login_required
def enrollment_detail(request, enrollment_id: int):
    enrollment = casework.enrollment_get(user=request.user, enrollment_id=enrollment_id)
    plan = casework.plan_get(user=request.user, enrollment_id=enrollment_id)
    return render(
        request,
        "web/enrollment.html",
        {
            "enrollment": enrollment,
            "person": enrollment.person,
            "plan": plan,
            "goals": plan.goals.all(),
            "contacts": casework.contact_list(user=request.user, enrollment_id=enrollment_id)[:20],
            "changes": enrollment.changes.all(),
        },
    )


@login_required
def case_notes(request, enrollment_id: int):
    notes = casework.case_note_list(user=request.user, enrollment_id=enrollment_id)
    enrollment = Enrollment.objects.select_related("person").get(pk=enrollment_id)
    return render(request, "web/case_notes.html", {"enrollment": enrollment, "notes": notes})


@login_required
def charge_holds(request):
    holds = list(charge_hold_queue(user=request.user)[:500])
    for hold in holds:
        # A link to general progress, only where an in-force release covers this viewer.
        enrollment = getattr(hold.referral, "enrollment", None)
        hold.progress_enrollment = (
            enrollment
            if enrollment and can(request.user, Action.VIEW, Kind.PROGRESS, enrollment)
            else None
        )
    return render(request, "web/charge_holds.html", {"holds": holds})


@login_required
def partner_referrals(request):
    referrals = referral_list(user=request.user).select_related("person")[:200]
    return render(request, "web/partner_referrals.html", {"referrals": referrals})


@login_required
def program_summary(request):
    return render(request, "web/program_summary.html", {"summary": summary_get(user=request.user)})


@login_required
def audit_log(request):
    require(request.user, Action.VIEW, Kind.AUDIT_LOG)
    report = audit_check() if request.GET.get("verify") else None
    entries = visible(request.user, Kind.AUDIT_LOG, AuditEntry.objects.order_by("-id"))[:100]
    return render(request, "web/audit_log.html", {"entries": entries, "report": report})
