"""Benchmark: an officer's person lookup plus eligibility screening against N person records.

Target (issue "Field diversion"): p95 <= 50 ms in-process for person_search + screening_run
against 1,000,000 people.

    .venv/bin/python -m benchmarks.lookup_screen [--people N] [--iterations M] [--rebuild]

The database is built once per size under benchmarks/out/lookup-<N>.sqlite3 (a child
process, so its memory does not count toward the timed run's peak RSS) and reused after.
It holds one jurisdiction, the Seattle 2011 policy loaded with policy_load, an officer, N
people with names drawn from divert.synth.names (some with aliases, middle names, double
surnames and partial dates of birth) and their NameKey rows from bulk_keys.

Each timed iteration is what the officer's phone does: person_search with the name as an
officer would type it (clean, a typo, a nickname, first and last swapped, an alias, one half
of a double surname, or someone not on file) and the date of birth as given (exact, missing
or day/month transposed), then screening_run on a realistic case for the top hit (or for
nobody). screening_run writes its Screening row, as in production.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import OUT, django_setup, migrate, peak_rss_mb, percentiles, random_case

TARGET_P95_MS = 50.0
CHUNK = 50_000


def db_path(people: int) -> Path:
    return OUT / f"lookup-{people}.sqlite3"


def meta_path(people: int) -> Path:
    return OUT / f"lookup-{people}.json"


# --- building ------------------------------------------------------------------------------


def _people_rows(rng, n: int, start_id: int, jurisdiction_id: int, created: str):
    """Person rows (as tuples for executemany) and alias rows for ids start_id.. start_id+n-1."""
    import numpy as np

    from divert.synth.names import FEMALE_FIRST, MALE_FIRST, NICKNAMES, SURNAMES

    female = rng.random(n) < 0.3  # LEAD populations are mostly men
    first = np.where(
        female,
        np.array(FEMALE_FIRST, dtype=object)[rng.integers(len(FEMALE_FIRST), size=n)],
        np.array(MALE_FIRST, dtype=object)[rng.integers(len(MALE_FIRST), size=n)],
    )
    middle_pool = np.array(MALE_FIRST + FEMALE_FIRST, dtype=object)
    middle = np.where(rng.random(n) < 0.6, middle_pool[rng.integers(len(middle_pool), size=n)], "")
    surnames = np.array(SURNAMES, dtype=object)
    last = surnames[rng.integers(len(surnames), size=n)]
    hyphen = rng.random(n) < 0.04
    last[hyphen] = last[hyphen] + "-" + surnames[rng.integers(len(surnames), size=hyphen.sum())]
    # Ages 18-75 on 2026-01-01, a few minors (the policy refuses them).
    age_days = rng.uniform(16, 75, n) * 365.25
    born = np.datetime64("2026-01-01") - age_days.astype("int64").astype("timedelta64[D]")
    prec = rng.choice(["day", "month", "year"], size=n, p=[0.95, 0.03, 0.02])
    races = ["white", "black", "asian", "american_indian_alaska_native", "multiracial", "unknown"]
    race = rng.choice(races, size=n, p=[0.45, 0.30, 0.08, 0.05, 0.07, 0.05])
    eth = rng.choice(["hispanic", "not_hispanic", "unknown"], size=n, p=[0.15, 0.75, 0.10])

    rows, aliases = [], []
    alias_draw = rng.random(n)
    other_last = surnames[rng.integers(len(surnames), size=n)]
    for i in range(n):
        pid = start_id + i
        iso = str(born[i])
        p = prec[i]
        if p == "month":
            iso = iso[:8] + "01"
        elif p == "year":
            iso = iso[:5] + "01-01"
        sex = "female" if female[i] else "male"
        gender = "woman" if female[i] else "man"
        names = (first[i], middle[i], last[i])
        rows.append((pid, jurisdiction_id, *names, iso, p, race[i], eth[i], sex, gender, created))
        a = alias_draw[i]
        if a < 0.05 and first[i] in NICKNAMES:  # known by a nickname
            nicks = NICKNAMES[first[i]]
            aliases.append((pid, "alias", nicks[int(a * 1000) % len(nicks)], last[i]))
        elif a < 0.08:  # a former surname
            aliases.append((pid, "former", first[i], other_last[i]))
    return rows, aliases


_PERSON_COLUMNS = (
    "id", "jurisdiction_id", "first_name", "middle_name", "last_name", "date_of_birth",
    "dob_precision", "race", "ethnicity", "sex", "gender_identity", "created",
)  # fmt: skip


def build(people: int, seed: int) -> dict:
    """Create benchmarks/out/lookup-<people>.sqlite3 from scratch (run in a child process)."""
    import numpy as np
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    OUT.mkdir(parents=True, exist_ok=True)
    final = db_path(people)
    tmp = final.with_suffix(".building")
    for p in (tmp, Path(f"{tmp}-journal"), final, meta_path(people)):
        p.unlink(missing_ok=True)
    django_setup(tmp)
    from django.db import connection
    from django.utils import timezone

    from divert.people.models import NameKey, Person, PersonName
    from divert.people.search import bulk_keys

    assert tuple(f.column for f in Person._meta.concrete_fields) == _PERSON_COLUMNS, (
        "Person's columns changed; update _PERSON_COLUMNS"
    )
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    migrate()
    from benchmarks._common import make_site

    site = make_site()
    timings["migrate + site + policy"] = time.perf_counter() - t0

    connection.ensure_connection()
    raw = connection.connection  # the sqlite3 connection, in autocommit
    # Bulk-load settings for this connection only; none of them persists in the file.
    raw.execute("PRAGMA synchronous = OFF")
    raw.execute("PRAGMA journal_mode = MEMORY")
    raw.execute("PRAGMA cache_size = -1000000")
    raw.execute("PRAGMA temp_store = MEMORY")
    tables = [Person._meta.db_table, PersonName._meta.db_table, NameKey._meta.db_table]
    # Secondary indexes are dropped during the load and recreated, identical, afterwards.
    placeholders = ",".join("?" * len(tables))
    index_sql = list(
        raw.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "  # noqa: S608
            f"AND tbl_name IN ({placeholders})",
            tables,
        )
    )
    for name, _ in index_sql:
        raw.execute(f'DROP INDEX "{name}"')

    person_sql = (
        f"INSERT INTO {Person._meta.db_table} ({', '.join(_PERSON_COLUMNS)}) "  # noqa: S608
        f"VALUES ({', '.join('?' * len(_PERSON_COLUMNS))})"
    )
    alias_sql = (
        f"INSERT INTO {PersonName._meta.db_table} "  # noqa: S608
        "(person_id, kind, first_name, last_name) VALUES (?, ?, ?, ?)"
    )
    key_sql = f"INSERT INTO {NameKey._meta.db_table} (person_id, key) VALUES (?, ?)"  # noqa: S608
    created = connection.ops.adapt_datetimefield_value(timezone.now())
    rng = np.random.default_rng(seed)
    counts = {"people": 0, "aliases": 0, "name_keys": 0}
    spent = {"generate": 0.0, "insert people": 0.0, "bulk_keys": 0.0, "insert name keys": 0.0}
    columns = (
        TextColumn("{task.description:<22}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    t_load = time.perf_counter()
    with Progress(*columns, refresh_per_second=4) as bar:
        load = bar.add_task("people + name keys", total=people, rate="")
        raw.execute("BEGIN")
        for start in range(0, people, CHUNK):
            n = min(CHUNK, people - start)
            a = time.perf_counter()
            rows, aliases = _people_rows(rng, n, start + 1, site["site"].pk, created)
            b = time.perf_counter()
            raw.executemany(person_sql, rows)
            raw.executemany(alias_sql, aliases)
            c = time.perf_counter()
            names = [(r[0], r[2], r[4]) for r in rows] + [(x[0], x[2], x[3]) for x in aliases]
            keys = [(k.person_id, k.key) for k in bulk_keys(names)]
            d = time.perf_counter()
            raw.executemany(key_sql, keys)
            e = time.perf_counter()
            spent["generate"] += b - a
            spent["insert people"] += c - b
            spent["bulk_keys"] += d - c
            spent["insert name keys"] += e - d
            counts["people"] += n
            counts["aliases"] += len(aliases)
            counts["name_keys"] += len(keys)
            done = start + n
            bar.update(
                load,
                completed=done,
                rate=f"{done / (time.perf_counter() - t_load):,.0f}/s  keys {counts['name_keys']:,}",
            )
        raw.execute("COMMIT")
        idx = bar.add_task("recreate indexes", total=len(index_sql), rate="")
        t_idx = time.perf_counter()
        for name, sql in index_sql:
            bar.update(idx, rate=name)
            raw.execute(sql)
            bar.advance(idx)
        bar.update(idx, rate="")
        spent["recreate indexes"] = time.perf_counter() - t_idx
    timings.update(spent)
    t_sync = time.perf_counter()
    connection.close()
    os.replace(tmp, final)
    timings["close + rename"] = time.perf_counter() - t_sync
    timings["total"] = time.perf_counter() - t0
    meta = {
        "people": people,
        "seed": seed,
        "rows": counts,
        "setup_seconds": timings,
        "build_peak_rss_mb": round(peak_rss_mb()),
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "size_mb": round(final.stat().st_size / 1e6),
    }
    meta_path(people).write_text(json.dumps(meta, indent=2))
    return meta


def ensure_database(people: int, seed: int, rebuild: bool) -> dict:
    """Reuse the database for this size if a finished build is on disk; else build it."""
    meta_file = meta_path(people)
    if not rebuild and meta_file.exists() and db_path(people).exists():
        meta = json.loads(meta_file.read_text())
        if meta.get("people") == people:
            meta["reused"] = True
            return meta
    print(f"Building the {people:,}-person database (one-off; reused next time) ...", flush=True)
    cmd = [sys.executable, "-m", "benchmarks.lookup_screen", "--build-only"]
    cmd += ["--people", str(people), "--seed", str(seed)]
    subprocess.run(cmd, check=True, cwd=OUT.parent.parent)  # noqa: S603
    meta = json.loads(meta_file.read_text())
    meta["reused"] = False
    return meta


# --- the timed run -------------------------------------------------------------------------


def _noisy_queries(rng: random.Random, m: int, people: int) -> list[dict]:
    """M lookups as an officer types them, with the true person where there is one."""
    import numpy as np

    from divert.people.models import Person, PersonName
    from divert.synth.names import FEMALE_FIRST, MALE_FIRST, NICKNAMES, SURNAMES
    from divert.synth.noise import typo

    nrng = np.random.default_rng(rng.randrange(2**32))
    ids = rng.sample(range(1, people + 1), k=min(m, people))
    found = {
        p["pk"]: p
        for p in Person.objects.filter(pk__in=ids).values(
            "pk", "first_name", "last_name", "date_of_birth", "dob_precision"
        )
    }
    aliases: dict[int, list[tuple[str, str]]] = {}
    for pid, f, last in PersonName.objects.filter(person_id__in=ids).values_list(
        "person_id", "first_name", "last_name"
    ):
        aliases.setdefault(pid, []).append((f, last))
    out = []
    for i in range(m):
        if rng.random() < 0.10:  # someone not on file
            first = rng.choice(MALE_FIRST + FEMALE_FIRST)
            last = rng.choice(SURNAMES)
            born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(365 * 55))
            truth, kind = None, "not on file"
        else:
            p = found[ids[i % len(ids)]]
            first, last, born, truth = p["first_name"], p["last_name"], p["date_of_birth"], p["pk"]
            r = rng.random()
            if r < 0.40:
                kind = "clean"
            elif r < 0.60:
                kind = "typo"
                if rng.random() < 0.5:
                    first = typo(nrng, first)
                else:
                    last = typo(nrng, last)
            elif r < 0.75 and first in NICKNAMES:
                kind = "nickname"
                first = rng.choice(NICKNAMES[first])
            elif r < 0.85:
                kind = "swapped"
                first, last = last, first
            elif r < 0.92 and truth in aliases:
                kind = "alias"
                first, last = rng.choice(aliases[truth])
            elif "-" in last:
                kind = "half of double surname"
                last = rng.choice(last.split("-"))
            else:
                kind = "clean"
        d = rng.random()
        if d < 0.15 or born is None:
            dob = None
        elif d < 0.25 and born.day <= 12 and born.day != born.month:
            dob = born.replace(month=born.day, day=born.month)
        else:
            dob = born
        out.append({"query": f"{first} {last}", "dob": dob, "truth": truth, "kind": kind})
    return out


def planner_stats(analyze: bool) -> float:
    """ANALYZE the database (--analyze), or make sure it has no planner statistics.

    divert never runs ANALYZE, so a production SQLite file has no sqlite_stat1 unless an
    operator made one; the default run measures that. Returns the seconds ANALYZE took.
    """
    from django.db import connection

    t0 = time.perf_counter()
    with connection.cursor() as cur:
        if analyze:
            cur.execute("ANALYZE")
        else:
            cur.execute("SELECT name FROM sqlite_master WHERE name LIKE 'sqlite_stat%'")
            for (name,) in cur.fetchall():
                cur.execute(f"DROP TABLE IF EXISTS {name}")
    connection.close()  # the planner reads statistics when a connection opens
    return time.perf_counter() - t0


def run(
    people: int, iterations: int, seed: int, warmup: int, max_seconds: float, analyze: bool
) -> dict:
    django_setup(db_path(people))
    analyze_s = planner_stats(analyze)
    from divert.field.diversion import screening_run
    from divert.people.search import person_search
    from divert.staff.models import User

    officer = User.objects.select_related("organization").get(username="bench-officer")
    jid = officer.jurisdiction_id
    rng = random.Random(seed)
    queries = _noisy_queries(rng, iterations + warmup, people)
    total, search, screen = [], [], []
    hits = top1 = known = 0
    by_kind: dict[str, list[int]] = {}
    # The bars: with a date of birth the right person first; without, in the top five.
    with_dob = [0, 0]
    without_dob = [0, 0]
    missed_without_dob: list[int] = []
    from rich.progress import Progress

    stopped_early = False
    started = time.perf_counter()
    with Progress(transient=True) as bar:
        task = bar.add_task("lookup + screen", total=len(queries))
        for i, q in enumerate(queries):
            if i > warmup and time.perf_counter() - started > max_seconds:
                stopped_early = True
                break
            t0 = time.perf_counter()
            found = person_search(jurisdiction_id=jid, query=q["query"], dob=q["dob"])
            t1 = time.perf_counter()
            person = found[0][0] if found else None
            dob = None if person else (q["dob"].isoformat() if q["dob"] else "1980")
            screening_run(user=officer, case=random_case(rng, dob=dob), person=person)
            t2 = time.perf_counter()
            bar.advance(task)
            if i < warmup:
                continue
            total.append((t2 - t0) * 1000)
            search.append((t1 - t0) * 1000)
            screen.append((t2 - t1) * 1000)
            hits += bool(found)
            if q["truth"] is not None:
                known += 1
                ok = bool(found) and found[0][0].pk == q["truth"]
                top1 += ok
                if q["dob"] is not None:
                    with_dob[0] += ok
                    with_dob[1] += 1
                else:
                    in5 = q["truth"] in [p.pk for p, _ in found[:5]]
                    without_dob[0] += in5
                    without_dob[1] += 1
                    if not in5:
                        missed_without_dob.append(q["truth"])
                by_kind.setdefault(q["kind"], [0, 0])
                by_kind[q["kind"]][0] += ok
                by_kind[q["kind"]][1] += 1
    return {
        "top1_with_dob": with_dob[0] / max(1, with_dob[1]),
        "with_dob_n": with_dob[1],
        "top5_without_dob": without_dob[0] / max(1, without_dob[1]),
        "without_dob_n": without_dob[1],
        "namesakes_of_missed": _namesakes(missed_without_dob),
        "total": percentiles(total),
        "person_search": percentiles(search),
        "screening_run": percentiles(screen),
        "hit_rate": hits / max(1, len(total)),
        "top1_accuracy": top1 / max(1, known),
        "top1_by_kind": {k: v[0] / v[1] for k, v in sorted(by_kind.items())},
        "peak_rss_mb": peak_rss_mb(),
        "stopped_early": stopped_early,
        "analyze_s": analyze_s if analyze else None,
        "load_average": os.getloadavg(),
    }


def _namesakes(person_ids: list[int]) -> list[int]:
    """For each person missed from the top five without a date of birth: how many people on
    file share their legal first and last name exactly (then no name can tell them apart)."""
    from django.db.models import Count

    from divert.people.models import Person

    names = list(Person.objects.filter(pk__in=person_ids).values_list("first_name", "last_name"))
    out = []
    for first, last in names:
        out.append(
            Person.objects.filter(first_name=first, last_name=last).aggregate(n=Count("pk"))["n"]
        )
    return sorted(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--iterations", type=int, default=2_000)
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rebuild", action="store_true", help="build the database afresh")
    parser.add_argument(
        "--max-seconds", type=float, default=300, help="stop the timed loop after this long"
    )
    parser.add_argument(
        "--analyze", action="store_true", help="run ANALYZE first (planner statistics)"
    )
    parser.add_argument("--build-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)

    if args.build_only:
        meta = build(args.people, args.seed)
        print(f"built {db_path(args.people)} in {meta['setup_seconds']['total']:.1f} s")
        return 0
    meta = ensure_database(args.people, args.seed, args.rebuild)
    t0 = time.perf_counter()
    res = run(args.people, args.iterations, args.seed, args.warmup, args.max_seconds, args.analyze)
    wall = time.perf_counter() - t0

    rows = meta["rows"]
    setup = meta["setup_seconds"]
    print(
        f"database         {db_path(args.people).name}  ({meta['size_mb']:,} MB, "
        f"{'reused' if meta['reused'] else 'built now'})"
    )
    print(
        f"rows             {rows['people']:,} people, {rows['aliases']:,} aliases, "
        f"{rows['name_keys']:,} name keys"
    )
    print(
        f"setup            {setup['total']:.1f} s  ("
        + ", ".join(f"{k} {v:.1f}" for k, v in setup.items() if k != "total")
        + f"), build peak RSS {meta['build_peak_rss_mb']:,} MB"
    )
    print(
        f"iterations       {res['total']['n']:,} (+{args.warmup} warm-up) in {wall:.1f} s"
        + (f"; stopped at the {args.max_seconds:.0f} s budget" if res["stopped_early"] else "")
    )
    print(
        "planner stats    "
        + (f"ANALYZE run first ({res['analyze_s']:.1f} s)" if args.analyze else "none (as shipped)")
        + "; load average {:.1f} {:.1f} {:.1f}".format(*res["load_average"])
    )
    print(f"{'':17}{'p50':>8}{'p95':>8}{'p99':>8}{'max':>8}{'mean':>8}  (ms)")
    for name in ("person_search", "screening_run", "total"):
        s = res[name]
        print(
            f"{name:<17}{s['p50']:8.1f}{s['p95']:8.1f}{s['p99']:8.1f}{s['max']:8.1f}{s['mean']:8.1f}"
        )
    print(
        f"matches          {res['hit_rate']:.0%} of lookups found someone; top hit was the "
        f"right person {res['top1_accuracy']:.0%} of the time for people on file"
    )
    print(
        f"with a birth date  right person first {res['top1_with_dob']:.1%} "
        f"(n={res['with_dob_n']}; target >= 97%)"
    )
    print(
        f"name only          right person in the top five {res['top5_without_dob']:.1%} "
        f"(n={res['without_dob_n']}; target >= 90%)"
    )
    ns = res["namesakes_of_missed"]
    if ns:
        print(
            f"missed, name only  {len(ns)}; people sharing their exact name: median "
            f"{ns[len(ns) // 2]}, {sum(n > 5 for n in ns)} of them with more than five"
        )
    print("top-1 by noise   " + ", ".join(f"{k} {v:.0%}" for k, v in res["top1_by_kind"].items()))
    print(f"peak RSS         {res['peak_rss_mb']:,.0f} MB (timed run)")
    ok = res["total"]["p95"] <= TARGET_P95_MS
    print("PASS" if ok else f"FAIL (target: p95 <= {TARGET_P95_MS:.0f} ms)")
    if args.json:
        args.json.write_text(json.dumps({"setup": meta, "run": res, "pass": ok}, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
