"""The eligibility policy: one site's published criteria, as a validated model.

A policy is data (see policies/*.toml and docs/policy-file.md). These models refuse
unknown keys and out-of-range values; divert.eligibility.loading turns their errors
into messages that name the key and its line in the file.

>>> p = Policy.model_validate({
...     "id": "demo", "version": 1, "jurisdiction": "Demo", "effective": "2024-01-01",
...     "offenses": {"eligible": ["35A"], "activities": ["possess"]},
...     "drugs": {"max_grams": 3}, "intake": {"deadline_days": 30},
...     "pathways": {"open": ["arrest_diversion"]}})
>>> p.drugs.max_grams, p.person.min_age
(3.0, 18)
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cached_property
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError, ValidationError

from divert import nibrs
from divert.eligibility.vocabulary import (
    FAMILIES,
    Activity,
    Counts,
    Drug,
    OrderFlag,
    Pathway,
    SupervisionRule,
    VerificationSource,
    Weekday,
    nibrs_code,
)

Code = Annotated[str, AfterValidator(nibrs_code)]
# 1 kg is far beyond any LEAD threshold; a bigger number is a typo, not a policy.
Grams = Annotated[float, Field(strict=True, gt=0, le=1000, allow_inf_nan=False)]
Name = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)]


def _family(value: str) -> str:
    if value not in FAMILIES:
        raise ValueError(f"unknown offense family {value!r}; known: {', '.join(sorted(FAMILIES))}")
    return value


Family = Annotated[str, AfterValidator(_family)]


def _unique(values: list) -> list:
    seen = set()
    for v in values:
        if v in seen:
            raise ValueError(f"{v!r} is listed twice")
        seen.add(v)
    return values


def _clock(value: object) -> int:
    """ "HH:MM" -> minutes after midnight; "24:00" is the end of the day."""
    if not isinstance(value, str) or not re.fullmatch(r"\d{2}:\d{2}", value):
        raise ValueError('a time must be written "HH:MM" on the 24-hour clock, e.g. "07:00"')
    hour, minute = int(value[:2]), int(value[3:])
    if hour > 24 or minute > 59 or (hour == 24 and minute):
        raise ValueError(f"{value!r} is not a time of day (00:00 to 24:00)")
    return hour * 60 + minute


def _located(title: str, problems: list[tuple[tuple, str]]) -> ValidationError:
    """A ValidationError placed at given keys (a whole-policy check names the key at fault)."""
    details = [
        InitErrorDetails(type=PydanticCustomError("policy", message), loc=loc, input=None)
        for loc, message in problems
    ]
    return ValidationError.from_exception_data(title, details)


def _version(value: object) -> int | str:
    # One readable error for both spellings instead of pydantic's per-union-member pair.
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    if isinstance(value, str) and re.fullmatch(r"[0-9A-Za-z][0-9A-Za-z.-]{0,29}", value):
        return value
    raise ValueError('version must be a positive integer or a string such as "2011.1"')


class _Table(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Condition(_Table):
    """Own conditions for some eligible codes, e.g. shoplifting up to a value."""

    codes: Annotated[list[Code], AfterValidator(_unique), Field(min_length=1)]
    # Replaces offenses.activities for these codes (property offenses are "other").
    activities: Annotated[list[Activity], AfterValidator(_unique), Field(min_length=1)] | None = (
        None
    )
    # Dollar value of the property; above it the offense is not eligible.
    max_value: Annotated[float, Field(strict=True, gt=0, le=1_000_000)] | None = None
    note: str = ""


class Offenses(_Table):
    """Which instant offenses and activities a referral can be for."""

    eligible: Annotated[list[Code], AfterValidator(_unique), Field(min_length=1)]
    excluded: Annotated[list[Code], AfterValidator(_unique)] = []
    activities: Annotated[list[Activity], AfterValidator(_unique), Field(min_length=1)]
    conditions: list[Condition] = []

    @model_validator(mode="after")
    def _consistent(self) -> Offenses:
        problems = [
            (("excluded", i), f"{code} is both eligible and excluded")
            for i, code in enumerate(self.excluded)
            if code in self.eligible
        ]
        seen: dict[str, int] = {}
        for n, cond in enumerate(self.conditions):
            for i, code in enumerate(cond.codes):
                where = ("conditions", n, "codes", i)
                if code not in self.eligible:
                    problems.append((where, f"{code} has conditions but is not eligible"))
                elif code in seen:
                    problems.append((where, f"{code} already has conditions[{seen[code]}]"))
                seen.setdefault(code, n)
        if problems:
            raise _located("Offenses", problems)
        return self


class Drugs(_Table):
    """Quantity limits. A drug with its own limit is weighed alone, not in the total."""

    max_grams: Grams
    # true: "3 grams or less"; false: "less than 3 grams" (the limit itself is over).
    max_grams_inclusive: bool = True
    max_grams_by_drug: dict[Drug, Grams] = {}
    excluded_from_count: Annotated[list[Drug], AfterValidator(_unique)] = []
    # Only these drugs are diverted (Santa Fe: opiates); None: every drug.
    eligible: Annotated[list[Drug], AfterValidator(_unique), Field(min_length=1)] | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Drugs:
        problems = []
        for drug in self.max_grams_by_drug:
            if drug in self.excluded_from_count:
                problems.append(
                    (("max_grams_by_drug", drug), f"{drug} has a limit but is not weighed")
                )
        if self.eligible is not None:
            for drug in self.max_grams_by_drug:
                if drug not in self.eligible:
                    problems.append(
                        (("max_grams_by_drug", drug), f"{drug} has a limit but is not eligible")
                    )
            for i, drug in enumerate(self.excluded_from_count):
                if drug not in self.eligible:
                    problems.append(
                        (("excluded_from_count", i), f"{drug} is not weighed but is not eligible")
                    )
        if problems:
            raise _located("Drugs", problems)
        return self


class Sales(_Table):
    exclude_sale_to_minor: bool = True
    exclude_school_zone: bool = False


class Person(_Table):
    min_age: Annotated[int, Field(strict=True, ge=0, le=120)] = 18


class Exclusions(_Table):
    exploitation_of_minors: bool = True
    # Exploiting adults too (Seattle: "exploits others/minors").
    exploitation_of_adults: bool = False
    open_violent_case: bool = False
    open_weapons_case: bool = False
    # Any no-contact order, every pathway. [orders] scopes orders more finely.
    no_contact_order: bool = False
    confidential_informant: bool = False
    # A pending case in drug court or mental-health court (Cal. §1001.87(a)(2)(D)).
    pending_specialty_court: bool = False


class Orders(_Table):
    """Protective orders that bar referral: which kinds, on which pathways, protecting whom."""

    kinds: Annotated[list[OrderFlag], AfterValidator(_unique)] = []
    # The pathways the order closes; empty: every pathway (the order excludes).
    pathways: Annotated[list[Pathway], AfterValidator(_unique)] = []
    # Only an order barring contact with a current participant (flag order_protects_participant).
    only_protecting_participant: bool = False


class Window(_Table):
    """A green-light window: the days and times (and areas) when diversion is possible."""

    days: Annotated[list[Weekday], AfterValidator(_unique), Field(min_length=1)]
    start: str
    end: str
    areas: Annotated[list[str], AfterValidator(_unique)] = []
    pathways: Annotated[list[Pathway], AfterValidator(_unique), Field(min_length=1)] = [
        "arrest_diversion"
    ]

    @model_validator(mode="after")
    def _real_window(self) -> Window:
        problems = []
        for key in ("start", "end"):
            try:
                _clock(getattr(self, key))
            except ValueError as exc:
                problems.append(((key,), str(exc)))
        if not problems and self.end_minute <= self.start_minute:
            problems.append(
                (("end",), f"end {self.end} is not after start {self.start}; a window that "
                 "crosses midnight is written as two windows, the first ending at 24:00")
            )  # fmt: skip
        if problems:
            raise _located("Window", problems)
        return self

    @property
    def start_minute(self) -> int:
        return _clock(self.start)

    @property
    def end_minute(self) -> int:
        return _clock(self.end)


class Officer(_Table):
    # The site asks officers to record whether the person is "amenable to diversion" (Seattle).
    # A judgment, never a rule: a "no" is a note, so missed-diversion analysis can separate it.
    amenability: bool = False


class ExitReason(_Table):
    """An exit reason the site defines, beside divert's own (Santa Fe: committee termination)."""

    name: Name
    label: Annotated[str, Field(min_length=1, max_length=200)]
    decided_by: str = ""


