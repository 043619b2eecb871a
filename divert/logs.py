"""Logs: one JSON object a line on standard error, each carrying the request's id.

django-guid gives every request an id (or keeps a valid one sent as X-Request-ID) and
returns it in the X-Request-ID header; python-json-logger writes the records. The request
log is divert's own: one line a request with its route, status and duration. It leaves out
the query string, where an officer's lookup carries a person's name.
"""

import logging
import time

from django.db import DatabaseError
from django_guid import clear_guid

from divert.audit.middleware import client_address

request_logger = logging.getLogger("divert.requests")

# Probes and scrapes that succeed are not worth a line each.
_QUIET_PATHS = ("/healthz", "/readyz", "/metrics")
# Anonymous survey answers: no address is logged, so no line places a respondent.
_UNPLACED_PATHS = ("/s/",)


def logging_config(*, level: str, fmt: str, requests: bool) -> dict:
    """The LOGGING setting: `fmt` is "json" or "text"; `requests` turns the request log on."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {
                "()": "django_guid.log_filters.CorrelationId",
                "correlation_id_field": "request_id",
            },
        },
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": "%(levelname)s %(name)s %(message)s %(request_id)s",
                "rename_fields": {"levelname": "level", "name": "logger"},
                "timestamp": "time",
            },
            "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": fmt,
                "filters": ["request_id"],
            },
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "divert.requests": {"level": "INFO" if requests else "WARNING"},
            # It logs at INFO whenever a request brings its own id.
            "django_guid": {"level": "WARNING"},
        },
    }


def _user_id(request) -> int | None:
    try:
        user = request.user  # already loaded by the middleware that needed it
        return user.pk if user.is_authenticated else None
    except (AttributeError, DatabaseError):  # answered before authentication, or no database
        return None


class RequestLogMiddleware:
    """Writes one line per request once it is answered, then forgets the request's id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            if request_logger.isEnabledFor(logging.INFO) and not (
                response.status_code < 400 and request.path.startswith(_QUIET_PATHS)
            ):
                match = request.resolver_match
                request_logger.info(
                    "%s %s %s",
                    request.method,
                    request.path,
                    response.status_code,
                    extra={
                        "method": request.method,
                        "path": request.path,
                        "route": match.view_name if match else "",
                        "status": response.status_code,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                        "user_id": _user_id(request),
                        "remote": ""
                        if request.path.startswith(_UNPLACED_PATHS)
                        else client_address(request),
                    },
                )
            return response
        finally:
            # Lines logged between requests must not carry the last request's id.
            clear_guid()
