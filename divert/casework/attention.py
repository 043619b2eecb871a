"""Who needs attention: the queries the workgroup agenda and the alerts share.

Each takes querysets already narrowed by `divert.access.visible`, so neither decides access.
"""

import datetime

from django.db.models import Max, Q, QuerySet

from divert.casework import lifecycle
from divert.casework.models import Contact, Enrollment
from divert.jurisdictions.clock import local_date
from divert.records.models import JusticeEvent

# A new arrest, booking or charge is what the work group coordinates on (lead.md).
NEW_CASE_KINDS = (JusticeEvent.Kind.ARREST, JusticeEvent.Kind.BOOKING, JusticeEvent.Kind.CHARGE)
ENGAGED = (lifecycle.ACTIVE, lifecycle.INACTIVE)
PENDING = (lifecycle.REFERRED, lifecycle.INTAKE_PENDING)


def open_enrollments(enrollments: QuerySet[Enrollment]) -> QuerySet[Enrollment]:
    return enrollments.filter(status__in=lifecycle.OPEN_STATUSES).select_related(
        "person", "case_manager"
    )


def out_of_contact(
    enrollments: QuerySet[Enrollment], *, today: datetime.date, days: int = 30
) -> list[tuple[Enrollment, datetime.date | None]]:
    """Engaged participants with no contact in `days` days, with their last contact date.

    An attempted contact ("not found") does not count: it is the sign someone has gone missing.
    """
    cutoff = today - datetime.timedelta(days=days)
    rows = (
        enrollments.filter(status__in=ENGAGED)
        .select_related("person", "case_manager", "jurisdiction")
        .annotate(
            last_contact=Max(
                "contacts__occurred_at", filter=~Q(contacts__kind=Contact.Kind.ATTEMPTED)
            )
        )
    )
    out = []
    for e in rows:
        last = local_date(e.jurisdiction, e.last_contact) if e.last_contact else None
        started = e.intake_completed_on or e.referred_on
        if (last or started) < cutoff:
            out.append((e, last))
    return sorted(out, key=lambda pair: (pair[1] or pair[0].referred_on, pair[0].pk))


def new_cases(
    enrollments: QuerySet[Enrollment],
    events: QuerySet[JusticeEvent],
    *,
    since: datetime.date,
    today: datetime.date,
) -> list[tuple[Enrollment, list[JusticeEvent]]]:
    """Open participants with an arrest, booking or charge dated in [since, today]."""
    open_by_person = {e.person_id: e for e in open_enrollments(enrollments)}
    found = events.filter(
        kind__in=NEW_CASE_KINDS,
        occurred_on__gte=since,
        occurred_on__lte=today,
        person_id__in=list(open_by_person),
    ).order_by("occurred_on", "pk")
    grouped: dict[int, list[JusticeEvent]] = {}
    for event in found:
        grouped.setdefault(event.person_id, []).append(event)
    return [(open_by_person[pid], evs) for pid, evs in grouped.items()]
