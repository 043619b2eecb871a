"""Survey pages: the site's surveys and their results (staff), entering a response (staff),
and the public answer page the survey's link opens (no account)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from divert.access import Action, Kind, can, permitted
from divert.casework.forms import errors_onto, fresh_id
from divert.casework.selectors import enrollment_list
from divert.jurisdictions.clock import site_today
from divert.jurisdictions.models import Area
from divert.surveys import selectors, services
from divert.surveys.forms import AnswerForm, EnterForm, SurveyForm
from divert.surveys.instrument import RESPONDENTS, SurveyInstrumentError, available
from divert.web.pages import page

ANSWERED_COOKIE = "divert-survey-answered"
COOKIE_DAYS = 365


def _answer_errors(form, exc: ValidationError) -> None:
    # The service names answers "answers.<item>"; the form's fields are the item keys.
    for field, problems in exc.message_dict.items():
        name = field.removeprefix("answers.")
        form.add_error(name if name in form.fields else None, problems)


def _instruments() -> dict:
    try:
        return available()
    except SurveyInstrumentError:
        return {}  # the service names the broken file when someone opens a survey


@page((Action.VIEW, Kind.SURVEY))
def survey_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = None
    if can(user, Action.CREATE, Kind.SURVEY):
        areas = Area.objects.filter(jurisdiction_id=user.jurisdiction_id)
        form = SurveyForm(
            request.POST or None,
            instruments=_instruments(),
            areas=areas,
            initial={"client_id": fresh_id(), "opens_on": site_today(user.jurisdiction)},
        )
        if request.method == "POST" and form.is_valid():
            try:
                survey, _ = services.survey_open(user=user, **form.cleaned_data)
            except ValidationError as exc:
                errors_onto(form, exc)
            else:
                messages.success(request, f"Survey opened: {survey.title}")
                return redirect("survey", survey_id=survey.pk)
    today = site_today(user.jurisdiction)
    surveys = list(selectors.survey_list(user=user)[:200])
    return render(
        request,
        "surveys/list.html",
        {"surveys": surveys, "form": form, "today": today},
        status=422 if form is not None and form.errors else 200,
    )


@page((Action.VIEW, Kind.SURVEY))
def survey_detail(request: HttpRequest, survey_id: int) -> HttpResponse:
    user = request.user
    survey = selectors.survey_get(user=user, survey_id=survey_id)
    today = site_today(survey.jurisdiction)
    link = request.build_absolute_uri(reverse("survey-answer", args=[survey.token]))
    context = {
        "survey": survey,
        "respondents": RESPONDENTS[survey.respondents],
        "open": survey.is_open(today),
        "link": link if survey.anonymous else None,
        "answered": selectors.response_count(survey),
        "results": selectors.survey_results(user=user, survey=survey),
        "enters": can(user, Action.CREATE, Kind.SURVEY_RESPONSE),  # the survey is of their site
        "closes": can(user, Action.CHANGE, Kind.SURVEY, survey) and survey.is_open(today),
    }
    return render(request, "surveys/detail.html", context)


@require_POST
@page((Action.CHANGE, Kind.SURVEY))
def survey_close(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = selectors.survey_get(user=request.user, survey_id=survey_id)
    try:
        services.survey_close(user=request.user, survey=survey)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Survey closed: the link takes no more answers.")
    return redirect("survey", survey_id=survey.pk)


@page((Action.VIEW, Kind.SURVEY), (Action.CREATE, Kind.SURVEY_RESPONSE))
def survey_enter(request: HttpRequest, survey_id: int) -> HttpResponse:
    user = request.user
    survey = selectors.survey_get(user=user, survey_id=survey_id)
    enrollments = None
    if not survey.anonymous:
        # Only the participants this user may name: the access policy's survey_response rule.
        mine = permitted(
            user, Action.CREATE, Kind.SURVEY_RESPONSE, enrollment_list(user=user)
        ).exclude(status="exited")
        enrollments = mine[:500]
    form = EnterForm(
        request.POST or None,
        instrument=services.instrument_of(survey),
        respondents=survey.respondents,
        enrollments=enrollments,
        initial={"client_id": fresh_id()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.response_enter(
                user=user,
                survey=survey,
                answers=form.answers(),
                enrollment_id=form.cleaned_data.get("enrollment_id"),
                client_id=form.cleaned_data["client_id"],
            )
        except ValidationError as exc:
            _answer_errors(form, exc)
        else:
            messages.success(request, "Response recorded.")
            return redirect("survey", survey_id=survey.pk)
    return render(
        request,
        "surveys/enter.html",
        {"survey": survey, "form": form},
        status=422 if form.errors else 200,
    )


def _answered(request: HttpRequest, survey) -> bool:
    marks = request.get_signed_cookie(ANSWERED_COOKIE, default="", salt="surveys")
    return str(survey.pk) in marks.split(",")


def survey_answer(request: HttpRequest, token: str) -> HttpResponse:
    """The page a survey's link opens: anyone may answer, once per browser, while it is open."""
    survey = selectors.survey_by_token(token)
    if survey is None or not survey.anonymous:
        raise Http404("No such survey.")
    instrument = services.instrument_of(survey)
    context = {"survey": survey, "instrument": instrument, "state": "open"}
    if not survey.is_open(site_today(survey.jurisdiction)):
        context["state"] = "closed"
        return render(request, "surveys/answer.html", context)
    if _answered(request, survey):
        context["state"] = "answered"
        return render(request, "surveys/answer.html", context)
    form = AnswerForm(
        request.POST or None,
        instrument=instrument,
        respondents=survey.respondents,
        initial={"client_id": fresh_id()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.response_by_link(
                token=token, answers=form.answers(), client_id=form.cleaned_data["client_id"]
            )
        except ValidationError as exc:
            _answer_errors(form, exc)
        else:
            context["state"] = "answered"
            response = render(request, "surveys/answer.html", context)
            marks = request.get_signed_cookie(ANSWERED_COOKIE, default="", salt="surveys")
            marks = ",".join(filter(None, [*marks.split(",")[-50:], str(survey.pk)]))
            response.set_signed_cookie(
                ANSWERED_COOKIE,
                marks,
                salt="surveys",
                max_age=COOKIE_DAYS * 86400,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
            return response
    context["form"] = form
    return render(request, "surveys/answer.html", context, status=422 if form.errors else 200)
