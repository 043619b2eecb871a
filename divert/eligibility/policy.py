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

from divert import nibrs
from divert.eligibility.vocabulary import (
    FAMILIES,
    Activity,
    Counts,
    Drug,
    Pathway,
    SupervisionRule,
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


def _version(value: object) -> int | str:
    # One readable error for both spellings instead of pydantic's per-union-member pair.
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    if isinstance(value, str) and re.fullmatch(r"[0-9A-Za-z][0-9A-Za-z.-]{0,29}", value):
        return value
    raise ValueError('version must be a positive integer or a string such as "2011.1"')


class _Table(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Offenses(_Table):
    """Which instant offenses and activities a referral can be for."""

    eligible: Annotated[list[Code], AfterValidator(_unique), Field(min_length=1)]
    excluded: Annotated[list[Code], AfterValidator(_unique)] = []
    activities: Annotated[list[Activity], AfterValidator(_unique), Field(min_length=1)]

    @model_validator(mode="after")
    def _disjoint(self) -> Offenses:
        both = sorted(set(self.eligible) & set(self.excluded))
        if both:
            raise ValueError(f"codes both eligible and excluded: {', '.join(both)}")
        return self


class Drugs(_Table):
    """Quantity limits. A drug with its own limit is weighed alone, not in the total."""

    max_grams: Grams
    max_grams_by_drug: dict[Drug, Grams] = {}
    excluded_from_count: Annotated[list[Drug], AfterValidator(_unique)] = []


class Sales(_Table):
    exclude_sale_to_minor: bool = True
    exclude_school_zone: bool = False


class Person(_Table):
    min_age: Annotated[int, Field(strict=True, ge=0, le=120)] = 18


class Exclusions(_Table):
    exploitation_of_minors: bool = True
    open_violent_case: bool = False
    open_weapons_case: bool = False
    no_contact_order: bool = False
    confidential_informant: bool = False


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
    note: str = ""

    @model_validator(mode="after")
    def _names_something(self) -> HistoryRule:
        if not self.codes and not self.families:
            raise ValueError(f"history rule {self.name!r} names no codes and no families")
        return self


@dataclass(frozen=True)
class CompiledHistoryRule:
    rule_id: str
    codes: frozenset[str]
    within_years: int | None
    any_disposition: bool
    label: str


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
    intake: Intake
    pathways: Pathways
    history: list[HistoryRule] = []

    @model_validator(mode="after")
    def _history_names_unique(self) -> Policy:
        _unique([h.name for h in self.history])
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
                codes=frozenset(codes),
                within_years=h.within_years,
                any_disposition=h.counts == "any",
                label=f"{label} ({window})",
            )
        )
    return Compiled(
        eligible_codes=frozenset(p.offenses.eligible),
        excluded_codes=frozenset(p.offenses.excluded),
        activities=frozenset(p.offenses.activities),
        uncounted_drugs=frozenset(p.drugs.excluded_from_count),
        drug_limits=dict(p.drugs.max_grams_by_drug),
        open_pathways=tuple(p.pathways.open),
        program_areas=frozenset(p.program_areas),
        history=tuple(history),
    )
