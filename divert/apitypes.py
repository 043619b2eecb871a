"""Input types and guards the API shares: values both databases can store.

PostgreSQL refuses two things SQLite and Python accept: NUL characters in text, and UTC
offsets beyond ±15:59. Both would surface as a 500 from the database, so they are
refused or normalised before any service runs.
"""

import datetime
import json
from typing import Annotated, Any

from django.http import JsonResponse
from pydantic import AfterValidator

# Records begin long after 1900 and nothing is planned past 2100; anything outside is a typo,
# and years near 9999 overflow when shifted between time zones.
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100


def _within_years(value: datetime.date) -> None:
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValueError(f"the year must be between {EARLIEST_YEAR} and {LATEST_YEAR}")


def _utc(value: datetime.datetime) -> datetime.datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("give the time zone offset, e.g. 2026-03-14T21:30:00-07:00")
    _within_years(value)
    try:
        return value.astimezone(datetime.UTC)
    except OverflowError:
        raise ValueError("date and time out of range") from None


def _day(value: datetime.date) -> datetime.date:
    _within_years(value)
    return value


# An aware date-time stored in UTC, whatever offset it was written with. A time without an
# offset is refused: the server cannot know which zone the sender meant.
Moment = Annotated[datetime.datetime, AfterValidator(_utc)]
# A calendar date within plausible years.
Day = Annotated[datetime.date, AfterValidator(_day)]

IDEMPOTENCY_HEADER = "Idempotency-Key"
_KEY_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:")


def idempotency_key(request) -> str:
    """The client's Idempotency-Key header (a UUID or similar), checked; "" if absent."""
    from django.core.exceptions import ValidationError

    key = request.headers.get(IDEMPOTENCY_HEADER, "").strip()
    if key and (len(key) > 64 or not set(key) <= _KEY_CHARS):
        raise ValidationError(
            {IDEMPOTENCY_HEADER: "Use up to 64 letters, digits, '-', '_', '.' or ':'."}
        )
    return key


def _unstorable(text: str) -> bool:
    """NUL, or half of a UTF-16 surrogate pair: neither database can store them."""
    return "\x00" in text or any("\ud800" <= ch <= "\udfff" for ch in text)


def nul_path(value: Any, path: tuple = ()) -> tuple | None:
    """Where the first unstorable character (NUL, lone surrogate) sits in parsed JSON, or None.

    >>> nul_path({"offenses": [{"statute": "a\\x00"}]})
    ('offenses', 0, 'statute')
    >>> nul_path({"note": "\\ud800"})
    ('note',)
    """
    if isinstance(value, str):
        return path if _unstorable(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            found = nul_path(key, (*path, key)) or nul_path(item, (*path, key))
            if found is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = nul_path(item, (*path, index))
            if found is not None:
                return found
    return None


_MESSAGE = "text may not contain NUL characters or unpaired surrogates"


def _refusal(request, field: str):
    from django.http import HttpResponseBadRequest

    if request.path.startswith("/api/"):
        return JsonResponse({"detail": [{"field": field, "message": _MESSAGE}]}, status=422)
    return HttpResponseBadRequest(f"{field}: {_MESSAGE}", content_type="text/plain")


class RefuseNulMiddleware:
    """Answer 422 (API) or 400 (pages) naming the field when a request carries text that
    no database can store: a NUL character or an unpaired surrogate, in the query string or
    a JSON body. (Django's form fields already refuse NUL in form posts.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for name, values in request.GET.lists():
            if _unstorable(name) or any(_unstorable(v) for v in values):
                return _refusal(request, name)
        # A file upload is never JSON, and reading its body here would hold it all in memory.
        multipart = request.content_type.startswith("multipart/")
        if request.method in ("POST", "PUT", "PATCH") and not multipart:
            body = request.body
            # Cheap test first: only bodies that could hold such text are parsed twice.
            lowered = body.lower()
            suspect = b"\\u0000" in lowered or b"\x00" in body or b"\\ud" in lowered
            is_json = request.content_type == "application/json" or request.path.startswith("/api/")
            if suspect and is_json:
                try:
                    path = nul_path(json.loads(body))
                except (ValueError, UnicodeDecodeError):
                    path = ()
                if path is not None:
                    return _refusal(request, ".".join(str(p) for p in path))
        return self.get_response(request)