class Supervision(_Table):
    probation: SupervisionRule = "allowed"
    parole: SupervisionRule = "allowed"


class Approval(_Table):
    prosecutor: bool = False


class Intake(_Table):
    deadline_days: Annotated[int, Field(strict=True, ge=1, le=365)]
    release_of_information: bool = False


class SocialContact(_Table):
    verified_within_months: Annotated[int, Field(strict=True, ge=1, le=120)] = 24
    in_program_area: bool = True
    # How earlier activity may be verified; activity verified otherwise does not count.
    sources: Annotated[list[VerificationSource], AfterValidator(_unique), Field(min_length=1)] = [
        "records",
        "observation",
        "reliable_information",
    ]


class Pathways(_Table):
    open: Annotated[list[Pathway], AfterValidator(_unique), Field(min_length=1)]
    social_contact: SocialContact = SocialContact()


class HistoryRule(_Table):
    """Prior offenses that disqualify. No within_years means no time limit."""

    name: Name
    codes: Annotated[list[Code], AfterValidator(_unique)] = []
    families: Annotated[list[Family], AfterValidator(_unique)] = []
    except_codes: Annotated[list[Code], AfterValidator(_unique)] = []
    within_years: Annotated[int, Field(strict=True, ge=1, le=100)] | None = None
    counts: Counts = "convicted"
    # Only entries marked domestic_violence count; with no codes or families, any code.
    domestic_violence: bool = False
    note: str = ""

    @model_validator(mode="after")
    def _names_something(self) -> HistoryRule:
        if not self.codes and not self.families and not self.domestic_violence:
            raise ValueError(f"history rule {self.name!r} names no codes and no families")
        return self


