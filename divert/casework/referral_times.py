"""How long providers take to answer and to close service referrals, per service."""

import datetime
import statistics
from dataclasses import dataclass
from typing import Any

from divert.access import Action, Kind, require
from divert.casework.models import ServiceReferral


@dataclass(frozen=True)
class ServiceTimes:
    service_id: int | None
    service: str
    provider: str
    sent: int
    accepted: int
    declined: int
    completed: int
    not_completed: int
    median_days_to_accept: float | None
    median_days_to_complete: float | None


def _days(start: datetime.datetime | None, end: datetime.datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return round((end - start).total_seconds() / 86400, 1)


def _median(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return round(statistics.median(known), 1) if known else None


def referral_times(
    *, user: Any, since: datetime.date | None = None, service_id: int | None = None
) -> list[ServiceTimes]:
    """Counts and median times (sent → accepted, sent → completed) per directory service, in
    the user's site; no person in them."""
    require(user, Action.VIEW, Kind.AGGREGATE)
    rows = ServiceReferral.objects.filter(
        enrollment__jurisdiction_id=user.jurisdiction_id, directory_service__isnull=False
    ).select_related("directory_service", "provider")
    if since:
        rows = rows.filter(sent_on__gte=since)
    if service_id:
        rows = rows.filter(directory_service_id=service_id)
    groups: dict[int, list[ServiceReferral]] = {}
    for referral in rows.order_by("directory_service_id", "pk"):
        groups.setdefault(referral.directory_service_id, []).append(referral)
    out = []
    for key, referrals in groups.items():
        first = referrals[0]
        out.append(
            ServiceTimes(
                service_id=key,
                service=first.directory_service.name,
                provider=first.provider.name,
                sent=len(referrals),
                accepted=sum(r.accepted_at is not None for r in referrals),
                declined=sum(r.status == "declined" for r in referrals),
                completed=sum(r.status == "completed" for r in referrals),
                not_completed=sum(r.status == "not_completed" for r in referrals),
                median_days_to_accept=_median([_days(r.sent_at, r.accepted_at) for r in referrals]),
                median_days_to_complete=_median(
                    [_days(r.sent_at, r.closed_at) for r in referrals if r.status == "completed"]
                ),
            )
        )
    return sorted(out, key=lambda t: t.service.lower())


def referred_services(*, user: Any) -> list[tuple[int, str]]:
    """The directory services the site has referred to, for the page's selector."""
    require(user, Action.VIEW, Kind.AGGREGATE)
    pairs = (
        ServiceReferral.objects.filter(
            enrollment__jurisdiction_id=user.jurisdiction_id, directory_service__isnull=False
        )
        .values_list("directory_service_id", "directory_service__name")
        .distinct()
    )
    return sorted(set(pairs), key=lambda p: p[1].lower())
