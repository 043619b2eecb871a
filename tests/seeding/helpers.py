"""Load a county once per test module: loading takes seconds, a rollback takes none."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction


@contextmanager
def loaded_once(django_db_blocker: Any, load: Callable[[], Any]) -> Iterator[Any]:
    """Run `load` in an outer transaction that is rolled back after the module's tests.

    Each test's own transaction (pytest-django's `db`) nests inside as a savepoint, so what a
    test writes is undone and the loaded rows are shared.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield load()
        transaction.set_rollback(True)
