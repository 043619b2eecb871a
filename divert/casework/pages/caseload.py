"""The caseload page and its CSV export. Thin: the filter form, the selector, a template."""

import csv

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from divert.access import Action, Kind, require
from divert.casework.caseload import caseload_list, supervises
from divert.casework.csvsafe import safe_cell
from divert.casework.filters import CaseloadFilterForm
from divert.jurisdictions.clock import local_date, site_today
from divert.web.pages import page

PAGE_SIZE = 25
CSV_COLUMNS = (
    "enrollment_id",
    "participant",
    "status",
    "referred_on",
    "intake_due_on",
    "intake_completed_on",
    "last_contact_on",
    "case_manager",
)


def _form(request: HttpRequest) -> CaseloadFilterForm:
    data = request.GET.copy()
    lead = supervises(request.user)
    if not lead and not data.get("f"):
        data["mine"] = "on"  # a case manager starts from their own caseload
    return CaseloadFilterForm(data, user=request.user, supervises=lead)


@page((Action.VIEW, Kind.ENROLLMENT))
def caseload(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    context = {"form": form, "page": None, "supervises": supervises(request.user)}
    if form.is_valid():
        rows = caseload_list(user=request.user, filters=form.filters())
        paginator = Paginator(rows, PAGE_SIZE)
        current = paginator.get_page(form.cleaned_data.get("page") or 1)
        query = request.GET.copy()
        query.pop("page", None)
        context.update(
            page=current,
            total=paginator.count,
            query=query.urlencode(),
            today=site_today(request.user.jurisdiction),
        )
    return render(request, "casework/caseload.html", context)


@page((Action.EXPORT, Kind.ENROLLMENT))
def caseload_csv(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    if not form.is_valid():
        return render(request, "casework/caseload.html", {"form": form}, status=422)
    require(request.user, Action.EXPORT, Kind.ENROLLMENT)  # the audited export
    rows = caseload_list(user=request.user, filters=form.filters(), audit=False)
    site = request.user.jurisdiction
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime(timezone.now()).strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="caseload-{stamp}.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for e in rows.iterator(chunk_size=500):
        manager = e.case_manager
        writer.writerow(
            safe_cell(v)
            for v in (
                e.pk,
                str(e.person),
                e.status,
                e.referred_on,
                e.intake_due_on,
                e.intake_completed_on,
                local_date(site, e.last_contact) if e.last_contact else None,
                (manager.get_full_name() or manager.username) if manager else "",
            )
        )
    return response
