"""Assessment pages: the instrument's form, one assessment's answers, the monthly measures."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from divert.access import Action, Kind, require
from divert.assessment import measures, selectors, services
from divert.assessment.forms import AssessmentForm, ReassessmentForm
from divert.casework.selectors import enrollment_get
from divert.errors import field_errors
from divert.jurisdictions.clock import site_today


def _apply(form, exc: ValidationError) -> None:
    for error in field_errors(exc):
        field = error["field"].removeprefix("answers.")
        form.add_error(field if field in form.fields else None, error["message"])


@login_required
def assessment_new(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    enrollment = enrollment_get(user=request.user, enrollment_id=enrollment_id)
    require(request.user, Action.CREATE, Kind.ASSESSMENT, enrollment)
    _, instrument = services.instrument_active(jurisdiction=enrollment.jurisdiction)
    form = AssessmentForm(
        request.POST or None,
        instrument=instrument,
        initial={"taken_on": site_today(enrollment.jurisdiction)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            made = services.assessment_create(
                user=request.user,
                enrollment=enrollment,
                taken_on=form.cleaned_data["taken_on"],
                answers=form.answers(),
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            return redirect("assessment", assessment_id=made.pk)
    return render(
        request,
        "assessment/new.html",
        {
            "enrollment": enrollment,
            "person": enrollment.person,
            "form": form,
            "instrument": instrument,
        },
        status=422 if form.errors else 200,
    )


@login_required
def assessment_detail(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = selectors.assessment_get(user=request.user, assessment_id=assessment_id)
    instrument = services.instrument_of(assessment.instrument)
    answers = selectors.answers_for(user=request.user, assessment=assessment)
    sections = []
    for section in instrument.sections:
        rows = [
            (instrument.question(a.question).text, _shown(instrument, a), a.health)
            for a in answers
            if a.section == section.key
        ]
        if rows:
            sections.append({"title": section.title, "rows": rows})
    return render(
        request,
        "assessment/detail.html",
        {"assessment": assessment, "person": assessment.enrollment.person, "sections": sections},
    )


def _shown(instrument, answer) -> str:
    q = instrument.question(answer.question)
    labels = {c.key: c.label for c in q.choices}
    value = answer.value
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(labels.get(v, v) for v in value)
    return str(labels.get(value, value)) if isinstance(value, str) else f"{value:g}"


@login_required
def assessments(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    """The enrollment's assessments and its reassessments over time, with the short form."""
    found = list(selectors.assessment_list(user=request.user, enrollment_id=enrollment_id))
    rows = list(selectors.reassessment_list(user=request.user, enrollment_id=enrollment_id))
    enrollment = enrollment_get(user=request.user, enrollment_id=enrollment_id)
    form = ReassessmentForm(
        request.POST or None, initial={"taken_on": site_today(enrollment.jurisdiction)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.reassessment_create(
                user=request.user, enrollment=enrollment, **form.cleaned_data
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            return redirect("assessments", enrollment_id=enrollment.pk)
    housing, work, income = (
        dict(m) for m in (measures.HOUSING, measures.EMPLOYMENT, measures.INCOME)
    )
    table = [
        {
            "taken_on": r.taken_on,
            "occasion": r.get_occasion_display(),
            "housing": housing.get(r.housing, r.housing),
            "employment": work.get(r.employment, r.employment),
            "income": ", ".join(income.get(c, c) for c in r.income_benefits) or "—",
        }
        for r in rows
    ]
    return render(
        request,
        "assessment/list.html",
        {
            "enrollment": enrollment,
            "person": enrollment.person,
            "assessments": found,
            "reassessments": table,
            "form": form,
        },
        status=422 if form.errors else 200,
    )
