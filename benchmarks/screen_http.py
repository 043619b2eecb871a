"""Benchmark: POST /api/v1/screen served by gunicorn on 127.0.0.1, loaded from loopback.

Target (issue "Field diversion"): >= 200 requests/s with p99 <= 250 ms on 2 cores, no errors.

    .venv/bin/python -m benchmarks.screen_http [--seconds 20] [--concurrency 16]
        [--workers N] [--threads 2] [--server divert.server|cli]

Set-up: a small SQLite database under benchmarks/out/ (one jurisdiction, the Seattle 2011
policy, an officer, 1,000 people), built once and reused; a fresh ApiToken is issued per run.
The server is gunicorn through divert.server (the same _Server that `divert serve` runs),
bound to 127.0.0.1 on a free port with divert's default workers (2 x cores + 1, sync),
with the real settings (DEBUG off, SQLite in WAL and IMMEDIATE mode, every middleware, request
log on as shipped). `--server cli` runs `divert serve` itself instead.

Load: one asyncio process keeps C keep-alive HTTP/1.1 connections busy (closed loop: each
connection sends the next request as soon as the previous answer is read) for a bounded time
and request count, then stops. Half of the requests name a person on file (person_id), so
the server fills history and verified activity from its records (the case always carries a
date of birth: the API validates the case before it looks the person up). Latency is measured from writing the request to reading the whole response.

The server is always stopped at the end, also on failure or Ctrl-C.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import OUT, REPO, bench_token, configure, random_case
from benchmarks._loopback import (
    cpu_seconds,
    drive,
    free_port,
    machine_busy_seconds,
    stop_server,
    wait_ready,
)

TARGET_RPS = 200.0
TARGET_P99_MS = 250.0
DB = OUT / "screen_http.sqlite3"
PEOPLE = 1_000


# --- set-up --------------------------------------------------------------------------------


def setup_database() -> tuple[str, list[int], bool]:
    """Build the small database once; issue a fresh token. Returns (token, person ids, built)."""
    import django

    OUT.mkdir(parents=True, exist_ok=True)
    ready = DB.with_suffix(".ready")
    built = not (ready.exists() and DB.exists())
    if built:
        DB.unlink(missing_ok=True)
    configure(DB)
    django.setup()
    from django.db import connection

    from benchmarks._common import make_site, migrate
    from divert.people.models import NameKey, Person
    from divert.people.search import bulk_keys
    from divert.staff.models import User

    migrate()  # a reused database may predate the code's latest migrations
    if built:
        from divert.synth.names import MALE_FIRST, SURNAMES

        site = make_site()
        rng = random.Random(7)
        people = Person.objects.bulk_create(
            Person(
                jurisdiction=site["site"],
                first_name=rng.choice(MALE_FIRST),
                last_name=rng.choice(SURNAMES),
                date_of_birth=f"{rng.randint(1950, 2004)}-{rng.randint(1, 12):02d}-15",
            )
            for _ in range(PEOPLE)
        )
        NameKey.objects.bulk_create(bulk_keys([(p.pk, p.first_name, p.last_name) for p in people]))
        ready.touch()
    officer = User.objects.get(username="bench-officer")
    token = bench_token(officer, f"screen_http {time.time():.0f}")
    ids = list(Person.objects.values_list("pk", flat=True))
    connection.close()
    return token, ids, built


def serve(port: int, workers: int, threads: int, access_log: bool) -> None:
    """The server process: gunicorn through divert.server, as `divert serve` runs it."""
    configure(DB)
    os.environ["DIVERT_REQUEST_LOG"] = "on" if access_log else "off"
    from divert.server import prepare_metrics_dir, run_gunicorn

    prepare_metrics_dir()
    run_gunicorn(host="127.0.0.1", port=port, workers=workers, threads=threads)


def start_server(args, port: int, log: Path) -> subprocess.Popen:
    if args.server == "cli":
        cmd = [str(Path(sys.executable).parent / "divert"), "serve", "--host", "127.0.0.1"]
        cmd += ["--port", str(port), "--workers", str(args.workers)]
        cmd += ["--threads", str(args.threads)]
    else:
        cmd = [sys.executable, "-m", "benchmarks.screen_http", "--serve", "--port", str(port)]
        cmd += ["--workers", str(args.workers), "--threads", str(args.threads)]
        cmd += [] if args.access_log else ["--no-access-log"]
    env = {**os.environ, **configure(DB)}
    with log.open("wb") as out:
        # Its own session, so stopping it reaches the master and its workers, nothing else.
        return subprocess.Popen(  # noqa: S603
            cmd, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


# --- load ----------------------------------------------------------------------------------


def build_requests(port: int, token: str, ids: list[int], n: int = 400) -> list[bytes]:
    rng = random.Random(11)
    out = []
    for i in range(n):
        with_person = i % 2 == 0
        # The API validates the case before it looks the person up, so a date is always sent.
        dob = f"{rng.randint(1950, 2005)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        body = json.dumps(random_case(rng, dob=dob)).encode()
        path = f"/api/v1/screen?person_id={rng.choice(ids)}" if with_person else "/api/v1/screen"
        head = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
            f"Accept: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        out.append(head.encode() + body)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="length of the timed load")
    parser.add_argument("--concurrency", type=int, default=16, help="keep-alive connections")
    parser.add_argument("--max-requests", type=int, default=200_000, help="hard cap")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of untimed load")
    parser.add_argument("--workers", type=int, default=None, help="default: divert's (cores + 1)")
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker")
    parser.add_argument("--server", choices=["divert.server", "cli"], default="divert.server")
    parser.add_argument("--no-access-log", dest="access_log", action="store_false")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.workers is None:
        from divert.server import default_workers

        args.workers = default_workers()

    if args.serve:
        serve(args.port, args.workers, args.threads, args.access_log)
        return 0

    t0 = time.perf_counter()
    token, ids, built = setup_database()
    setup_s = time.perf_counter() - t0
    port = free_port()
    requests = build_requests(port, token, ids)
    log = OUT / "screen_http-server.log"
    proc = start_server(args, port, log)
    # Ctrl-C and SIGTERM both unwind through the finally below, which stops the server.
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        asyncio.run(wait_ready(port, requests[0], proc, timeout=60))
        if args.warmup > 0:
            asyncio.run(
                drive(
                    port,
                    requests,
                    seconds=args.warmup,
                    concurrency=args.concurrency,
                    max_requests=args.max_requests,
                )
            )
        server_cpu0, client_cpu0 = cpu_seconds(proc.pid), time.process_time()
        busy0 = machine_busy_seconds()
        res = asyncio.run(
            drive(
                port,
                requests,
                seconds=args.seconds,
                concurrency=args.concurrency,
                max_requests=args.max_requests,
            )
        )
        server_cpu = cpu_seconds(proc.pid) - server_cpu0
        client_cpu = time.process_time() - client_cpu0
        other_cpu = max(0.0, machine_busy_seconds() - busy0 - server_cpu - client_cpu)
    except KeyboardInterrupt:
        print("interrupted; stopping the server", file=sys.stderr)
        return 130
    finally:
        stop_server(proc)

    lat = res["latency"]
    ok_count = res["statuses"].get(200, 0)
    errors = sum(v for k, v in res["statuses"].items() if k != 200)
    rps = lat["n"] / res["wall"]
    config = (
        f"`divert serve` ({args.workers} workers x {args.threads} threads)"
        if args.server == "cli"
        else f"gunicorn via divert.server, {args.workers} workers x {args.threads} "
        f"thread{'s' if args.threads > 1 else ''} ({'gthread' if args.threads > 1 else 'sync'})"
        f", access log {'on' if args.access_log else 'off'}"
    )
    print(f"server           {config}, SQLite in WAL mode")
    print(f"set-up           {setup_s:.1f} s ({'database built' if built else 'database reused'})")
    print(
        f"load             {args.concurrency} keep-alive connections, {res['wall']:.1f} s "
        f"(+{args.warmup:.0f} s warm-up), {res['connections_opened']} connections opened"
    )
    print(f"requests         {lat['n']:,} ({ok_count:,} OK, {errors} errors: {res['statuses']})")
    print(f"throughput       {rps:,.0f} requests/s")
    print(
        f"latency (ms)     p50 {lat['p50']:.1f}  p95 {lat['p95']:.1f}  p99 {lat['p99']:.1f}  "
        f"max {lat['max']:.1f}  mean {lat['mean']:.1f}"
    )
    cpu_ms = server_cpu / max(1, lat["n"]) * 1000
    print(
        f"CPU              server {server_cpu / res['wall']:.2f} cores ({cpu_ms:.1f} ms per "
        f"request), load generator {client_cpu / res['wall']:.2f}, other processes "
        f"{other_cpu / res['wall']:.2f} of {os.cpu_count()} cores"
    )
    if res["sample_error"]:
        print(f"first error      {res['sample_error']}")
    ok = rps >= TARGET_RPS and lat["p99"] <= TARGET_P99_MS and errors == 0
    print(
        "PASS"
        if ok
        else f"FAIL (target: >= {TARGET_RPS:.0f} requests/s, p99 <= {TARGET_P99_MS:.0f} ms, "
        "no errors)"
    )
    if args.json:
        figures = {
            "rps": rps,
            "server_cpu_s": server_cpu,
            "server_cpu_ms_per_request": cpu_ms,
            "client_cpu_s": client_cpu,
            "other_cpu_s": other_cpu,
            **res,
        }
        args.json.write_text(json.dumps({"config": config, "figures": figures, "pass": ok}))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
