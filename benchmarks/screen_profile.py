"""Profile: one screening request at a time, in-process, through every middleware.

What `server_load` cannot say under a shared machine's load: the queries and CPU that one
`POST /api/v1/screen` costs, which do not depend on what else the machine is doing.

    .venv/bin/python -m benchmarks.screen_profile [--database sqlite|postgresql]
        [--postgres URL] [--requests 400] [--profile N]

Data: the `server_load` bench site (prepared, and tokens issued, the same way). Requests: the
same 400 cases `server_load` sends, half naming a person on file, sent with Django's test
client (the whole middleware stack, the bearer token, the real settings, DEBUG off) after 50
untimed ones. Reported per request: SQL queries (with and without a person), the Python
process's CPU, and on PostgreSQL the CPU of the backend serving it. `--profile N` prints
cProfile's N most expensive functions by cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import OUT
from benchmarks._loopback import process_cpu
from benchmarks.screen_http import build_requests
from benchmarks.server_load import DEFAULT_POSTGRES, database_url, environment, prepared


def _requests(token: str, ids: list[int]) -> list[tuple[str, bytes]]:
    """The bodies and paths server_load sends, taken from its raw HTTP requests."""
    out = []
    for raw in build_requests(8000, token, ids):
        head, body = raw.split(b"\r\n\r\n", 1)
        path = head.split(b" ", 2)[1].decode()
        out.append((path, body))
    return out


def _backend_cpu() -> float:
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    return process_cpu([pid]).get(pid, 0.0)


def run(kind: str, url: str, n: int, top: int) -> dict:
    plan = prepared(url, OUT / f"screen_profile-{kind}-plan.json")
    environment(url)
    # One connection for the whole run, so the backend's CPU is one process's.
    os.environ["DIVERT_DB_POOL"] = "off"
    os.environ["DIVERT_DB_CONN_MAX_AGE"] = "600"
    import django

    django.setup()
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections, connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    # Keep the one connection across requests (the test client would close it each time).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    token = plan["accounts"]["officer"][0]["token"]
    requests = _requests(token, [p["id"] for p in plan["people"]])
    client = Client(
        HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_HOST="127.0.0.1", HTTP_ACCEPT="application/json"
    )

    def send(path: str, body: bytes) -> None:
        response = client.post(path, body, content_type="application/json")
        if response.status_code != 200:
            raise SystemExit(f"{path}: {response.status_code} {response.content[:300]!r}")

    for path, body in requests[:50]:
        send(path, body)
    queries: dict[str, list[int]] = {"with a person": [], "without": []}
    for path, body in requests[:40]:
        with CaptureQueriesContext(connection) as captured:
            send(path, body)
        queries["with a person" if "person_id" in path else "without"].append(len(captured))
    sample = requests[: min(n, len(requests))]
    db0, cpu0, wall0 = _backend_cpu(), time.process_time(), time.perf_counter()
    for path, body in sample:
        send(path, body)
    cpu = time.process_time() - cpu0
    wall = time.perf_counter() - wall0
    db = _backend_cpu() - db0
    if top:
        # CPU time, not wall time: waiting on the database is not this process's work.
        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
        for path, body in sample:
            send(path, body)
        profiler.disable()
        print(f"--- {kind}: cProfile (CPU time) over {len(sample)} requests")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(top)
    return {
        "database": connection.vendor,
        "requests": len(sample),
        "queries": {k: max(v) if v else 0 for k, v in queries.items()},
        "cpu_ms": 1000 * cpu / len(sample),
        "database_cpu_ms": 1000 * db / len(sample),
        "wall_ms": 1000 * wall / len(sample),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="postgresql")
    parser.add_argument(
        "--postgres", default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES)
    )
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    result = run(
        args.database, database_url(args.database, args.postgres), args.requests, args.profile
    )
    q = result["queries"]
    print(
        f"{result['database']}: {q['with a person']} queries naming a person, {q['without']} "
        f"without; {result['cpu_ms']:.1f} ms CPU per request in Python, "
        f"{result['database_cpu_ms']:.1f} ms in the database backend "
        f"({result['wall_ms']:.1f} ms wall, one at a time, {result['requests']} requests)"
    )
    if args.json:
        args.json.write_text(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
