"""Who is acting, from where, and why: set once per request or CLI command."""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True)
class AuditContext:
    user: Any = None
    origin: str = ""
    component: str = ""
    purpose: str = ""


# AuditContext is frozen, so sharing one default instance is safe.
_current: ContextVar[AuditContext] = ContextVar("audit_context", default=AuditContext())  # noqa: B039


def current() -> AuditContext:
    return _current.get()


@contextmanager
def acting(**changes: Any):
    """Run a block with parts of the audit context replaced.

    >>> with acting(component="cli", origin="cli"):
    ...     current().component
    'cli'
    """
    token = _current.set(replace(_current.get(), **changes))
    try:
        yield
    finally:
        _current.reset(token)


def set_user(user: Any, **changes: Any) -> None:
    """Name the acting user for the rest of this request (bearer-token API calls)."""
    _current.set(replace(_current.get(), user=user, **changes))
