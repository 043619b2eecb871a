"""Finding services in the site's directory: by need, area and whether they are open now."""

import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from divert.access import Action, Kind, require, visible
from divert.directory.hours import Hours, open_at, schedule_time
from divert.directory.models import Category, Service
from divert.jurisdictions.clock import site_now, site_zone


def _services(user: Any) -> QuerySet[Service]:
    return visible(user, Kind.DIRECTORY, Service.objects.all())


def service_is_open(service: Service, now: datetime.datetime, zone: datetime.tzinfo) -> bool:
    """Whether any of the service's schedules is open at `now` (aware), each read in its own
    HSDS time zone (a UTC offset) or, without one, in the site's zone `zone`."""
    return any(
        open_at(
            Hours(s.byday, s.opens_at, s.closes_at, s.valid_from, s.valid_to),
            schedule_time(now, s.utc_offset, zone),
        )
        for s in service.schedules.all()
    )


def service_search(
    *,
    user: Any,
    need: str = "",
    area: str = "",
    text: str = "",
    open_now: bool = False,
    limit: int = 200,
) -> list[Service]:
    """Active services matching every filter given, by name. "Open now" is now against each
    service's weekly hours, in each schedule's own time zone or else the site's."""
    require(user, Action.VIEW, Kind.DIRECTORY)
    found = (
        _services(user)
        .exclude(status__in=["inactive", "defunct"])
        .select_related("organization")
        .prefetch_related("schedules", "categories", "languages")
    )
    if need:
        found = found.filter(Q(categories__name__iexact=need) | Q(categories__code__iexact=need))
    if area:
        found = found.filter(
            Q(areas__name__icontains=area)
            | Q(at_locations__location__city__icontains=area)
            | Q(at_locations__location__address__icontains=area)
        )
    if text:
        found = found.filter(
            Q(name__icontains=text)
            | Q(description__icontains=text)
            | Q(organization__name__icontains=text)
        )
    services = list(found.distinct().order_by("name", "pk")[: limit * 5 if open_now else limit])
    now, zone = site_now(user.jurisdiction), site_zone(user.jurisdiction)
    for service in services:
        service.open_now = service_is_open(service, now, zone)
    if open_now:
        services = [s for s in services if s.open_now][:limit]
    return services


def service_get(*, user: Any, service_id: int) -> Service:
    require(user, Action.VIEW, Kind.DIRECTORY)
    service = get_object_or_404(
        _services(user)
        .select_related("organization")
        .prefetch_related("schedules", "categories", "languages", "areas"),
        pk=service_id,
    )
    service.open_now = service_is_open(
        service, site_now(user.jurisdiction), site_zone(user.jurisdiction)
    )
    return service


def need_list(*, user: Any) -> list[str]:
    """The needs (taxonomy terms) the site's directory knows, for the search form."""
    names = visible(user, Kind.DIRECTORY, Category.objects.all()).values_list("name", flat=True)
    return sorted(set(names), key=str.lower)
