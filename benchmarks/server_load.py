"""Benchmark: the same server on SQLite and on PostgreSQL, side by side, loaded from loopback.

Against each database, one gunicorn server (divert's defaults: 2 x cores + 1 sync workers,
request log on, PostgreSQL through the connection pool) answers, in one run:

1. `GET /healthz` from C keep-alive connections for a few seconds: the framework's floor.
2. `POST /api/v1/screen` from C connections (half of them naming a person on file).
3. A mixed load of staff (locust, headless, `benchmarks/locustfile.py`): officers looking
   people up and screening, case managers on their inbox (opened and polled), caseload,
   participant pages and alerts, supervisors on capacity, the team's caseload and the
   workgroup agenda, prosecutors on their hold queue, program managers on the summary.
   p95 per page, and every error.

Targets (issue 13): on PostgreSQL, screening >= 200 requests/s with p99 <= 250 ms and at
least 0.6 of the same server's /healthz rate; the mixed load without an error on either.

    .venv/bin/python -m benchmarks.server_load [--postgres URL] [--databases sqlite,postgresql]
        [--concurrency 16] [--floor-seconds 10] [--screen-seconds 20]
        [--users 24] [--mixed-seconds 30] [--workers N]

Data: a synthetic county (the demo's scenario) seeded as the site "Bench County", once per
database and reused: `benchmarks/out/server_load.sqlite3`, and the PostgreSQL database named
by --postgres or BENCH_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/divert_bench),
created if missing. A database holding anything other than the bench site is refused, never
changed. Each run makes fresh sessions and API tokens for the bench staff.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import datetime as dt
import json
import os
import random
import resource
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import OUT, REPO, bench_token, configure
from benchmarks._loopback import (
    cpu_seconds,
    drive,
    free_port,
    machine_busy_seconds,
    process_cpu,
    stop_server,
    wait_ready,
)
from benchmarks.screen_http import build_requests

SQLITE = OUT / "server_load.sqlite3"
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/divert_bench"
SITE_NAME, SITE_SLUG = "Bench County", "bench-county"
# Staff the seeding does not make; the county brings its officers and case managers.
EXTRA_STAFF = [
    ("supervisor", "bench-supervisor"),
    ("prosecutor", "bench-prosecutor"),
    ("program_manager", "bench-programmanager"),
]
ROLES = ["officer", "case_manager", "supervisor", "prosecutor", "program_manager"]
TARGET_RPS, TARGET_P99_MS, TARGET_RATIO = 200.0, 250.0, 0.6


def database_url(kind: str, postgres: str) -> str:
    return f"sqlite:///{SQLITE}" if kind == "sqlite" else postgres


def environment(url: str) -> dict[str, str]:
    """The real settings against `url` (DEBUG off, every middleware, pool on PostgreSQL)."""
    env = configure(SQLITE)
    env["DATABASE_URL"] = url
    env["DIVERT_REQUEST_LOG"] = "on"
    os.environ.update(env)
    return env


# --- set-up (a child process per database) -------------------------------------------------


class NotOurs(Exception):
    pass


def _create_postgres_database(url: str) -> None:
    import dj_database_url
    from psycopg import sql

    name = dj_database_url.parse(url)["NAME"]
    with postgres_connect(url, dbname="postgres") as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if exists.fetchone() is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _check_ours() -> None:
    """Only an empty database, or one holding just the bench site, may be used."""
    from django.db import connection

    tables = set(connection.introspection.table_names())
    if not tables:
        return
    if "jurisdictions_jurisdiction" not in tables:
        raise NotOurs(f"{connection.settings_dict['NAME']} holds tables that are not divert's")
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM jurisdictions_jurisdiction")
        names = {row[0] for row in cursor.fetchall()}
    if names - {SITE_NAME}:
        raise NotOurs(
            f"{connection.settings_dict['NAME']} holds other sites ({', '.join(sorted(names))})"
        )


def _seed(today: dt.date) -> None:
    from django.db import transaction

    from divert.demo import SCENARIO, SEED
    from divert.jurisdictions.models import Jurisdiction
    from divert.seeding import county_load
    from divert.seeding.logins import demo_logins_create
    from divert.synth import load_scenario, small_county

    if Jurisdiction.objects.filter(name=SITE_NAME).exists():
        return
    county = small_county(seed=SEED, scenario=load_scenario(SCENARIO))
    with transaction.atomic():
        site = county_load(county, jurisdiction_name=SITE_NAME, slug=SITE_SLUG, today=today)
        demo_logins_create(
            site=site, logins=[(r, u, secrets.token_urlsafe(16)) for r, u in EXTRA_STAFF]
        )


def prepare(url: str, plan_path: Path) -> None:
    """Migrate and seed the bench site if needed, then write the plan the load test follows."""
    environment(url)
    if url.startswith("postgres"):
        _create_postgres_database(url)
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.db import connection
    from django.middleware.csrf import _get_new_csrf_string

    from divert.casework import lifecycle
    from divert.casework.models import Enrollment
    from divert.jurisdictions.clock import site_today, site_zone
    from divert.jurisdictions.models import Jurisdiction
    from divert.people.models import Person
    from divert.staff.models import User

    _check_ours()
    t0 = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    _seed(site_today(None))  # the server's TIME_ZONE: the site does not exist yet
    seeded_s = time.perf_counter() - t0
    site = Jurisdiction.objects.get(name=SITE_NAME)

    def account(user: User) -> dict:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        return {
            "username": user.username,
            "session": session.session_key,
            "csrf": _get_new_csrf_string(),
        }

    accounts: dict[str, list[dict]] = {}
    staff = User.objects.filter(organization__jurisdiction=site, is_active=True).order_by("pk")
    open_cases = Enrollment.objects.filter(jurisdiction=site, status__in=lifecycle.OPEN_STATUSES)
    with_cases = set(open_cases.values_list("case_manager_id", flat=True))
    for role in ROLES:
        users = [u for u in staff if role in u.roles]
        if role == "case_manager":
            users = [u for u in users if u.pk in with_cases]
        accounts[role] = [account(u) for u in users[:12]]
        if not accounts[role]:
            raise SystemExit(f"the bench site has no {role}")
    for entry in accounts["officer"]:
        officer = User.objects.get(username=entry["username"])
        entry["token"] = bench_token(officer, f"server_load {time.time():.0f}")
    for entry in accounts["case_manager"]:
        entry["enrollments"] = list(
            open_cases.filter(case_manager__username=entry["username"]).values_list(
                "pk", flat=True
            )[:50]
        )
    rng = random.Random(5)
    people = list(
        Person.objects.filter(jurisdiction=site, date_of_birth__isnull=False).values_list(
            "pk", "first_name", "last_name", "date_of_birth"
        )
    )
    sample = rng.sample(people, min(300, len(people)))
    plan = {
        "database": connection.vendor,
        "seed_seconds": seeded_s,
        "zone": str(site_zone(site)),
        "accounts": accounts,
        "people": [
            {"id": pk, "name": f"{first} {last}", "dob": born.isoformat()}
            for pk, first, last, born in sample
        ],
    }
    plan_path.write_text(json.dumps(plan))
    connection.close()


def serve(url: str, port: int, workers: int) -> None:
    environment(url)
    from divert.server import prepare_metrics_dir, run_gunicorn

    prepare_metrics_dir()
    run_gunicorn(host="127.0.0.1", port=port, workers=workers)


# --- one run against one database ----------------------------------------------------------


def _own_cpu() -> float:
    """CPU of this process and its finished children (locust), in seconds."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def postgres_connect(url: str, dbname: str | None = None):
    """A plain psycopg connection (autocommit) to the database of `url`, or to `dbname`."""
    import dj_database_url
    import psycopg

    db = dj_database_url.parse(url)
    params = {"host": db["HOST"], "port": db["PORT"] or 5432, "user": db["USER"]}
    if db["PASSWORD"]:
        params["password"] = db["PASSWORD"]
    return psycopg.connect(
        dbname=dbname or db["NAME"], autocommit=True, connect_timeout=5, **params
    )


