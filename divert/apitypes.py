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


def _utc(value: datetime.datetime) -> datetime.datetime:
    if value.tzinfo is None:
        return value
    try:
        return value.astimezone(datetime.UTC)
    except OverflowError:
        raise ValueError("date and time out of range") from None


# An aware date-time stored in UTC, whatever offset it was written with.
Moment = Annotated[datetime.datetime, AfterValidator(_utc)]


def nul_path(value: Any, path: tuple = ()) -> tuple | None:
    """Where the first NUL character sits in parsed JSON, or None.

    >>> nul_path({"offenses": [{"statute": "a\\x00"}]})
    ('offenses', 0, 'statute')
    """
    if isinstance(value, str):
        return path if "\x00" in value else None
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


class RefuseNulMiddleware:
    """Answer 422 naming the field when an API body carries a NUL character."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/") and request.method in ("POST", "PUT", "PATCH"):
            body = request.body
            # Cheap test first: only bodies that could hold a NUL are parsed twice.
            if b"\\u0000" in body or b"\x00" in body:
                try:
                    path = nul_path(json.loads(body))
                except (ValueError, UnicodeDecodeError):
                    path = ()
                if path is not None:
                    field = ".".join(str(p) for p in path)
                    return JsonResponse(
                        {
                            "detail": [
                                {"field": field, "message": "text may not contain NUL characters"}
                            ]
                        },
                        status=422,
                    )
        return self.get_response(request)
