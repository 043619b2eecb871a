"""Whether a weekly schedule is open at a moment of the site's local time. Pure Python."""

import datetime
from dataclasses import dataclass

_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class Hours:
    byday: str  # HSDS/iCalendar day codes, "MO,TU,WE"; empty means every day
    opens_at: datetime.time | None
    closes_at: datetime.time | None
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None


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
