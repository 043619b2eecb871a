"""Writing assessments: loading a site's instrument, recording answers and reassessments."""

import datetime
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from divert.access import Action, Kind, require
from divert.assessment import measures
from divert.assessment.instrument import (
    AnswerError,
    Instrument,
    InstrumentError,
    parse_instrument,
)
from divert.assessment.models import Answer, Assessment, AssessmentInstrument, Reassessment
from divert.audit.services import audit_record
from divert.casework import lifecycle
from divert.casework.models import Enrollment
from divert.jurisdictions.clock import site_today
from divert.jurisdictions.models import Jurisdiction
from divert.jurisdictions.site_files import file_refusal, version_activate
from divert.paths import BASE_DIR

DEFAULT_INSTRUMENT = BASE_DIR / "instruments" / "default.toml"


@transaction.atomic
def instrument_load(
    *, jurisdiction: Jurisdiction, text: str, source: str = "", user: Any = None
) -> AssessmentInstrument:
    """Parse and activate an instrument version; a broken file is refused, the active one
    stays. A stored version is never overwritten with different text."""
    if user is not None:
        require(user, Action.CREATE, Kind.CONFIGURATION, jurisdiction)
    try:
        instrument = parse_instrument(text, source=source or "<instrument>")
    except InstrumentError as exc:
        raise file_refusal(exc, "instrument") from None
    row, _ = version_activate(
        AssessmentInstrument,
        jurisdiction=jurisdiction,
        key_field="instrument_id",
        key=instrument.id,
        version=str(instrument.version),
        text=text,
        source=source,
        user=user,
        noun="instrument",
    )
    audit_record(
        action="instrument_load",
        kind="configuration",
        object_id=row.pk,
        jurisdiction_id=jurisdiction.pk,
        outcome="success",
        user=user,
        detail={"instrument_id": row.instrument_id, "version": row.version, "source": source},
    )
    return row


@lru_cache(maxsize=64)
def _parsed(pk: int, instrument_id: str, version: str) -> Instrument:
    # A stored version never changes, so each is parsed once per process.
    return parse_instrument(AssessmentInstrument.objects.values_list("text", flat=True).get(pk=pk))


def instrument_of(row: AssessmentInstrument) -> Instrument:
    return _parsed(row.pk, row.instrument_id, row.version)


def instrument_active(*, jurisdiction: Jurisdiction) -> tuple[AssessmentInstrument, Instrument]:
    """The site's active instrument; divert's default is stored for a site that has none."""
    row = AssessmentInstrument.objects.filter(jurisdiction=jurisdiction, active=True).first()
    if row is None:
        with transaction.atomic():
            row = instrument_load(
                jurisdiction=jurisdiction,
                text=DEFAULT_INSTRUMENT.read_text(encoding="utf-8"),
                source="instruments/default.toml",
            )
    return row, instrument_of(row)


def _check_day(enrollment: Enrollment, day: datetime.date, field: str) -> None:
    if day > site_today(enrollment.jurisdiction):
        raise ValidationError({field: "The date cannot be in the future."})
    if day < enrollment.referred_on:
        raise ValidationError(
            {field: f"The date cannot precede the referral ({enrollment.referred_on:%Y-%m-%d})."}
        )
    if enrollment.status == lifecycle.EXITED:
        raise ValidationError({field: "The enrollment has ended; re-engage the person first."})


@transaction.atomic
def assessment_create(
    *, user: Any, enrollment: Enrollment, taken_on: datetime.date, answers: dict[str, Any]
) -> Assessment:
    """Record an assessment under the site's active instrument. Each answer keeps whether it
    is health information, so the access policy can hide it wherever it is read."""
    require(user, Action.CREATE, Kind.ASSESSMENT, enrollment)
    _check_day(enrollment, taken_on, "taken_on")
    row, instrument = instrument_active(jurisdiction=enrollment.jurisdiction)
    try:
        cleaned = instrument.check_answers(answers)
    except AnswerError as exc:
        raise ValidationError(
            {f"answers.{key}": message for key, message in exc.problems.items()}
        ) from None
    assessment = Assessment.objects.create(
        enrollment=enrollment,
        instrument=row,
        taken_on=taken_on,
        recorded_by=user,
        recorded_at=timezone.now(),
    )
    Answer.objects.bulk_create(
        Answer(
            assessment=assessment,
            section=instrument.question(key).section,
            question=key,
            value=value,
            health=instrument.is_health(key),
        )
        for key, value in cleaned.items()
    )
    return assessment


@transaction.atomic
def reassessment_create(
    *,
    user: Any,
    enrollment: Enrollment,
    taken_on: datetime.date,
    housing: str,
    employment: str,
    income_benefits: list[str],
) -> Reassessment:
    """The short form: the first for an enrollment is its intake measure, the rest monthly."""
    require(user, Action.CREATE, Kind.ASSESSMENT, enrollment)
    _check_day(enrollment, taken_on, "taken_on")
    errors = {}
    if housing not in dict(measures.HOUSING):
        errors["housing"] = f"choose one of: {', '.join(dict(measures.HOUSING))}"
    if employment not in dict(measures.EMPLOYMENT):
        errors["employment"] = f"choose one of: {', '.join(dict(measures.EMPLOYMENT))}"
    unknown = [c for c in income_benefits if c not in measures.INCOME_CODES]
    if unknown:
        errors["income_benefits"] = f"unknown: {', '.join(unknown)}"
    elif "none" in income_benefits and len(set(income_benefits)) > 1:
        errors["income_benefits"] = "'none' cannot go with an income or benefit"
    if errors:
        raise ValidationError(errors)
    # Lock the enrollment so two saves at once cannot both be its intake measure.
    Enrollment.objects.select_for_update().filter(pk=enrollment.pk).first()
    earlier = Reassessment.objects.filter(enrollment=enrollment).exists()
    try:
        with transaction.atomic():
            return Reassessment.objects.create(
                enrollment=enrollment,
                taken_on=taken_on,
                occasion=(
                    Reassessment.Occasion.MONTHLY if earlier else Reassessment.Occasion.INTAKE
                ),
                housing=housing,
                employment=employment,
                income_benefits=[c for c in measures.INCOME_CODES if c in income_benefits],
                recorded_by=user,
                recorded_at=timezone.now(),
            )
    except IntegrityError:
        raise ValidationError(
            {"taken_on": "A reassessment is already recorded for that day."}
        ) from None