class DatabaseCpu:
    """CPU used by the PostgreSQL backends serving the bench database (0 for SQLite)."""

    def __init__(self, url: str):
        self.conn = postgres_connect(url) if url.startswith("postgres") else None
        self.start: dict[int, float] = {}

    def _now(self) -> dict[int, float]:
        if self.conn is None:
            return {}
        rows = self.conn.execute(
            "SELECT pid FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
        return process_cpu([pid for (pid,) in rows])

    def begin(self) -> None:
        self.start = self._now()

    def seconds(self) -> float:
        return sum(cpu - self.start.get(pid, 0.0) for pid, cpu in self._now().items())

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


def _phase(proc: subprocess.Popen, database: DatabaseCpu, run) -> tuple[dict, dict]:
    """Run `run()`; the CPU of the server, its database, the load generator and the rest."""
    server0, client0, busy0 = cpu_seconds(proc.pid), _own_cpu(), machine_busy_seconds()
    database.begin()
    t0 = time.perf_counter()
    result = run()
    wall = time.perf_counter() - t0
    server = cpu_seconds(proc.pid) - server0
    client = _own_cpu() - client0
    db = database.seconds()
    other = max(0.0, machine_busy_seconds() - busy0 - server - client - db)
    return result, {
        "wall": wall,
        "server_cores": server / wall,
        "database_cores": db / wall,
        "load_cores": client / wall,
        "other_cores": other / wall,
    }


def _mixed(port: int, plan: Path, users: int, seconds: float, prefix: Path) -> dict:
    cmd = [sys.executable, "-m", "locust", "-f", str(REPO / "benchmarks" / "locustfile.py")]
    cmd += ["--headless", "--users", str(users), "--spawn-rate", str(users)]
    cmd += ["--run-time", f"{seconds:.0f}s", "--stop-timeout", "5", "--only-summary"]
    cmd += ["--host", f"http://127.0.0.1:{port}", "--csv", str(prefix), "--loglevel", "WARNING"]
    env = {**os.environ, "BENCH_PLAN": str(plan)}
    for stale in prefix.parent.glob(f"{prefix.name}_*.csv"):
        stale.unlink()
    done = subprocess.run(  # noqa: S603
        cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=seconds + 120
    )
    if not Path(f"{prefix}_stats.csv").exists():
        raise RuntimeError(f"locust failed ({done.returncode}): {done.stderr[-2000:]}")
    pages, total = {}, {}
    with open(f"{prefix}_stats.csv", newline="") as f:
        for row in csv.DictReader(f):
            figures = {
                "n": int(row["Request Count"]),
                "errors": int(row["Failure Count"]),
                "rps": float(row["Requests/s"]),
                "p50": float(row["50%"] or 0),
                "p95": float(row["95%"] or 0),
                "p99": float(row["99%"] or 0),
                "max": float(row["Max Response Time"] or 0),
            }
            if row["Name"] == "Aggregated":
                total = figures
            else:
                pages[row["Name"]] = figures
    with open(f"{prefix}_failures.csv", newline="") as f:
        failures = [
            {"page": r["Name"], "error": r["Error"], "count": int(r["Occurrences"])}
            for r in csv.DictReader(f)
        ]
    return {"pages": pages, "total": total, "failures": failures, "users": users}


def prepared(url: str, plan: Path) -> dict:
    """Set the bench database up in a child process; the plan it wrote. SystemExit if it can't."""
    OUT.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "benchmarks.server_load", "--prepare", url, "--plan", str(plan)],
        cwd=REPO,
        env={**os.environ, **environment(url)},
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit((done.stderr.strip().splitlines() or ["unknown error"])[-1])
    return json.loads(plan.read_text())


