"""The caseload page and its CSV export. Thin: the filter form, the selector, a template."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from divert.access import Action, Kind
from divert.casework.caseload import caseload_list, supervises
from divert.casework.caseload_export import caseload_csv_write
from divert.casework.filters import CaseloadFilterForm
from divert.jurisdictions.clock import site_today
from divert.web.pages import page

PAGE_SIZE = 25


def _form(request: HttpRequest) -> CaseloadFilterForm:
    data = request.GET.copy()
    lead = supervises(request.user)
    if not lead and not data.get("f"):
        data["mine"] = "on"  # a case manager starts from their own caseload
    return CaseloadFilterForm(data, user=request.user, supervises=lead)


def _manager_options(form: CaseloadFilterForm, chosen: str) -> str:
    # Built here, not by the widget: a site may have hundreds of case managers, and the
    # widget renders a template per option.
    people = form.fields["case_manager"].queryset.values_list(
        "pk", "first_name", "last_name", "username"
    )
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (pk, mark_safe(" selected") if str(pk) == chosen else "", f"{a} {b}".strip() or u)
            for pk, a, b, u in people
        ),
    )


@page((Action.VIEW, Kind.ENROLLMENT))
def caseload(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    context = {"form": form, "page": None, "supervises": supervises(request.user)}
    if "case_manager" in form.fields:
        context["manager_options"] = _manager_options(form, request.GET.get("case_manager", ""))
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
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime(timezone.now()).strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="caseload-{stamp}.csv"'
    caseload_csv_write(user=request.user, filters=form.filters(), out=response)
    return response
