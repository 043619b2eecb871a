"""Import mappings: one TOML file per source system, saying how its exports become records.

Pure Python. The file is checked by a pydantic schema (its JSON Schema is `schema()`), so a
mistake in it is refused before any row is read. See docs/import-mapping.md.

>>> m = mapping_from_text('''
... id = "tiny-jail"
... version = 1
... source_system = "tiny-jail"
... [kinds.booking.columns]
... BookNo = "source_key"
... PersonNo = "source_person_id"
... BookDate = "occurred_on"
... [kinds.booking.unused_columns]
... Cell = "housing assignments are not program data"
... ''')
>>> m.kinds["booking"].column_for("occurred_on")
'BookDate'
>>> mapping_from_text('id = "x"')
Traceback (most recent call last):
...
divert.records.mapping.MappingError: mapping: version: Field required; source_system: Field required; kinds: Field required
"""

from __future__ import annotations

import codecs
import hashlib
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from divert import nibrs
from divert.records import fields as F

KindName = Literal["arrest", "booking", "charge", "disposition", "jail_stay"]
FieldName = Literal[
    "source_key",
    "source_person_id",
    "parent_key",
    "occurred_on",
    "ended_on",
    "nibrs",
    "statute",
    "level",
    "filed",
    "disposition",
    "first_name",
    "last_name",
    "date_of_birth",
    "sex",
    "race",
]
CodedName = Literal["statute", "level", "filed", "disposition", "sex", "race"]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,59}$")]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3)]


class MappingError(ValueError):
    """The mapping file itself is wrong; the message names the key."""


class KindMapping(BaseModel):
    """How one export file of one kind maps onto canonical fields."""

    model_config = ConfigDict(extra="forbid")

    columns: dict[str, FieldName | list[FieldName]] = Field(
        description="File column -> canonical field (or fields: a disposition's charge id is "
        "both its own key and its parent's)."
    )
    unused_columns: dict[str, Reason] = Field(
        default_factory=dict, description="File columns deliberately left out, with the reason."
    )
    parent: KindName | None = Field(
        default=None, description="The kind parent_key points at (a charge's booking)."
    )
    date_format: str | None = Field(
        default=None, description="strftime format of this file's dates; default: the mapping's."
    )
    sheet: str | None = Field(default=None, description="Excel: the sheet to read.")

    def pairs(self) -> list[tuple[str, str]]:
        """(column, field) for every field a column fills."""
        return [
            (column, field)
            for column, named in self.columns.items()
            for field in ([named] if isinstance(named, str) else named)
        ]

    def mapped(self) -> set[str]:
        return {field for _, field in self.pairs()}

    def column_for(self, field: str) -> str | None:
        return next((c for c, f in self.pairs() if f == field), None)

    @model_validator(mode="after")
    def _each_field_once(self) -> KindMapping:
        seen: dict[str, str] = {}
        for column, field in self.pairs():
            if field in seen:
                raise ValueError(f"{seen[field]!r} and {column!r} both map to {field}")
            seen[field] = column
        return self

    @model_validator(mode="after")
    def _columns_once(self) -> KindMapping:
        both = set(self.columns) & set(self.unused_columns)
        if both:
            raise ValueError(f"{sorted(both)} listed both as mapped and as unused")
        if ("parent_key" in self.mapped()) != (self.parent is not None):
            raise ValueError("parent and a parent_key column go together")
        return self


class Mapping(BaseModel):
    """A source system's import mapping (a versioned data file)."""

    model_config = ConfigDict(extra="forbid")

    id: Slug
    version: int = Field(ge=1, description="Raise it whenever the mapping changes.")
    source_system: Annotated[str, StringConstraints(min_length=1, max_length=60)]
    description: str = ""
    encoding: str = Field(default="utf-8", description="Text encoding of CSV files.")
    date_format: str = Field(
        default="ISO8601", description="strftime format of dates, or ISO8601 (the default)."
    )
    kinds: dict[KindName, KindMapping]
    codes: dict[CodedName, dict[str, str | bool]] = Field(
        default_factory=dict, description="Value maps: the source's code -> the canonical value."
    )

    @field_validator("encoding")
    @classmethod
    def _known_encoding(cls, name: str) -> str:
        try:
            return codecs.lookup(name).name
        except LookupError:
            raise ValueError(f"unknown encoding {name!r}") from None

    @field_validator("kinds")
    @classmethod
    def _kinds_complete(cls, kinds: dict[str, KindMapping]) -> dict[str, KindMapping]:
        for kind, km in kinds.items():
            mapped = km.mapped()
            needed = set(F.REQUIRED[kind])
            if "parent_key" in mapped:
                needed -= set(F.INHERITED)
            missing = sorted(needed - mapped)
            if missing:
                raise ValueError(f"{kind}: no column maps to {', '.join(missing)}")
            if km.parent and km.parent not in F.PARENTS.get(kind, ()):
                raise ValueError(f"{kind}: a {kind} cannot belong to a {km.parent}")
            if {"nibrs", "statute"} <= mapped:
                raise ValueError(f"{kind}: map the offense from nibrs or statute, not both")
            person = sorted(mapped & set(F.PERSON))
            if person and kind not in F.PERSON_KINDS:
                raise ValueError(
                    f"{kind}: {', '.join(person)} describe the person; map them on the "
                    f"{' or '.join(F.PERSON_KINDS)} file, which carries its own person"
                )
        return kinds

    @model_validator(mode="after")
    def _codes_canonical(self) -> Mapping:
        for field, table in self.codes.items():
            folded: dict[str, str] = {}
            for code, value in table.items():
                key = fold(code)
                if key in folded:
                    raise ValueError(f"codes.{field}: {folded[key]!r} and {code!r} are the same")
                folded[key] = code
                if field == "statute":
                    if value not in nibrs.OFFENSES:
                        raise ValueError(f"codes.statute: {code!r} -> unknown NIBRS {value!r}")
                elif value not in F.FIELDS[field].values:
                    allowed = ", ".join(str(v) for v in F.FIELDS[field].values)
                    raise ValueError(f"codes.{field}: {code!r} -> {value!r}; use one of {allowed}")
        return self

    def code_map(self, field: str) -> dict[str, Any]:
        """The field's value map keyed by folded code; canonical values map to themselves."""
        out = {fold(str(v)): v for v in F.FIELDS[field].values}
        out.update({fold(code): value for code, value in self.codes.get(field, {}).items()})
        return out


def fold(code: str) -> str:
    """Codes match whatever their case and spacing: ' Felony ' is 'felony'."""
    return " ".join(str(code).split()).casefold()


def _message(exc: ValidationError) -> str:
    parts = []
    for e in exc.errors():
        where = ".".join(str(p) for p in e["loc"])
        parts.append(f"{where}: {e['msg']}" if where else e["msg"])
    return "mapping: " + "; ".join(parts)


def mapping_from_text(text: str) -> Mapping:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise MappingError(f"mapping: not valid TOML: {exc}") from None
    try:
        return Mapping.model_validate(data)
    except ValidationError as exc:
        raise MappingError(_message(exc)) from None


def load_mapping(path: Path) -> tuple[Mapping, str]:
    """The mapping in `path` and its text (stored with each import run)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise MappingError(f"mapping {path}: cannot read: {exc}") from None
    try:
        return mapping_from_text(text), text
    except MappingError as exc:
        raise MappingError(f"{path.name}: {exc}") from None


def text_checksum(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def schema() -> dict:
    """The mapping file's JSON Schema (docs/import-mapping.md shows it)."""
    return Mapping.model_json_schema()
