"""Input types and guards the API shares: values both databases can store.

PostgreSQL refuses two things SQLite and Python accept: NUL characters in text, and UTC
offsets beyond ±15:59. Both would surface as a 500 from the database, so they are
refused or normalised before any service runs.
"""

import datetime
import json
import re
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


def unstorable(text: str) -> bool:
    """NUL, or half of a UTF-16 surrogate pair: neither database can store them."""
    return "\x00" in text or any("\ud800" <= ch <= "\udfff" for ch in text)


# Every whole number a database id or integer column can hold.
INT64 = range(-(2**63), 2**63)
_TEXT = "text may not contain NUL characters or unpaired surrogates"
_NUMBER = "the number is out of range"


def _problem(value: Any) -> str | None:
    if isinstance(value, str):
        return _TEXT if unstorable(value) else None
    if isinstance(value, int) and not isinstance(value, bool) and value not in INT64:
        return _NUMBER
    return None


def unstorable_path(value: Any, path: tuple = ()) -> tuple[tuple, str] | None:
    """Where the first value no database can store sits in parsed JSON, and why, or None:
    text with NUL or a lone surrogate, or a whole number beyond 64 bits (SQLite raises
    OverflowError on one, where a form or schema would otherwise have refused it).

    >>> unstorable_path({"offenses": [{"statute": "a\\x00"}]})[0]
    ('offenses', 0, 'statute')
    >>> unstorable_path({"note": "\\ud800"})[0]
    ('note',)
    >>> unstorable_path({"recipient_ids": [1, 2**64]})
    (('recipient_ids', 1), 'the number is out of range')
    """
    problem = _problem(value)
    if problem:
        return path, problem
    if isinstance(value, dict):
        for key, item in value.items():
            found = unstorable_path(key, (*path, key)) or unstorable_path(item, (*path, key))
            if found is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = unstorable_path(item, (*path, index))
            if found is not None:
                return found
    return None


def _refusal(request, field: str, message: str):
    from django.http import HttpResponseBadRequest

    if request.path.startswith("/api/"):
        return JsonResponse({"detail": [{"field": field, "message": message}]}, status=422)
    return HttpResponseBadRequest(f"{field}: {message}", content_type="text/plain")


# Bodies that could hold such a value: the escapes of NUL or a surrogate, a raw NUL, or a run
# of digits longer than any 64-bit number. Only these are parsed twice.
_NULLISH = re.compile(rb"\\u0000|\x00|\\ud", re.IGNORECASE)
_LONG_NUMBER = re.compile(rb"\d{19}")


class RefuseNulMiddleware:
    """Answer 422 (API) or 400 (pages) naming the field when a request carries a value that
    no database can store: a NUL character or an unpaired surrogate, in the query string or
    a JSON body, or a whole number beyond 64 bits in a JSON body. (Django's form fields
    already refuse NUL in form posts.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for name, values in request.GET.lists():
            if unstorable(name) or any(unstorable(v) for v in values):
                return _refusal(request, name, _TEXT)
        # A file upload is never JSON, and reading its body here would hold it all in memory.
        multipart = request.content_type.startswith("multipart/")
        if request.method in ("POST", "PUT", "PATCH") and not multipart:
            body = request.body
            is_json = request.content_type == "application/json" or request.path.startswith("/api/")
            nullish = _NULLISH.search(body)
            if is_json and (nullish or _LONG_NUMBER.search(body)):
                try:
                    found = unstorable_path(json.loads(body))
                except (ValueError, UnicodeDecodeError):
                    # Not JSON: refused as before if it may hold NUL, else the parser answers.
                    found = ((), _TEXT) if nullish else None
                if found is not None:
                    path, message = found
                    return _refusal(request, ".".join(str(p) for p in path), message)
        return self.get_response(request)
