"""Opening, closing and answering surveys. Pages and the API call these alone.

Every write checks the access policy and the site and validates every field before it
writes. An answer through the public link needs no account: the survey's token is the only
key, and it opens nothing but the survey's own questions.
"""

import datetime
import uuid
from contextlib import nullcontext
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.crypto import salted_hmac

from divert.access import Action, Kind, require
from divert.apitypes import unstorable
from divert.audit.context import acting
from divert.audit.services import audit_record
from divert.casework import once
from divert.casework.models import Enrollment
from divert.jurisdictions.clock import site_today
from divert.jurisdictions.models import Area
from divert.surveys.instrument import (
    RESPONDENTS,
    AnswerError,
    SurveyInstrument,
    SurveyInstrumentError,
    available,
)
from divert.surveys.models import TITLE_MAX, Survey, SurveyResponse

FIRST_DAY = datetime.date(2000, 1, 1)
LAST_DAY = datetime.date(2100, 12, 31)


def instrument_of(survey: Survey) -> SurveyInstrument:
    return SurveyInstrument.model_validate(survey.instrument)


def survey_open(
    *,
    user: Any,
    title: str,
    respondents: str,
    instrument: str,
    opens_on: datetime.date,
    closes_on: datetime.date | None = None,
    area_id: int | None = None,
    anonymous: bool = True,
    client_id: uuid.UUID | None = None,
) -> tuple[Survey, bool]:
    """A new survey of the user's site (or the one this client_id already opened)."""
    require(user, Action.CREATE, Kind.SURVEY)
    site = user.jurisdiction
    earlier = once.made_before(Survey, client_id, {"jurisdiction": site})
    if earlier is not None:
        return earlier, False
    problems: dict[str, str] = {}
    title = (title or "").strip()
    if not title:
        problems["title"] = "Give the survey a title."
    elif len(title) > TITLE_MAX or unstorable(title):
        problems["title"] = f"Use at most {TITLE_MAX} characters of plain text."
    if respondents not in RESPONDENTS:
        problems["respondents"] = "Choose participants, officers or community members."
    try:
        instruments = available()
    except SurveyInstrumentError as exc:  # a broken file on the server: say which
        instruments = {}
        problems["instrument"] = f"The survey instruments cannot be read: {exc}"
    chosen = instruments.get(instrument)
    if chosen is None and "instrument" not in problems:
        problems["instrument"] = f"Unknown instrument {instrument!r}; choose one of the list."
    elif chosen is not None and respondents in RESPONDENTS and not chosen.items_for(respondents):
        problems["respondents"] = (
            f"This instrument asks {RESPONDENTS[respondents].lower()} nothing."
        )
    for name, day in (("opens_on", opens_on), ("closes_on", closes_on)):
        if day is not None and not FIRST_DAY <= day <= LAST_DAY:
            problems[name] = "Give a date between 2000 and 2100."
    if closes_on is not None and "opens_on" not in problems and closes_on < opens_on:
        problems["closes_on"] = "The survey cannot close before it opens."
    if not anonymous and respondents != "participant":
        # Officers and neighbours answer through a link: nobody could name them honestly.
        problems["anonymous"] = "Only a survey of participants can record who answered."
    area = None
    if area_id is not None:
        area = Area.objects.filter(jurisdiction=site, pk=area_id).first()
        if area is None:
            problems["area_id"] = "No such area at this site."
    if problems:
        raise ValidationError(problems)
    survey = Survey(
        jurisdiction=site,
        title=title,
        respondents=respondents,
        instrument=chosen.model_dump(mode="json"),
        opens_on=opens_on,
        closes_on=closes_on,
        area=area,
        anonymous=anonymous,
        created_by=user,
        client_id=client_id,
    )
    made = once.save_once(survey, {"jurisdiction": site})
    return made, made is survey


def survey_close(*, user: Any, survey: Survey, closes_on: datetime.date | None = None) -> Survey:
    """Close the survey on `closes_on` (the site's today by default); earlier answers stay."""
    require(user, Action.CHANGE, Kind.SURVEY, survey)
    today = site_today(survey.jurisdiction)
    closes_on = closes_on or today
    if closes_on < survey.opens_on:
        raise ValidationError({"closes_on": "The survey cannot close before it opens."})
    if not FIRST_DAY <= closes_on <= LAST_DAY:
        raise ValidationError({"closes_on": "Give a date between 2000 and 2100."})
    if survey.closes_on != closes_on:
        survey.closes_on = closes_on
        survey.save(update_fields=["closes_on"])
    return survey


