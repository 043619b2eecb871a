"""The site clock: one notion of "now" and "today" per LEAD site.

Deadlines, alerts and reports count in the site's local days. The server's clock runs in
UTC, so `datetime.date.today()` is the wrong day for eight hours of every Pacific evening;
everything asks this module instead.

>>> import datetime
>>> class Site: timezone = "America/Los_Angeles"
>>> moment = datetime.datetime(2026, 3, 2, 5, 30, tzinfo=datetime.UTC)
>>> local_date(Site(), moment)  # 21:30 the evening before, in Seattle
datetime.date(2026, 3, 1)
>>> aware(Site(), datetime.datetime(2026, 3, 1, 21, 30)).utcoffset()
datetime.timedelta(days=-1, seconds=57600)
"""

import datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.utils import timezone


@lru_cache(maxsize=64)
def zone_named(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r}") from None


def site_zone(jurisdiction: Any | None) -> ZoneInfo:
    """The site's time zone; the server's TIME_ZONE for an account with no site."""
    name = getattr(jurisdiction, "timezone", "") or settings.TIME_ZONE
    return zone_named(name)


def site_now(jurisdiction: Any | None) -> datetime.datetime:
    """Now, as an aware datetime in the site's zone."""
    return timezone.now().astimezone(site_zone(jurisdiction))


def site_today(jurisdiction: Any | None) -> datetime.date:
    """The site's calendar date right now."""
    return site_now(jurisdiction).date()


def local_date(jurisdiction: Any | None, moment: datetime.datetime) -> datetime.date:
    """The site's calendar date at `moment` (aware; naive is read as site-local)."""
    return aware(jurisdiction, moment).astimezone(site_zone(jurisdiction)).date()


def aware(jurisdiction: Any | None, moment: datetime.datetime) -> datetime.datetime:
    """`moment` as an aware datetime; a naive one is read as the site's local time."""
    if timezone.is_aware(moment):
        return moment
    return moment.replace(tzinfo=site_zone(jurisdiction))


def day_start(jurisdiction: Any | None, day: datetime.date) -> datetime.datetime:
    """The first instant of the site's local `day`, for range filters on datetimes."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=site_zone(jurisdiction))
