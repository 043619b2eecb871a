"""Concurrent first requests compute the dashboard once: the first takes the cache lock, the
others wait for its result (SQLite and PostgreSQL: the cache is a database table)."""

import threading
import time

import pytest
from django.core.cache import caches
from django.db import connection

from divert.program import dashboard
from tests.conftest import make_site


@pytest.fixture
def slow_compute(committed_db, monkeypatch):
    calls = []
    entered = threading.Event()

    def compute(site, start, end, area_id):
        calls.append(threading.get_ident())
        entered.set()
        time.sleep(1.0)  # long enough for every other request to miss the cache
        return {"goals": {}, "fidelity": [], "computed_at": "2026-01-01T00:00", "site": site.pk}

    monkeypatch.setattr(dashboard, "compute", compute)
    monkeypatch.setattr(dashboard, "WAIT_STEP", 0.02)
    caches["dashboard"].clear()
    yield calls, entered
    caches["dashboard"].clear()


def _in_threads(n: int, fn) -> list:
    results, errors = [None] * n, []

    def run(i: int) -> None:
        try:
            results[i] = fn()
        except Exception as exc:  # reported below, with the thread's error
            errors.append(exc)
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors, errors
    return results


def test_concurrent_first_requests_compute_once(slow_compute):
    calls, _ = slow_compute
    site = make_site("Stampede")["site"]
    results = _in_threads(4, lambda: dashboard.cached(site, None, None, None))
    assert len(calls) == 1, calls
    assert all(r == results[0] for r in results) and results[0]["site"] == site.pk
    # And a later request reads the cache.
    dashboard.cached(site, None, None, None)
    assert len(calls) == 1


def test_a_waiting_request_computes_itself_when_the_lock_outlives_its_holder(
    slow_compute, monkeypatch
):
    calls, _ = slow_compute
    site = make_site("Stale lock")["site"]
    key = f"dashboard:{site.pk}:None:None:None:{dashboard._stamp(site)}"
    caches["dashboard"].add(f"{key}:computing", 1, 60)  # a holder that died
    monkeypatch.setattr(dashboard, "LOCK_SECONDS", 0.3)
    began = time.monotonic()
    data = dashboard.cached(site, None, None, None)
    assert data["site"] == site.pk and len(calls) == 1
    assert time.monotonic() - began >= 0.3  # it waited for the holder first