def _answers_checked(survey: Survey, answers: Any) -> tuple[dict, dict]:
    if not isinstance(answers, dict):
        raise ValidationError({"answers": "Send the answers as an object of item: number."})
    instrument = instrument_of(survey)
    try:
        clean = instrument.check_answers(survey.respondents, answers)
    except AnswerError as exc:
        raise ValidationError(
            {f"answers.{k}" if k != "answers" else k: v for k, v in exc.problems.items()}
        ) from None
    return clean, instrument.scores(survey.respondents, clean)


def _still_open(survey: Survey) -> datetime.date:
    today = site_today(survey.jurisdiction)
    if not survey.is_open(today):
        raise ValidationError({"survey": "This survey is not open for answers today."})
    return today


def response_by_link(
    *, token: str, answers: Any, client_id: uuid.UUID | None = None
) -> tuple[SurveyResponse, bool]:
    """Answers given through the survey's link, by someone the program does not know."""
    survey = Survey.objects.select_related("jurisdiction").filter(token=token).first()
    if survey is None:
        raise ValidationError({"survey": "No such survey."})
    if not survey.anonymous:
        raise ValidationError({"survey": "This survey is taken with a case manager."})
    key = scoped_key(client_id, "link")
    return _record(survey, answers, SurveyResponse.Channel.LINK, None, None, key)


def response_enter(
    *,
    user: Any,
    survey: Survey,
    answers: Any,
    enrollment_id: int | None = None,
    client_id: uuid.UUID | None = None,
) -> tuple[SurveyResponse, bool]:
    """Answers entered by staff: read off a paper form, or given to a case manager.

    A named response is only for a participant the access policy lets this user name (the
    case manager's own open caseload), and one per participant per survey."""
    require(user, Action.VIEW, Kind.SURVEY, survey)
    require(user, Action.CREATE, Kind.SURVEY_RESPONSE)
    person = None
    if survey.anonymous:
        if enrollment_id is not None:
            raise ValidationError({"enrollment_id": "This survey is anonymous: name no one."})
    else:
        if enrollment_id is None:
            raise ValidationError({"enrollment_id": "Choose the participant who answered."})
        enrollment = Enrollment.objects.filter(
            jurisdiction_id=survey.jurisdiction_id, pk=enrollment_id
        ).first()
        if enrollment is None:
            raise ValidationError({"enrollment_id": "No such participant at this site."})
        require(user, Action.CREATE, Kind.SURVEY_RESPONSE, enrollment)
        require(user, Action.VIEW, Kind.ENROLLMENT, enrollment)
        person = enrollment.person
    key = scoped_key(client_id, f"user:{user.pk}")
    return _record(survey, answers, SurveyResponse.Channel.STAFF, user, person, key)


def scoped_key(client_id: uuid.UUID | None, scope: str) -> uuid.UUID | None:
    """The stored retry key: the client's id keyed to who sent it (a staff account, or the
    public link), so another account resending the same id makes its own response and never
    gets someone else's back. A keyed hash: the stored key names no one."""
    if client_id is None:
        return None
    digest = salted_hmac("divert.surveys.client_id", f"{scope}:{client_id}").digest()
    return uuid.UUID(bytes=digest[:16])


def _answered_already() -> ValidationError:
    return ValidationError(
        {
            "enrollment_id": "This participant has already answered this survey: "
            "a named survey takes one response per participant."
        }
    )


def _record(survey, answers, channel, user, person, client_id) -> tuple[SurveyResponse, bool]:
    parent = {"survey": survey}
    earlier = once.made_before(SurveyResponse, client_id, parent)
    if earlier is not None:
        return earlier, False
    today = _still_open(survey)
    clean, scores = _answers_checked(survey, answers)
    named = SurveyResponse.objects.filter(survey=survey, person=person)
    if person is not None and named.exists():
        raise _answered_already()
    response = SurveyResponse(
        survey=survey,
        answered_on=today,
        channel=channel,
        answers=clean,
        scores=scores,
        person=person,
        client_id=client_id,
    )
    with transaction.atomic():
        try:
            made = once.save_once(response, parent)
        except IntegrityError:
            # A twin entry for the same participant won the race (the database's
            # one-per-participant constraint).
            if person is not None and named.exists():
                raise _answered_already() from None
            raise
        if made is response:
            # An anonymous answer is recorded against its survey, not its own row: the trail
            # must not tie a staff member's entry (or a moment) to one set of answers.
            with acting(origin="") if person is None else nullcontext():
                audit_record(
                    action="create",
                    kind=Kind.SURVEY_RESPONSE.value,
                    object_id=response.pk if person is not None else survey.pk,
                    jurisdiction_id=survey.jurisdiction_id,
                    outcome="success",
                    user=user,
                    detail={"survey": survey.pk, "channel": channel},
                )
    return made, made is response
