"""Finding services in the site's directory: by need, area and whether they are open now."""

import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from divert.access import Action, Kind, require, visible
from divert.directory.hours import Hours, open_at
from divert.directory.models import Category, Service
from divert.jurisdictions.clock import site_now


def _services(user: Any) -> QuerySet[Service]:
    return visible(user, Kind.DIRECTORY, Service.objects.all())


def service_is_open(service: Service, moment: datetime.datetime) -> bool:
    return any(
        open_at(Hours(s.byday, s.opens_at, s.closes_at, s.valid_from, s.valid_to), moment)
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
    """Active services matching every filter given, by name. "Open now" is the site's local
    time against each service's weekly hours."""
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
    moment = site_now(user.jurisdiction).replace(tzinfo=None)
    for service in services:
        service.open_now = service_is_open(service, moment)
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
    service.open_now = service_is_open(service, site_now(user.jurisdiction).replace(tzinfo=None))
    return service


def need_list(*, user: Any) -> list[str]:
    """The needs (taxonomy terms) the site's directory knows, for the search form."""
    names = visible(user, Kind.DIRECTORY, Category.objects.all()).values_list("name", flat=True)
    return sorted(set(names), key=str.lower)
