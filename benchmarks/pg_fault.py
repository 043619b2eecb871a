"""Fault test: PostgreSQL goes away under load, and divert answers 503 until it is back.

    make fault          # = .venv/bin/python -m benchmarks.pg_fault [--postgres URL]

One gunicorn server as `divert serve` runs it (the pool on, default workers) serves the bench
database of `benchmarks.server_load` (same URL, same refusal to touch any other database).
C keep-alive connections screen cases (POST /api/v1/screen) throughout, closed loop:

1. steady (3 s): every answer is 200;
2. killed (3 s): every 0.5 s every connection to the database is ended with
   pg_terminate_backend, mid-query or idle;
3. away (3 s): the database also refuses new connections (ALLOW_CONNECTIONS false), and
   its connections are ended once more;
4. back: connections are allowed again; the run ends once answers have been 200 for 3 s
   running, or 20 s after the database came back.

It passes when every answer was 200, or 503 with Retry-After and a JSON message (never a
500, a dropped connection or a time-out); answers were all 200 again within 15 s of the
database coming back; and no worker got stuck: the workers at the end are the ones that
started (gunicorn replaced none for hanging past its timeout), and each did work after the
database came back. ALLOW_CONNECTIONS is always restored, also on failure or Ctrl-C.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import signal
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import OUT
from benchmarks._loopback import Conn, process_cpu, stop_server, wait_ready
from benchmarks.screen_http import build_requests
from benchmarks.server_load import (
    DEFAULT_POSTGRES,
    postgres_connect,
    prepared,
    start_server,
)

RECOVERY_S = 15.0
STEADY_AFTER_S = 3.0


def _children(pid: int) -> list[int]:
    try:
        return sorted(int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split())
    except OSError:
        return []


class Database:
    """The bench database, steered from a connection to the maintenance database."""

    def __init__(self, url: str):
        self.admin = postgres_connect(url, dbname="postgres")
        with postgres_connect(url) as conn:
            self.name = conn.execute("SELECT current_database()").fetchone()[0]
        self.terminated = 0

    def terminate(self) -> None:
        rows = self.admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
            [self.name],
        ).fetchall()
        self.terminated += sum(1 for (done,) in rows if done)

    def allow(self, allowed: bool) -> None:
        from psycopg import sql

        self.admin.execute(
            sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS {}").format(
                sql.Identifier(self.name), sql.SQL("true" if allowed else "false")
            )
        )


async def load(port: int, requests: list[bytes], concurrency: int, script) -> list[tuple]:
    """Drive the server while `script` runs; one (sent, answered, status, body) per request."""
    log: list[tuple] = []
    done = asyncio.Event()

    async def client(k: int) -> None:
        conn, i = Conn(port), k
        while not done.is_set():
            raw = requests[i % len(requests)]
            i += concurrency
            sent = time.monotonic()
            try:
                status, body = await asyncio.wait_for(conn.request(raw), 20)
            except (OSError, asyncio.IncompleteReadError, TimeoutError) as exc:
                conn.close()
                status, body = type(exc).__name__, b""
            log.append((sent, time.monotonic(), status, body[:200]))
        conn.close()

    clients = [asyncio.create_task(client(k)) for k in range(concurrency)]
    try:
        await script(log)
    finally:
        done.set()
        await asyncio.gather(*clients)
    return log


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--postgres", default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES)
    )
    parser.add_argument("--concurrency", type=int, default=16, help="keep-alive connections")
    parser.add_argument("--workers", type=int, default=None, help="default: divert's")
    args = parser.parse_args(argv)
    if args.workers is None:
        from divert.server import default_workers

        args.workers = default_workers()
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))

    plan = prepared(args.postgres, OUT / "pg_fault-plan.json")
    db = Database(args.postgres)
    log_path = OUT / "pg_fault-server.log"
    proc, port = start_server(args.postgres, args.workers, log_path)
    requests = build_requests(
        port, plan["accounts"]["officer"][0]["token"], [p["id"] for p in plan["people"]]
    )
    marks: dict[str, float] = {}

    async def script(log: list[tuple]) -> None:
        marks["start"] = time.monotonic()
        await asyncio.sleep(3)
        marks["kill"] = time.monotonic()
        for _ in range(6):
            db.terminate()
            await asyncio.sleep(0.5)
        marks["away"] = time.monotonic()
        db.allow(False)
        db.terminate()
        await asyncio.sleep(3)
        db.allow(True)
        marks["back"] = t = time.monotonic()
        cpu_at_back.update(process_cpu(workers_at_start))
        while time.monotonic() - t < RECOVERY_S + 5:
            await asyncio.sleep(0.5)
            now = time.monotonic()
            recent = [s for sent, _, s, _ in log if sent >= now - STEADY_AFTER_S - 0.5]
            bad = [s for sent, _, s, _ in log if sent >= now - STEADY_AFTER_S and s != 200]
            if now - t >= STEADY_AFTER_S and recent and not bad:
                break
        marks["end"] = time.monotonic()

    cpu_at_back: dict[int, float] = {}
    try:
        asyncio.run(wait_ready(port, requests[0], proc, timeout=60))
        workers_at_start = _children(proc.pid)
        log = asyncio.run(load(port, requests, args.concurrency, script))
        workers_at_end = _children(proc.pid)
        cpu_at_end = process_cpu(workers_at_end)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    finally:
        db.allow(True)
        stop_server(proc)

    def phase(a: str, b: str) -> list[tuple]:  # by when the answer came; "back" takes the rest
        end = marks[b] if b != "end" else float("inf")
        return [x for x in log if marks[a] <= x[1] < end]

    def counts(rows: list[tuple]) -> dict:
        out: dict = {}
        for _, _, status, _ in rows:
            out[status] = out.get(status, 0) + 1
        return out

    unexpected = [x for x in log if x[2] not in (200, 503)]
    bad_503 = [x for x in log if x[2] == 503 and b"database is unavailable" not in x[3]]
    failing_after_back = [x for x in log if x[0] >= marks["back"] and x[2] != 200]
    recovered_at = max((x[1] for x in failing_after_back), default=marks["back"])
    recovery = recovered_at - marks["back"]
    idle = [pid for pid in workers_at_end if cpu_at_end.get(pid, 0) <= cpu_at_back.get(pid, 0)]
    slowest = max((answered - sent for sent, answered, _, _ in log), default=0.0)
    checks = [
        ("fault injected: backends terminated", db.terminated > 0),
        ("only 200 or 503 (no 500, no dropped connection, no time-out)", not unexpected),
        ("every 503 says the database is unavailable", not bad_503),
        (
            f"all 200 again within {RECOVERY_S:.0f} s of the database coming back",
            recovery <= RECOVERY_S,
        ),
        (
            "no worker replaced (none hung past gunicorn's timeout)",
            workers_at_end == workers_at_start,
        ),
        ("every worker answered after the database came back", not idle),
    ]
    print(f"server log       {log_path}")
    print(f"backends ended   {db.terminated}")
    for name, a, b in [
        ("steady", "start", "kill"),
        ("killed", "kill", "away"),
        ("away", "away", "back"),
        ("back", "back", "end"),
    ]:
        rows = phase(a, b)
        print(f"{name:<16} {marks[b] - marks[a]:4.1f} s  {len(rows):5d} requests  {counts(rows)}")
    print(f"recovered        {recovery:.1f} s after the database came back")
    print(f"slowest answer   {slowest:.1f} s")
    if unexpected:
        print(f"unexpected       {unexpected[0][2]}: {unexpected[0][3]!r}")
    ok = True
    for name, passed in checks:
        print(f"{'PASS' if passed else 'FAIL'}  {name}")
        ok = ok and passed
    (OUT / "pg_fault.json").write_text(
        json.dumps({"marks": marks, "statuses": counts(log), "recovery_s": recovery, "pass": ok})
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
