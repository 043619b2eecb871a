"""The site's people as the engine reads them: program persons (with aliases and outside
identifiers) and justice persons, as canonical person frames (divert.linkage.prepare)."""

from __future__ import annotations

import pandas as pd

from divert.linkage.models import JusticePerson
from divert.people.models import DatePrecision, Person, PersonIdentifier, PersonName

ALIAS_SEP = "~"  # an alias row's id: "<person pk>~<n>", folded back onto the person


def _dob(date, precision: str) -> dict:
    if date is None:
        return {"dob": None, "birth_year": None, "birth_month": None}
    if precision == DatePrecision.DAY:
        return {"dob": date, "birth_year": date.year, "birth_month": date.month}
    month = date.month if precision == DatePrecision.MONTH else None
    return {"dob": None, "birth_year": date.year, "birth_month": month}


def _code(value: str) -> str | None:
    return None if value in ("", "unknown") else value


def program_frame(*, jurisdiction_id: int, person_ids: list[int] | None = None) -> pd.DataFrame:
    """One row per program person and one per alias (id `<pk>~<n>`), identifiers on each."""
    people = Person.objects.filter(jurisdiction_id=jurisdiction_id)
    if person_ids is not None:
        people = people.filter(pk__in=person_ids)
    fields = ("pk", "first_name", "last_name", "date_of_birth", "dob_precision", "sex", "race")
    rows = list(people.order_by("pk").values_list(*fields))
    ids: dict[int, list[str]] = {}
    for pid, system, value in PersonIdentifier.objects.filter(
        person__jurisdiction_id=jurisdiction_id
    ).values_list("person_id", "system", "value"):
        ids.setdefault(pid, []).append(f"{system}:{value}")
    out = []
    for pk, first, last, dob, precision, sex, race in rows:
        out.append(
            {
                "unique_id": str(pk),
                "first_name": first,
                "last_name": last,
                **_dob(dob, precision),
                "sex": _code(sex),
                "race": _code(race),
                "outside_ids": ids.get(pk),
            }
        )
    by_pk = {row["unique_id"]: row for row in out}
    aliases = PersonName.objects.filter(person__jurisdiction_id=jurisdiction_id)
    if person_ids is not None:
        aliases = aliases.filter(person_id__in=person_ids)
    for n, (pid, first, last) in enumerate(
        aliases.order_by("pk").values_list("person_id", "first_name", "last_name")
    ):
        base = by_pk.get(str(pid))
        if base is None:
            continue
        out.append(
            {
                **base,
                "unique_id": f"{pid}{ALIAS_SEP}{n}",
                "first_name": first or base["first_name"],
                "last_name": last or base["last_name"],
            }
        )
    return pd.DataFrame(out, columns=_COLUMNS)


def justice_frame(*, jurisdiction_id: int, ids: list[int] | None = None) -> pd.DataFrame:
    fields = (
        "pk",
        "source_system",
        "source_person_id",
        "first_name",
        "last_name",
        "date_of_birth",
        "dob_precision",
        "sex",
        "race",
    )
    rows = JusticePerson.objects.filter(jurisdiction_id=jurisdiction_id).order_by("pk")
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    out = [
        {
            "unique_id": str(pk),
            "first_name": first,
            "last_name": last,
            **_dob(dob, precision),
            "sex": _code(sex),
            "race": _code(race),
            "outside_ids": [f"{system}:{source_id}"],
        }
        for pk, system, source_id, first, last, dob, precision, sex, race in rows.values_list(
            *fields
        )
    ]
    return pd.DataFrame(out, columns=_COLUMNS)


_COLUMNS = [
    "unique_id",
    "first_name",
    "last_name",
    "dob",
    "birth_year",
    "birth_month",
    "sex",
    "race",
    "outside_ids",
]


def person_of(unique_id: str) -> int:
    return int(unique_id.split(ALIAS_SEP)[0])
