"""A person's criminal history as the eligibility engine reads it, from imported records."""

import datetime
from typing import Any

from divert.jurisdictions.clock import day_start, local_date
from divert.records.models import JusticeEvent
from divert.vocabulary import Disposition, disposition_word

_BY_KIND = {
    JusticeEvent.Kind.ARREST: Disposition.ARRESTED,
    JusticeEvent.Kind.BOOKING: Disposition.ARRESTED,
    JusticeEvent.Kind.CHARGE: Disposition.CHARGED,
}


def history_for(person_id: int, *, before: datetime.date) -> list[dict]:
    """Offense history entries for screening: one per coded event, on or before `before`."""
    entries = []
    events = JusticeEvent.objects.filter(person_id=person_id, occurred_on__lte=before).exclude(
        nibrs=""
    )
    for kind, nibrs, disposition, filed, on in events.values_list(
        "kind", "nibrs", "disposition", "filed", "occurred_on"
    ):
        word = disposition_word(disposition)
        if word is None:
            word = _BY_KIND.get(kind)
            if kind == JusticeEvent.Kind.CHARGE and filed and not disposition:
                word = Disposition.PENDING
        if word:
            entries.append({"nibrs": nibrs, "disposition": str(word), "date": on.isoformat()})
    return entries


def verified_activity_for(
    person_id: int, *, jurisdiction: Any, before: datetime.date, months: int = 24
) -> list[dict]:
    """Prior low-level drug or sex-work contacts, which social-contact referrals rely on.

    Dates are the site's local days, the same days the case is screened on.
    """
    from divert.field.models import Offense

    since = before - datetime.timedelta(days=months * 31)
    rows = Offense.objects.filter(
        encounter__person_id=person_id,
        encounter__occurred_at__gte=day_start(jurisdiction, since),
        encounter__occurred_at__lt=day_start(jurisdiction, before + datetime.timedelta(days=1)),
        nibrs__in=["35A", "35B", "40A"],
    ).values_list("encounter__occurred_at", "encounter__area__name", "nibrs")
    return [
        {"date": local_date(jurisdiction, at).isoformat(), "area": area, "nibrs": nibrs}
        for at, area, nibrs in rows
    ]
