"""Whether a weekly schedule is open at a moment, in the schedule's own time. Pure Python.

HSDS 3.0 gives a schedule's `timezone` as a UTC offset in hours: a fixed offset, which keeps
no daylight saving time. A schedule without one keeps the site's zone, with its DST.

>>> now = datetime.datetime(2026, 7, 1, 16, 0, tzinfo=datetime.UTC)
>>> schedule_time(now, -5, datetime.UTC).hour, schedule_time(now, None, datetime.UTC).hour
(11, 16)
"""

import datetime
from dataclasses import dataclass

# The offsets in use on Earth run from UTC-12 to UTC+14.
OFFSET_RANGE = (-12.0, 14.0)

_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class Hours:
    byday: str  # HSDS/iCalendar day codes, "MO,TU,WE"; empty means every day
    opens_at: datetime.time | None
    closes_at: datetime.time | None
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None


def valid_offset(value: object) -> bool:
    """Whether `value` is a UTC offset in hours that a clock somewhere could show."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return OFFSET_RANGE[0] <= value <= OFFSET_RANGE[1] and (value * 4) == int(value * 4)


def schedule_time(
    now: datetime.datetime, utc_offset: float | None, site_zone: datetime.tzinfo
) -> datetime.datetime:
    """`now` (aware) as the schedule's wall clock shows it: its own offset, else the site's."""
    zone = (
        site_zone if utc_offset is None else datetime.timezone(datetime.timedelta(hours=utc_offset))
    )
    return now.astimezone(zone).replace(tzinfo=None)


def open_at(hours: Hours, moment: datetime.datetime) -> bool:
    """`moment` is the site's local time (naive or aware in the site's zone)."""
    if hours.opens_at is None or hours.closes_at is None:
        return False
    day = moment.date()
    if hours.valid_from and day < hours.valid_from:
        return False
    if hours.valid_to and day > hours.valid_to:
        return False
    now = moment.time().replace(tzinfo=None)
    days = {d.strip().upper()[-2:] for d in hours.byday.split(",") if d.strip()}
    if hours.closes_at > hours.opens_at:  # the same day
        return (not days or _DAYS[day.weekday()] in days) and hours.opens_at <= now < (
            hours.closes_at
        )
    # Open past midnight: the evening part today, the early part the day after it opened.
    yesterday = _DAYS[(day.weekday() - 1) % 7]
    if now >= hours.opens_at:
        return not days or _DAYS[day.weekday()] in days
    return now < hours.closes_at and (not days or yesterday in days)
