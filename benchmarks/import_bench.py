"""Benchmark: importing 1,000,000 booking rows, every row checked, against DuckDB's bare read.

Targets: the whole import (read, check, write, history) <= 60 s; reading and checking within
3x DuckDB's bare `read_csv` of the same file (materialised to Arrow), measured in one run.

    .venv/bin/python -m benchmarks import_bench [--rows N] [--pg postgresql://...]

The file has the synthetic county's bookings shape (divert synth) and goes through
mappings/synth-county-jail.toml into a fresh database: SQLite under benchmarks/out/, or the
PostgreSQL database named by --pg (its tables are created by migrate; it should be empty).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from benchmarks._common import OUT, REPO, configure, peak_rss_mb

MAPPING = REPO / "mappings" / "synth-county-jail.toml"


def write_bookings(path: Path, rows: int) -> None:
    import duckdb

    from divert.synth.names import MALE_FIRST, SURNAMES

    # The SQL holds only integers, names from divert's own lists and a path this benchmark
    # made. The person columns are those of `divert synth`'s bookings (the jail's record of
    # the person, which linkage reads), one person per justice_person_id.
    first = "[" + ", ".join(f"'{n}'" for n in MALE_FIRST) + "]"
    last = "[" + ", ".join(f"'{n}'" for n in SURNAMES) + "]"
    duckdb.sql(
        f"""
        COPY (
            SELECT i AS booking_id,
                   p AS justice_person_id,
                   strftime(TIMESTAMP '2019-01-01' + to_seconds((hash(i * 7) % 157680000)::BIGINT),
                            '%Y-%m-%dT%H:%M:%S') AS booked_at,
                   1 + hash(i * 13) % 12 AS area_id,
                   {first}[(1 + hash(p * 3) % {len(MALE_FIRST)})::BIGINT] AS first_name,
                   {last}[(1 + hash(p * 5) % {len(SURNAMES)})::BIGINT] AS last_name,
                   strftime(DATE '1950-01-01' + (hash(p * 11) % 20000)::INTEGER, '%Y-%m-%d') AS dob,
                   'male' AS sex,
                   ['white', 'black', 'asian', 'other'][(1 + hash(p * 17) % 4)::BIGINT] AS race
            FROM (SELECT i, 1000000 + (hash(i) % 400000) AS p FROM range(1, {int(rows) + 1}) t(i))
        ) TO '{path}' (HEADER, DELIMITER ',')
        """  # noqa: S608
    )


def bare_read(path: Path) -> float:
    import duckdb

    con = duckdb.connect()
    t0 = time.perf_counter()
    table = con.sql("SELECT * FROM read_csv($p)", params={"p": str(path)}).to_arrow_table()
    seconds = time.perf_counter() - t0
    assert table.num_rows > 0
    con.close()
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--pg", help="a PostgreSQL URL to import into instead of SQLite")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=OUT) as tmp:
        csv = Path(tmp) / "bookings.csv"
        write_bookings(csv, args.rows)
        size_mb = csv.stat().st_size / 1e6
        configure(Path(tmp) / "import.sqlite3")
        if args.pg:
            os.environ["DATABASE_URL"] = args.pg
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
        from divert.jurisdictions.models import Jurisdiction
        from divert.records.importing import import_file
        from divert.records.models import JusticeEvent

        site, _ = Jurisdiction.objects.get_or_create(slug="bench-county", name="Bench County")
        bare = bare_read(csv)
        marks: dict[str, float] = {}

        def progress(stage: str, done: int, total: int) -> None:
            marks.setdefault(stage, time.perf_counter())

        t0 = time.perf_counter()
        outcome = import_file(
            site=site, kind="booking", path=csv, mapping_text=MAPPING.read_text(), progress=progress
        )
        total = time.perf_counter() - t0
        if outcome.refusal:
            raise SystemExit(f"the import was refused: {outcome.refusal}")
        read_check = marks["writing"] - t0
        again0 = time.perf_counter()
        again = import_file(
            site=site, kind="booking", path=csv, mapping_text=MAPPING.read_text()
        ).counts
        rerun = time.perf_counter() - again0
        stored = JusticeEvent.objects.filter(jurisdiction=site).count()
        vendor = "postgresql" if args.pg else "sqlite"
    c = outcome.counts
    ratio = read_check / bare
    print(f"rows             {args.rows:,} ({size_mb:,.0f} MB CSV), into {vendor}")
    print(f"duckdb read_csv  {bare:.2f} s (bare, to Arrow)")
    print(f"read + check     {read_check:.2f} s ({ratio:.1f}x the bare read)")
    print(f"write            {total - read_check:.2f} s (staging, insert, history)")
    print(f"import total     {total:.2f} s ({c.accepted:,} accepted, {c.rejected:,} rejected)")
    print(f"re-import        {rerun:.2f} s ({again.unchanged:,} unchanged, {again.accepted} new)")
    print(f"peak RSS         {peak_rss_mb():,.0f} MB")
    ok = (
        total <= 60
        and ratio <= 3
        and c.accepted == args.rows
        and stored == args.rows
        and again.unchanged == args.rows
    )
    print("PASS" if ok else "FAIL (target: import <= 60 s; read + check <= 3x bare read_csv)")
    if args.json:
        figures = {
            "rows": args.rows,
            "database": vendor,
            "bare_read_s": bare,
            "read_check_s": read_check,
            "ratio": ratio,
            "total_s": total,
            "rerun_s": rerun,
            "peak_rss_mb": peak_rss_mb(),
        }
        args.json.write_text(json.dumps({"figures": figures, "pass": ok}))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
