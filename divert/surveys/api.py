"""Surveys in the API: the same services, selectors and checks as the pages.

Answers are entered here by staff; the public answers through the survey's link page.
Results are aggregates with small counts hidden, never single responses.
"""

import datetime
import uuid
from typing import Literal

from django.urls import reverse
from ninja import Field, Router, Schema, Status
from pydantic import StrictInt

from divert.apitypes import Day
from divert.jurisdictions.clock import site_today
from divert.surveys import selectors, services
from divert.surveys.models import TITLE_MAX

router = Router(tags=["surveys"])

ONCE = "a resend with the same client_id returns the stored one (200)"


class SurveyOut(Schema):
    id: int
    title: str
    respondents: str
    area_id: int | None
    anonymous: bool
    instrument: str
    opens_on: datetime.date
    closes_on: datetime.date | None
    open: bool
    link: str | None = Field(None, description="The public answer page (anonymous surveys)")

    @staticmethod
    def resolve_instrument(survey) -> str:
        return f"{survey.instrument['id']} v{survey.instrument['version']}"

    @staticmethod
    def resolve_open(survey) -> bool:
        return survey.is_open(site_today(survey.jurisdiction))

    @staticmethod
    def resolve_link(survey, context) -> str | None:
        if not survey.anonymous:
            return None
        return context["request"].build_absolute_uri(reverse("survey-answer", args=[survey.token]))


class MeasureOut(Schema):
    key: str
    title: str
    n: int | None = Field(description="Respondents scored; null when 1 to 10")
    agree: int | None
    share: float | None
    ci_low: float | None
    ci_high: float | None
    suppressed: bool


class SurveyDetailOut(SurveyOut):
    answered: int
    results: list[MeasureOut] | None = Field(
        description="Per measure; null for a role that reads no aggregates"
    )


class SurveyIn(Schema):
    title: str = Field(..., max_length=TITLE_MAX)
    respondents: Literal["participant", "officer", "community"]
    instrument: str = Field("police-legitimacy", max_length=80)
    opens_on: Day
    closes_on: Day | None = None
    area_id: int | None = None
    anonymous: bool = True
    client_id: uuid.UUID | None = None


class CloseIn(Schema):
    closes_on: Day | None = None


class ResponseIn(Schema):
    # Strict: JSON true is not the answer 1.
    answers: dict[str, StrictInt | None] = Field(
        ..., description="item key: a whole number 1..scale length, or null"
    )
    enrollment_id: int | None = Field(None, description="Named surveys only")
    client_id: uuid.UUID | None = None


class ResponseOut(Schema):
    id: int
    survey_id: int
    answered_on: datetime.date


def _detail(request, survey):
    survey.answered = selectors.response_count(survey)
    survey.results = selectors.survey_results(user=request.user, survey=survey)
    return survey


@router.get("", response=list[SurveyOut], summary="The site's surveys, newest first")
def survey_list(request):
    return list(selectors.survey_list(user=request.user).select_related("jurisdiction")[:200])


@router.post(
    "", response={201: SurveyDetailOut, 200: SurveyDetailOut}, summary=f"Open a survey; {ONCE}"
)
def survey_open(request, payload: SurveyIn):
    survey, new = services.survey_open(user=request.user, **payload.dict())
    return Status(201 if new else 200, _detail(request, survey))


@router.get("/{int:survey_id}", response=SurveyDetailOut, summary="A survey and its results")
def survey_detail(request, survey_id: int):
    return _detail(request, selectors.survey_get(user=request.user, survey_id=survey_id))


@router.post(
    "/{int:survey_id}/close", response=SurveyDetailOut, summary="Close it (today by default)"
)
def survey_close(request, survey_id: int, payload: CloseIn):
    survey = selectors.survey_get(user=request.user, survey_id=survey_id)
    services.survey_close(user=request.user, survey=survey, closes_on=payload.closes_on)
    return _detail(request, survey)


@router.post(
    "/{int:survey_id}/responses",
    response={201: ResponseOut, 200: ResponseOut},
    summary=f"Enter a response (paper, or with a case manager); {ONCE}",
)
def response_enter(request, survey_id: int, payload: ResponseIn):
    survey = selectors.survey_get(user=request.user, survey_id=survey_id)
    response, new = services.response_enter(user=request.user, survey=survey, **payload.dict())
    return Status(201 if new else 200, response)
