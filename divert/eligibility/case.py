"""The case to screen: what the officer or referrer knows at the moment of referral.

Also the API input schema later, so it refuses unknown keys and unknown codes, and every
error names its field (see divert.eligibility.errors.validation_errors).

>>> case = Case.model_validate({
...     "date": "2026-03-14", "area": "West", "person": {"date_of_birth": "1984-02-29"},
...     "offenses": [{"nibrs": "35a", "activity": "possess", "drug": "heroin", "grams": 2.5}],
...     "flags": ["no_contact_order"]})
>>> case.offenses[0].nibrs, case.person.birth_range
('35A', (datetime.date(1984, 2, 29), datetime.date(1984, 2, 29)))
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from functools import cached_property
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError, ValidationError

from divert.eligibility.vocabulary import (
    Activity,
    Disposition,
    Drug,
    Flag,
    Pathway,
    VerificationSource,
    nibrs_code,
)

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CLOCK = re.compile(r"^(\d{2}):(\d{2})$")
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
EARLIEST = dt.date(1900, 1, 1)


def _iso_date(value: object) -> object:
    # pydantic's lax date parsing also takes Unix timestamps and other shapes; a case
    # date is only ever YYYY-MM-DD.
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        raise ValueError("a date must be written YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a real calendar date") from None


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]


def _clock_time(value: object) -> object:
    # Local time of day at the site, "HH:MM" on the 24-hour clock; nothing else.
    if isinstance(value, dt.time):
        return value.replace(second=0, microsecond=0, tzinfo=None)
    m = _CLOCK.match(value) if isinstance(value, str) else None
    if m is None:
        raise ValueError("a time must be written HH:MM on the 24-hour clock, e.g. 14:30")
    hour, minute = int(m.group(1)), int(m.group(2))
    if hour > 23 or minute > 59:
        raise ValueError(f"{value!r} is not a time of day (00:00 to 23:59)")
    return dt.time(hour, minute)


# Written back as "HH:MM", so a stored case validates again.
ClockTime = Annotated[
    dt.time,
    BeforeValidator(_clock_time),
    PlainSerializer(lambda t: t.strftime("%H:%M"), return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9]$"}),
]
Code = Annotated[str, AfterValidator(nibrs_code)]


def _partial_date(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if not isinstance(value, str):
        raise ValueError("date of birth must be written YYYY, YYYY-MM or YYYY-MM-DD")
    if not _PARTIAL_DATE.match(value):
        raise ValueError("date of birth must be written YYYY, YYYY-MM or YYYY-MM-DD")
    birth_range(value)  # raises for impossible months and days
    return value


def birth_range(value: str) -> tuple[dt.date, dt.date]:
    """Earliest and latest birth dates a possibly partial date of birth allows.

    >>> birth_range("1984-02")
    (datetime.date(1984, 2, 1), datetime.date(1984, 2, 29))
    """
    m = _PARTIAL_DATE.match(value)
    if m is None:
        raise ValueError(f"{value!r} is not a date of birth")
    year, month, day = (int(g) if g else None for g in m.groups())
    try:
        if month is None:
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        if day is None:
            last = calendar.monthrange(year, month)[1]
            return dt.date(year, month, 1), dt.date(year, month, last)
        exact = dt.date(year, month, day)
    except (ValueError, calendar.IllegalMonthError):
        raise ValueError(f"{value!r} is not a real calendar date") from None
    return exact, exact


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Person(_Input):
    date_of_birth: Annotated[str, BeforeValidator(_partial_date)]

    @cached_property
    def birth_range(self) -> tuple[dt.date, dt.date]:
        return birth_range(self.date_of_birth)

    @property
    def is_partial(self) -> bool:
        lo, hi = self.birth_range
        return lo != hi


class Offense(_Input):
    """One instant offense. grams is the weight of drug involved, if any."""

    nibrs: Code
    activity: Activity
    drug: Drug | None = None
    # Above 1 kg is a data-entry error for a diversion screen, not a real case.
    grams: Annotated[float, Field(strict=True, ge=0, le=1000, allow_inf_nan=False)] | None = None
    # Dollar value of property taken or damaged, for property offenses with a value limit.
    value: Annotated[float, Field(strict=True, ge=0, le=1_000_000, allow_inf_nan=False)] | None = (
        None
    )


class HistoryEntry(_Input):
    nibrs: Code
    disposition: Disposition
    date: IsoDate
    # The offense was committed against a family or household member (domestic violence).
    # None (not recorded) reads as no.
    domestic_violence: bool | None = None


class VerifiedActivity(_Input):
    """Known low-level drug or sex-work activity, verified, for social-contact referrals."""

    date: IsoDate
    area: str | None = None
    nibrs: Code | None = None
    # How it was verified. None: divert's own records (earlier police contacts).
    source: VerificationSource | None = None

    @property
    def verified_by(self) -> str:
        return self.source or "records"


class Case(_Input):
    date: IsoDate
    # Local time at the site, for green-light windows; None: not checked.
    time: ClockTime | None = None
    area: str | None = None
    pathway: Pathway | None = None
    person: Person
    offenses: list[Offense] = Field(default=[], max_length=50)
    history: list[HistoryEntry] = Field(default=[], max_length=1000)
    flags: list[Flag] = Field(default=[], max_length=20)
    verified_activity: list[VerifiedActivity] = Field(default=[], max_length=1000)
    # The officer's judgment that the person is amenable to diversion. Recorded, never a
    # rule: missed-diversion analysis separates it from the criteria. None: not recorded.
    amenable: bool | None = None

    @model_validator(mode="after")
    def _dates_make_sense(self) -> Case:
        if self.date < EARLIEST:
            raise _field_error("date", "case date is before 1900")
        lo, _ = self.person.birth_range
        if lo < EARLIEST:
            raise _field_error("person.date_of_birth", "date of birth is before 1900")
        if lo > self.date:
            raise _field_error("person.date_of_birth", "date of birth is after the case date")
        for name, items in (
            ("history", self.history),
            ("verified_activity", self.verified_activity),
        ):
            for i, item in enumerate(items):
                if item.date > self.date:
                    raise _field_error(f"{name}.{i}.date", "date is after the case date")
        return self


def _field_error(field: str, message: str) -> ValidationError:
    # Raised from the whole-case check, but located at the field so callers can show it.
    loc = tuple(int(p) if p.isdigit() else p for p in field.split("."))
    detail = InitErrorDetails(type=PydanticCustomError("case_dates", message), loc=loc, input=None)
    return ValidationError.from_exception_data("Case", [detail])
