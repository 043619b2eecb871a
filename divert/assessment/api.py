"""Assessments and reassessments in the API: the same services and checks as the pages."""

import datetime
from typing import Any

from ninja import Field, Router, Schema, Status

from divert.access import Action, Kind, require
from divert.apitypes import Day
from divert.assessment import selectors, services
from divert.assessment.instrument import QuestionType
from divert.casework.selectors import enrollment_get

router = Router(tags=["assessment"])

# Answers are checked against the instrument by the service; this bounds the request itself.
AnswerValue = str | bool | float | list[str] | None


class ChoiceOut(Schema):
    key: str
    label: str


class QuestionOut(Schema):
    key: str
    section: str
    text: str
    type: QuestionType
    choices: list[ChoiceOut]
    required: bool
    health: bool


class SectionOut(Schema):
    key: str
    title: str


class InstrumentOut(Schema):
    id: str
    version: str
    title: str
    sections: list[SectionOut]
    questions: list[QuestionOut]


class AnswerOut(Schema):
    section: str
    question: str
    value: Any
    health: bool


class AssessmentOut(Schema):
    id: int
    enrollment_id: int
    instrument: str
    taken_on: datetime.date
    answers: list[AnswerOut]


class AssessmentIn(Schema):
    taken_on: Day
    answers: dict[str, AnswerValue] = Field(max_length=200)


class ReassessmentOut(Schema):
    id: int
    enrollment_id: int
    taken_on: datetime.date
    occasion: str
    housing: str
    employment: str
    income_benefits: list[str]


class ReassessmentIn(Schema):
    taken_on: Day
    housing: str = Field(max_length=20)
    employment: str = Field(max_length=20)
    income_benefits: list[str] = Field(default_factory=list, max_length=20)


def _out(user: Any, assessment) -> dict:
    return {
        "id": assessment.pk,
        "enrollment_id": assessment.enrollment_id,
        "instrument": str(assessment.instrument),
        "taken_on": assessment.taken_on,
        "answers": selectors.answers_for(user=user, assessment=assessment),
    }


@router.get("/instrument", response=InstrumentOut, summary="Your site's assessment instrument")
def instrument_detail(request):
    require(request.user, Action.CREATE, Kind.ASSESSMENT, audit=False)  # no person in it
    row, instrument = services.instrument_active(jurisdiction=request.user.jurisdiction)
    return {
        "id": instrument.id,
        "version": str(instrument.version),
        "title": instrument.title,
        "sections": instrument.sections,
        "questions": [
            {**q.model_dump(), "health": instrument.is_health(q.key)} for q in instrument.questions
        ],
    }


@router.get("/enrollments/{int:enrollment_id}/assessments", response=list[AssessmentOut])
def assessment_list(request, enrollment_id: int):
    found = selectors.assessment_list(user=request.user, enrollment_id=enrollment_id)
    return [_out(request.user, a) for a in found.prefetch_related("answers")[:100]]


@router.post("/enrollments/{int:enrollment_id}/assessments", response={201: AssessmentOut})
def assessment_create(request, enrollment_id: int, payload: AssessmentIn):
    enrollment = enrollment_get(user=request.user, enrollment_id=enrollment_id)
    assessment = services.assessment_create(
        user=request.user, enrollment=enrollment, taken_on=payload.taken_on, answers=payload.answers
    )
    return Status(201, _out(request.user, assessment))


@router.get("/assessments/{int:assessment_id}", response=AssessmentOut)
def assessment_detail(request, assessment_id: int):
    assessment = selectors.assessment_get(user=request.user, assessment_id=assessment_id)
    return _out(request.user, assessment)


@router.get("/enrollments/{int:enrollment_id}/reassessments", response=list[ReassessmentOut])
def reassessment_list(request, enrollment_id: int):
    return list(selectors.reassessment_list(user=request.user, enrollment_id=enrollment_id))


@router.post("/enrollments/{int:enrollment_id}/reassessments", response={201: ReassessmentOut})
def reassessment_create(request, enrollment_id: int, payload: ReassessmentIn):
    enrollment = enrollment_get(user=request.user, enrollment_id=enrollment_id)
    made = services.reassessment_create(
        user=request.user,
        enrollment=enrollment,
        taken_on=payload.taken_on,
        housing=payload.housing,
        employment=payload.employment,
        income_benefits=payload.income_benefits,
    )
    return Status(201, made)
