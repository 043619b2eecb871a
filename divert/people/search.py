"""Fuzzy person search over the name index."""

import datetime
from typing import Any

from django.db import transaction

from divert.people import matching
from divert.people.models import NameKey, Person, PersonName

MAX_CANDIDATES = 2000


def keys_for(person: Person, other_names: list[PersonName] | None = None) -> set[str]:
    names = other_names if other_names is not None else list(person.other_names.all())
    keys = matching.name_keys(person.first_name, person.last_name)
    for name in names:
        keys |= matching.name_keys(name.first_name, name.last_name)
    return keys


@transaction.atomic
def person_reindex(person: Person) -> None:
    NameKey.objects.filter(person=person).delete()
    NameKey.objects.bulk_create(NameKey(person=person, key=k) for k in sorted(keys_for(person)))


def person_search(
    *, jurisdiction_id: int, query: str, dob: datetime.date | None = None, limit: int = 10
) -> list[tuple[Person, float]]:
    """People in the jurisdiction whose name or alias matches `query`, most likely first.

    Candidates are people sharing a name key, and with a date of birth also people born that
    day (or with day and month swapped), so a slip that changes a name's key still finds
    them. The fuzzy score decides who is shown; the identity engine's weights (the
    shipped linkage model's comparison levels, applied in-process) decide the order; among
    people who fit equally well, one with an open enrollment comes first, then whoever an
    officer met most recently.
    No access check here: callers decide what of each person the user may see.
    """
    keys = matching.query_keys(query)
    if not keys:
        return []
    # Drive the query from the name-key index; filtering on the jurisdiction through a join
    # makes SQLite walk every person in the site when it has no planner statistics.
    people = {
        p.pk: p
        for p in Person.objects.filter(
            jurisdiction_id=jurisdiction_id,
            pk__in=NameKey.objects.filter(key__in=keys).values("person_id"),
        ).order_by()[:MAX_CANDIDATES]
    }
    if dob:
        days = {dob, *_transposed(dob)}
        for p in Person.objects.filter(
            jurisdiction_id=jurisdiction_id, date_of_birth__in=days, dob_precision="day"
        ).order_by()[:MAX_CANDIDATES]:
            people.setdefault(p.pk, p)
    ids = list(people)
    aliases: dict[int, list[tuple[str, str]]] = {}
    for pid, first, last in PersonName.objects.filter(person_id__in=ids).values_list(
        "person_id", "first_name", "last_name"
    ):
        aliases.setdefault(pid, []).append((first, last))
    candidates = [
        matching.Candidate(
            person_id=p.pk,
            names=(
                f"{p.first_name} {p.last_name}",
                *(f"{f} {s}" for f, s in aliases.get(p.pk, ())),
            ),
            date_of_birth=p.date_of_birth,
        )
        for p in people.values()
    ]
    shown = matching.rank(query, candidates, dob, limit=len(candidates))
    weights = _engine_weights(query, dob, [people[c.person_id] for c, _ in shown], aliases)

    def fit(pair) -> tuple[float, float]:
        return (-weights[pair[0].person_id], -pair[1])

    shown.sort(key=lambda pair: (*fit(pair), pair[0].person_id))
    known = _known(_tied([fit(pair) for pair in shown], [c.person_id for c, _ in shown], limit))
    shown.sort(key=lambda pair: (*fit(pair), *known.get(pair[0].person_id, ()), pair[0].person_id))
    return [(people[c.person_id], s) for c, s in shown[:limit]]


def _tied(fits: list[tuple], ids: list[int], limit: int) -> list[int]:
    """The people who share their fit with another person in reach of the first `limit`."""
    reach = set(fits[:limit])
    count: dict[tuple, int] = {}
    for f in fits:
        if f in reach:
            count[f] = count.get(f, 0) + 1
    return [pid for f, pid in zip(fits, ids, strict=True) if count.get(f, 0) > 1]


def _known(ids: list[int]) -> dict[int, tuple[bool, float]]:
    """Tie-breaks among people who fit the search equally well: someone in the program
    (an open enrollment) first, then whoever an officer met most recently."""
    if not ids:
        return {}
    from django.db.models import Max

    from divert.casework.lifecycle import OPEN_STATUSES

    enrolled = set(
        Person.objects.filter(pk__in=ids, enrollments__status__in=OPEN_STATUSES).values_list(
            "pk", flat=True
        )
    )
    met = dict(
        Person.objects.filter(pk__in=ids)
        .annotate(last=Max("encounters__occurred_at"))
        .values_list("pk", "last")
    )
    return {
        pid: (pid not in enrolled, -(met[pid].timestamp() if met.get(pid) else 0.0)) for pid in ids
    }


def _transposed(dob: datetime.date) -> list[datetime.date]:
    if dob.day > 12 or dob.day == dob.month:
        return []
    return [dob.replace(month=dob.day, day=dob.month)]


def _engine_weights(
    query: str,
    dob: datetime.date | None,
    people: list[Person],
    aliases: dict[int, list[tuple[str, str]]],
) -> dict[int, float]:
    """The engine's match weight of what was typed against each person's best name."""
    from divert.linkage.prepare import record
    from divert.linkage.services import scorer_load

    scorer = scorer_load()
    tokens = query.split()
    typed = record(
        {
            "first_name": tokens[0] if len(tokens) > 1 else None,
            "last_name": tokens[-1],
            "dob": dob,
        }
    )
    out: dict[int, float] = {}
    for person in people:
        born = _born(person)
        out[person.pk] = max(
            scorer.weight(typed, record({"first_name": first, "last_name": last, **born}))
            for first, last in [(person.first_name, person.last_name), *aliases.get(person.pk, ())]
        )
    return out


def _born(person: Person) -> dict[str, Any]:
    date, precision = person.date_of_birth, person.dob_precision
    if date is None:
        return {}
    if precision == "day":
        return {"dob": date}
    return {"birth_year": date.year, "birth_month": date.month if precision == "month" else None}


def bulk_keys(rows: list[tuple[int, str, str]]) -> list[NameKey]:
    """Name keys for many (person_id, first, last) rows at once, for loaders."""
    out: list[NameKey] = []
    seen: set[tuple[int, str]] = set()
    for person_id, first, last in rows:
        for key in matching.name_keys(first, last):
            if (person_id, key) not in seen:
                seen.add((person_id, key))
                out.append(NameKey(person_id=person_id, key=key))
    return out


def reindex_on_save(sender: Any, instance: Any, **kwargs: Any) -> None:
    person = instance if isinstance(instance, Person) else instance.person
    person_reindex(person)
