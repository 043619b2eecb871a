"""A person's criminal history as the eligibility engine reads it, from imported records.

Both reads run with every screening of a known person, so they are plain SQL (`divert.hotsql`):
each is one query on the person's index.
"""

import datetime
from functools import cache
from typing import Any

from django.db import connection

from divert import hotsql
from divert.jurisdictions.clock import day_start, local_date
from divert.records.models import JusticeEvent
from divert.vocabulary import Disposition, disposition_word

_BY_KIND = {
    JusticeEvent.Kind.ARREST: Disposition.ARRESTED,
    JusticeEvent.Kind.BOOKING: Disposition.ARRESTED,
    JusticeEvent.Kind.CHARGE: Disposition.CHARGED,
}
_EVENT_FIELDS = ("kind", "nibrs", "disposition", "filed", "occurred_on")
# Low-level drug and sex-work offenses: the contacts social-contact referrals rely on.
_VERIFIED_NIBRS = ("35A", "35B", "40A")


@cache
def _history_sql(vendor: str) -> str:
    e = JusticeEvent
    columns = ", ".join(hotsql.column(e, name) for name in _EVENT_FIELDS)
    return (
        f"SELECT {columns} FROM {hotsql.table(e)}"  # noqa: S608
        f" WHERE {hotsql.column(e, 'person')} = %s AND {hotsql.column(e, 'occurred_on')} <= %s"
        f" AND {hotsql.column(e, 'nibrs')} <> ''"
        f" ORDER BY {hotsql.column(e, 'occurred_on')} DESC"
    )


def history_for(person_id: int, *, before: datetime.date) -> list[dict]:
    """Offense history entries for screening: one per coded event, on or before `before`."""
    fields = [JusticeEvent._meta.get_field(name) for name in _EVENT_FIELDS]
    rows = hotsql.fetch(_history_sql(connection.vendor), [person_id, hotsql.day(before)], fields)
    entries = []
    for kind, nibrs, disposition, filed, on in rows:
        word = disposition_word(disposition)
        if word is None:
            word = _BY_KIND.get(kind)
            if kind == JusticeEvent.Kind.CHARGE and filed and not disposition:
                word = Disposition.PENDING
        if word:
            entries.append({"nibrs": nibrs, "disposition": str(word), "date": on.isoformat()})
    return entries


@cache
def _verified_sql(vendor: str) -> str:
    from divert.field.models import Encounter, Offense
    from divert.jurisdictions.models import Area

    def col(model, name, alias):
        return hotsql.column(model, name, alias)

    codes = ", ".join(["%s"] * len(_VERIFIED_NIBRS))
    return (
        f"SELECT {col(Encounter, 'occurred_at', 'e')}, {col(Area, 'name', 'a')},"  # noqa: S608
        f" {col(Offense, 'nibrs', 'o')}"
        f" FROM {hotsql.table(Offense)} o"
        f" JOIN {hotsql.table(Encounter)} e ON e.id = {col(Offense, 'encounter', 'o')}"
        f" LEFT JOIN {hotsql.table(Area)} a ON a.id = {col(Encounter, 'area', 'e')}"
        f" WHERE {col(Encounter, 'person', 'e')} = %s"
        f" AND {col(Encounter, 'occurred_at', 'e')} >= %s"
        f" AND {col(Encounter, 'occurred_at', 'e')} < %s"
        f" AND {col(Offense, 'nibrs', 'o')} IN ({codes})"
        f" ORDER BY {col(Encounter, 'occurred_at', 'e')}, o.id"
    )


def verified_activity_for(
    person_id: int, *, jurisdiction: Any, before: datetime.date, months: int = 24
) -> list[dict]:
    """Prior low-level drug or sex-work contacts, which social-contact referrals rely on.

    Dates are the site's local days, the same days the case is screened on.
    """
    from divert.field.models import Encounter, Offense
    from divert.jurisdictions.models import Area

    since = before - datetime.timedelta(days=months * 31)
    start = day_start(jurisdiction, since)
    end = day_start(jurisdiction, before + datetime.timedelta(days=1))
    fields = [
        Encounter._meta.get_field("occurred_at"),
        Area._meta.get_field("name"),
        Offense._meta.get_field("nibrs"),
    ]
    rows = hotsql.fetch(
        _verified_sql(connection.vendor),
        [person_id, hotsql.moment(start), hotsql.moment(end), *_VERIFIED_NIBRS],
        fields,
    )
    return [
        {"date": local_date(jurisdiction, at).isoformat(), "area": area, "nibrs": nibrs}
        for at, area, nibrs in rows
    ]