def start_server(url: str, workers: int, log: Path) -> tuple[subprocess.Popen, int]:
    """gunicorn as `divert serve` runs it, on a free loopback port, in its own session."""
    port = free_port()
    cmd = [sys.executable, "-m", "benchmarks.server_load", "--serve", url, "--port", str(port)]
    cmd += ["--workers", str(workers)]
    env = {**os.environ, **environment(url)}
    with log.open("wb") as out:
        # Its own session, so stopping it reaches the master and its workers, nothing else.
        proc = subprocess.Popen(  # noqa: S603
            cmd, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    return proc, port


def run_one(kind: str, url: str, args) -> dict:
    plan = OUT / f"server_load-{kind}-plan.json"
    t0 = time.perf_counter()
    try:
        details = prepared(url, plan)
    except SystemExit as exc:
        return {"skipped": str(exc)}
    setup_s = time.perf_counter() - t0
    proc, port = start_server(url, args.workers, OUT / f"server_load-{kind}-server.log")
    officer = details["accounts"]["officer"][0]
    screen = build_requests(port, officer["token"], [p["id"] for p in details["people"]])
    floor = [f"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()]

    def load(requests: list[bytes], seconds: float) -> dict:
        asyncio.run(
            drive(port, requests, seconds=3, concurrency=args.concurrency, max_requests=10**6)
        )
        return asyncio.run(
            drive(port, requests, seconds=seconds, concurrency=args.concurrency, max_requests=10**6)
        )

    database = DatabaseCpu(url)
    try:
        asyncio.run(wait_ready(port, screen[0], proc, timeout=60))
        res_floor, cpu_floor = _phase(proc, database, lambda: load(floor, args.floor_seconds))
        res_screen, cpu_screen = _phase(proc, database, lambda: load(screen, args.screen_seconds))
        prefix = OUT / f"server_load-{kind}-mixed"
        res_mixed, cpu_mixed = _phase(
            proc, database, lambda: _mixed(port, plan, args.users, args.mixed_seconds, prefix)
        )
    finally:
        stop_server(proc)
        database.close()
    for res in (res_floor, res_screen):
        res["rps"] = res["latency"]["n"] / res["wall"]
        res["errors"] = sum(v for k, v in res["statuses"].items() if k != 200)
    return {
        "database": details["database"],
        "setup_seconds": setup_s,
        "floor": {**res_floor, "cpu": cpu_floor},
        "screen": {**res_screen, "cpu": cpu_screen},
        "mixed": {**res_mixed, "cpu": cpu_mixed},
    }


# --- report --------------------------------------------------------------------------------


def verdicts(results: dict) -> list[tuple[str, bool]]:
    out = []
    pg = results.get("postgresql", {})
    if "skipped" in pg or not pg:
        out.append(("PostgreSQL measured", False))
    else:
        s, floor = pg["screen"], pg["floor"]["rps"]
        out.append((f"PostgreSQL screening >= {TARGET_RPS:.0f} req/s", s["rps"] >= TARGET_RPS))
        out.append(
            (
                f"PostgreSQL screening p99 <= {TARGET_P99_MS:.0f} ms",
                s["latency"]["p99"] <= TARGET_P99_MS,
            )
        )
        out.append(
            (f"PostgreSQL screening >= {TARGET_RATIO} x /healthz", s["rps"] >= TARGET_RATIO * floor)
        )
    for kind, r in results.items():
        if "skipped" in r:
            continue
        errors = r["floor"]["errors"] + r["screen"]["errors"] + r["mixed"]["total"]["errors"]
        out.append((f"{kind}: no errors", errors == 0))
    return out


def report(results: dict, args) -> bool:
    from rich.console import Console
    from rich.table import Table

    kinds = list(results)
    table = Table("", *kinds, title="Same server, same run: SQLite and PostgreSQL side by side")

    def cells(fn) -> list[str]:
        return [("skipped: " + r["skipped"]) if "skipped" in r else fn(r) for r in results.values()]

    def rate(x: dict) -> str:
        lat = x["latency"]
        return (
            f"{x['rps']:,.0f} req/s, p50 {lat['p50']:.1f} / p95 {lat['p95']:.1f} / "
            f"p99 {lat['p99']:.1f} ms, {x['errors']} errors"
        )

    table.add_row(
        f"GET /healthz ({args.concurrency} connections)", *cells(lambda r: rate(r["floor"]))
    )
    table.add_row(
        f"POST /api/v1/screen ({args.concurrency} connections)", *cells(lambda r: rate(r["screen"]))
    )
    table.add_row(
        "screening / healthz", *cells(lambda r: f"{r['screen']['rps'] / r['floor']['rps']:.2f}")
    )
    names = sorted({n for r in results.values() if "mixed" in r for n in r["mixed"]["pages"]})
    table.add_section()
    for name in names:

        def page(r: dict, name: str = name) -> str:
            p = r["mixed"]["pages"].get(name)
            if p is None:
                return "-"
            return f"p95 {p['p95']:.0f} ms (p50 {p['p50']:.0f}, n {p['n']:,}, {p['errors']} errors)"

        table.add_row(name, *cells(page))
    table.add_row(
        f"mixed load ({args.users} staff, {args.mixed_seconds:.0f} s)",
        *cells(
            lambda r: (
                f"{r['mixed']['total']['rps']:,.1f} req/s, p95 {r['mixed']['total']['p95']:.0f} ms, "
                f"{r['mixed']['total']['errors']} errors"
            )
        ),
    )
    table.add_section()
    table.add_row(
        "cores used: server / database / load / others",
        *cells(
            lambda r: " · ".join(
                f"{phase} {r[phase]['cpu']['server_cores']:.2f} / "
                f"{r[phase]['cpu']['database_cores']:.2f} / {r[phase]['cpu']['load_cores']:.2f} / "
                f"{r[phase]['cpu']['other_cores']:.2f}"
                for phase in ("floor", "screen", "mixed")
            )
        ),
    )
    console = Console(width=200)
    console.print(table)
    for kind, r in results.items():
        for failure in r.get("mixed", {}).get("failures", [])[:10]:
            console.print(f"{kind}: {failure['count']} x {failure['page']}: {failure['error']}")
    ok = True
    for what, passed in verdicts(results):
        console.print(f"{'PASS' if passed else 'FAIL'}  {what}")
        ok = ok and passed
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument(
        "--postgres", default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES)
    )
    parser.add_argument("--concurrency", type=int, default=16, help="keep-alive connections")
    parser.add_argument("--floor-seconds", type=float, default=10.0)
    parser.add_argument("--screen-seconds", type=float, default=20.0)
    parser.add_argument("--users", type=int, default=24, help="staff in the mixed load")
    parser.add_argument("--mixed-seconds", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=None, help="default: divert's")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--prepare", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument("--plan", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--serve", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.workers is None:
        from divert.server import default_workers

        args.workers = default_workers()
    if args.prepare:
        try:
            prepare(args.prepare, args.plan)
        except NotOurs as exc:
            raise SystemExit(f"refusing to use the database: {exc}") from None
        return 0
    if args.serve:
        serve(args.serve, args.port, args.workers)
        return 0

    bounds = (
        args.users,
        args.concurrency,
        args.mixed_seconds + args.screen_seconds + args.floor_seconds,
    )
    if bounds[0] > 200 or bounds[1] > 64 or bounds[2] > 600:
        parser.error("bounded: at most 200 staff, 64 connections and 600 s of load")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))  # shared by set-up and server
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    results = {}
    for kind in [k.strip() for k in args.databases.split(",") if k.strip()]:
        if kind not in ("sqlite", "postgresql"):
            parser.error(f"unknown database {kind!r}: sqlite or postgresql")
        print(f"--- {kind}", flush=True)
        try:
            results[kind] = run_one(kind, database_url(kind, args.postgres), args)
        except KeyboardInterrupt:
            print("interrupted", file=sys.stderr)
            return 130
    ok = report(results, args)
    if args.json:
        args.json.write_text(json.dumps({"results": results, "pass": ok}, default=str))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