@dataclass(frozen=True)
class CompiledHistoryRule:
    rule_id: str
    codes: frozenset[str] | None  # None: any code (a domestic-violence-only rule)
    within_years: int | None
    any_disposition: bool
    domestic_violence: bool
    label: str


@dataclass(frozen=True)
class CompiledCondition:
    activities: frozenset[str] | None
    max_value: float | None


@dataclass(frozen=True)
class Compiled:
    """Sets and lookups precomputed once per policy so screening stays cheap."""

    eligible_codes: frozenset[str]
    excluded_codes: frozenset[str]
    activities: frozenset[str]
    uncounted_drugs: frozenset[str]
    drug_limits: dict[str, float]
    open_pathways: tuple[str, ...]
    program_areas: frozenset[str]
    history: tuple[CompiledHistoryRule, ...]
    conditions: dict[str, CompiledCondition]
    eligible_drugs: frozenset[str] | None
    order_kinds: frozenset[str]
    order_pathways: tuple[str, ...]  # empty: the order excludes
    windows: tuple[Window, ...]
    window_pathways: frozenset[str]
    verification_sources: frozenset[str]


class Policy(_Table):
    """One version of one site's eligibility criteria."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=60)]
    version: Annotated[int | str, BeforeValidator(_version)]
    jurisdiction: Annotated[str, Field(min_length=1)]
    effective: dt.date
    sources: list[str] = []
    program_areas: Annotated[list[str], AfterValidator(_unique)] = []
    offenses: Offenses
    drugs: Drugs
    sales: Sales = Sales()
    person: Person = Person()
    exclusions: Exclusions = Exclusions()
    supervision: Supervision = Supervision()
    approval: Approval = Approval()
    orders: Orders = Orders()
    officer: Officer = Officer()
    intake: Intake
    pathways: Pathways
    green_light: list[Window] = []
    history: list[HistoryRule] = []
    exit_reasons: list[ExitReason] = []

    @model_validator(mode="after")
    def _consistent(self) -> Policy:
        problems: list[tuple[tuple, str]] = []
        for key, items in (("history", self.history), ("exit_reasons", self.exit_reasons)):
            seen = set()
            for i, item in enumerate(items):
                if item.name in seen:
                    problems.append(((key, i, "name"), f"{item.name!r} is listed twice"))
                seen.add(item.name)
        open_ = set(self.pathways.open)
        for i, pathway in enumerate(self.orders.pathways):
            if pathway not in open_:
                problems.append((("orders", "pathways", i), f"{pathway!r} is not in pathways.open"))
        if self.orders.only_protecting_participant and not self.orders.kinds:
            problems.append(
                (("orders", "only_protecting_participant"), "set, but orders.kinds is empty")
            )
        for n, window in enumerate(self.green_light):
            for i, pathway in enumerate(window.pathways):
                if pathway not in open_:
                    problems.append(
                        (("green_light", n, "pathways", i), f"{pathway!r} is not in pathways.open")
                    )
            for i, name in enumerate(window.areas):
                if self.program_areas and name not in self.program_areas:
                    problems.append(
                        (("green_light", n, "areas", i), f"{name!r} is not in program_areas")
                    )
        if self.green_light:
            scopes = {tuple(sorted(w.pathways)) for w in self.green_light}
            if len(scopes) > 1:
                problems.append(
                    (("green_light", 0, "pathways"), "every window must name the same pathways")
                )
        if problems:
            raise _located("Policy", problems)
        return self

    @cached_property
    def compiled(self) -> Compiled:
        # Computed once per policy; a cached_property lives in the instance dict, so later
        # reads are a plain lookup (pydantic private attributes cost microseconds each).
        # model_copy(update=...) would keep a stale compile: build changed policies with
        # Policy.model_validate instead.
        return _compile(self)

    @property
    def key(self) -> tuple[str, str]:
        """(id, version) with the version as text, so 3 and "3" are the same version."""
        return (self.id, str(self.version))


def _compile(p: Policy) -> Compiled:
    history = []
    for h in p.history:
        codes = set(h.codes)
        for fam in h.families:
            codes |= nibrs.codes_in_family(fam)
        codes -= set(h.except_codes)
        window = f"within {h.within_years} years" if h.within_years else "at any time"
        label = h.note or h.name.replace("_", " ")
        history.append(
            CompiledHistoryRule(
                rule_id=f"history.{h.name}",
                codes=frozenset(codes) if (h.codes or h.families) else None,
                within_years=h.within_years,
                any_disposition=h.counts == "any",
                domestic_violence=h.domestic_violence,
                label=f"{label} ({window})",
            )
        )
    conditions = {
        code: CompiledCondition(
            activities=frozenset(c.activities) if c.activities is not None else None,
            max_value=c.max_value,
        )
        for c in p.offenses.conditions
        for code in c.codes
    }
    return Compiled(
        eligible_codes=frozenset(p.offenses.eligible),
        excluded_codes=frozenset(p.offenses.excluded),
        activities=frozenset(p.offenses.activities),
        uncounted_drugs=frozenset(p.drugs.excluded_from_count),
        drug_limits=dict(p.drugs.max_grams_by_drug),
        open_pathways=tuple(p.pathways.open),
        program_areas=frozenset(p.program_areas),
        history=tuple(history),
        conditions=conditions,
        eligible_drugs=frozenset(p.drugs.eligible) if p.drugs.eligible is not None else None,
        order_kinds=frozenset(p.orders.kinds),
        order_pathways=tuple(p.orders.pathways),
        windows=tuple(p.green_light),
        window_pathways=frozenset(w for win in p.green_light for w in win.pathways),
        verification_sources=frozenset(p.pathways.social_contact.sources),
    )
