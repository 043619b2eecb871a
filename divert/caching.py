"""A value computed once however many ask at once, kept in a shared (database) cache."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import BaseCache

T = TypeVar("T")


def computed_once(
    cache: BaseCache,
    key: str,
    compute: Callable[[], T],
    *,
    seconds: float,
    lock_seconds: float = 120,
    wait: float = 0.1,
) -> T:
    """The value under `key`; on a miss, one caller computes it while the others wait for it.
    A lock older than `lock_seconds` is presumed dead, and the waiter computes it itself."""
    deadline = time.monotonic() + lock_seconds
    lock = f"{key}:computing"
    while True:
        value: Any = cache.get(key)
        if value is not None:
            return value
        if cache.add(lock, 1, lock_seconds):
            try:
                value = cache.get(key)  # finished between our miss and our lock
                if value is None:
                    value = compute()
                    cache.set(key, value, seconds)
                return value
            finally:
                cache.delete(lock)
        if time.monotonic() > deadline:
            return compute()
        time.sleep(wait)
