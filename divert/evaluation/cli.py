"""`divert evaluate` and `divert metrics docs`: the command-line face of divert.evaluation.

Register in divert/cli.py; heavy imports stay inside the commands so `divert --help` is
instant.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

metrics_app = typer.Typer(help="The evaluation's metric definitions.", no_args_is_help=True)
DOC = Path(__file__).resolve().parents[2] / "docs" / "metrics.md"


def _date(value: str | None, hint: str):
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise typer.BadParameter("expected YYYY-MM-DD", param_hint=hint) from None


def evaluate(
    out: Annotated[Path, typer.Option(help="Directory for results.json, report.md, report.html.")],
    data: Annotated[
        Path | None, typer.Option(help="Directory of canonical table files (divert synth output).")
    ] = None,
    database: Annotated[
        str | None,
        typer.Option(help="Database URL holding the canonical tables (postgresql://, sqlite://)."),
    ] = None,
    site: Annotated[
        str | None,
        typer.Option(
            help="A site's slug: evaluate its live rows in the application's own database "
            "(DATABASE_URL), exported as the canonical tables; no other site's row is read."
        ),
    ] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="First day, YYYY-MM-DD.")] = None,
    date_to: Annotated[
        str | None, typer.Option("--to", help="Day after the last, YYYY-MM-DD.")
    ] = None,
    design: Annotated[str, typer.Option(help="psm (matching) or ipw (weighting).")] = "psm",
    pdf: Annotated[bool, typer.Option(help="Also write report.pdf (WeasyPrint).")] = True,
    engine: Annotated[
        str | None,
        typer.Option(
            help="Where the metrics run: duckdb (the default for --data and --site), spark "
            "(the tables in a local Spark session on this machine), or postgres (the "
            "default for a postgresql:// --database; a --database is read by its own engine)."
        ),
    ] = None,
) -> None:
    """Evaluate a LEAD program: the six-goals scorecard, re-arrest against a matched
    comparison group, and the RRI, written as JSON, Markdown, HTML and PDF."""
    console = Console(stderr=True)
    if sum(x is not None for x in (data, database, site)) != 1:
        raise typer.BadParameter(
            "give exactly one of --data, --database or --site", param_hint="--data"
        )
    if design not in ("psm", "ipw"):
        raise typer.BadParameter("must be psm or ipw", param_hint="--design")
    start, end = _date(date_from, "--from"), _date(date_to, "--to")
    engine = _engine(engine, database)
    from divert.evaluation import report, scorecard, source

    try:
        if site is not None:
            src = _site_source(site, engine)
        elif data is not None:
            src = source.from_dir(data, engine)
        else:
            src = source.from_url(database)
    except LookupError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    except Exception as exc:  # a bad path or URL: say which
        console.print(f"[red]cannot open the data: {exc}[/red]")
        raise typer.Exit(2) from None
    if "encounters" not in src.names:
        console.print("[red]the data has no encounters table: is this canonical data?[/red]")
        raise typer.Exit(2)
    columns = (TextColumn("{task.description:<40}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("starting", total=1.0)

        def progress(stage: str, fraction: float) -> None:
            bar.update(task, description=stage, completed=fraction)

        r = scorecard.results(src, start, end, design, progress)
    paths = report.write(r, out, pdf=pdf)
    hr = r["outcomes"]["rearrest"]["hazard_ratio"]
    said = (
        f"hazard ratio {hr['estimate']:.2f} ({hr['ci_low']:.2f} to {hr['ci_high']:.2f})"
        if hr.get("estimate") is not None
        else f"hazard ratio not estimable: {hr['not_estimable']}"
    )
    console.print(f"wrote {', '.join(str(p) for p in paths)}; {said}")


ENGINES = ("duckdb", "postgres", "spark")
# The engine that reads a --database URL, by its scheme.
URL_ENGINES = {"postgresql": "postgres", "postgres": "postgres", "duckdb": "duckdb"}


def _engine(engine: str | None, database: str | None) -> str:
    """The engine asked for, checked against the source: a --database has its own."""
    if engine is not None and engine not in ENGINES:
        raise typer.BadParameter(
            f"{engine!r} is not an engine: use duckdb, postgres or spark", param_hint="--engine"
        )
    if database is not None:
        scheme = database.split(":", 1)[0].split("+", 1)[0].lower()
        own = URL_ENGINES.get(scheme, scheme)
        if engine is not None and engine != own:
            raise typer.BadParameter(
                f"{engine} cannot read the {scheme}:// database given as --database; it is "
                f"read by {own}: leave out --engine or give --engine {own}"
                if own in ENGINES
                else f"{engine} cannot read the {scheme}:// database given as --database; "
                "leave out --engine",
                param_hint="--engine",
            )
        return own
    if engine == "postgres":
        raise typer.BadParameter(
            "postgres reads a --database postgresql://... URL; files (--data) and a site's "
            "rows (--site) are read by duckdb or spark",
            param_hint="--engine",
        )
    return engine or "duckdb"


def _site_source(slug: str, engine: str = "duckdb"):
    """The site's live rows as canonical tables (divert.program.canonical): needs Django."""
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "divert.settings")
    import django

    django.setup()
    from divert.jurisdictions.models import Jurisdiction
    from divert.program.canonical import site_source

    found = Jurisdiction.objects.filter(slug=slug).first()
    if found is None:
        raise LookupError(f"no site with the slug {slug!r}")
    return site_source(found, engine)


@metrics_app.command("docs")
def metrics_docs(
    out: Annotated[Path, typer.Option(help="Where to write the page.")] = DOC,
    check: Annotated[bool, typer.Option(help="Exit 1 if the page differs from the code.")] = False,
) -> None:
    """Render docs/metrics.md from the metric definitions (or --check it)."""
    from divert.evaluation.docs import render

    text = render()
    if check:
        if not out.exists() or out.read_text() != text:
            Console(stderr=True).print(f"[red]{out} differs from the metric definitions[/red]")
            raise typer.Exit(1)
        return
    out.write_text(text)
    Console(stderr=True).print(f"wrote {out}")


def rri(
    file: Annotated[Path, typer.Argument(help="CSV or Parquet, one row per person or case.")],
    group: Annotated[str, typer.Option(help="The group column (e.g. race).")],
    points: Annotated[
        str, typer.Option(help="Decision-point columns (0/1), in order, comma-separated.")
    ],
    reference: Annotated[str, typer.Option(help="The reference group's value.")] = "white",
    out: Annotated[Path | None, typer.Option(help="Write the table as JSON here.")] = None,
) -> None:
    """The Relative Rate Index of any table: at each decision point, each group's rate
    (rows at this point over rows at the previous one) against the reference group's."""
    import json

    import duckdb
    from rich.table import Table

    from divert.evaluation.compute import rri_from_counts

    console, err = Console(), Console(stderr=True)
    cols = [c.strip() for c in points.split(",") if c.strip()]
    if not cols:
        raise typer.BadParameter("name at least one column", param_hint="--points")
    if not file.exists():
        raise typer.BadParameter(f"{file}: no such file", param_hint="FILE")
    con = duckdb.connect()
    reader = "read_parquet" if file.suffix.lower() == ".parquet" else "read_csv"
    try:
        rel = con.sql(f"SELECT * FROM {reader}(?)", params=[str(file)])  # noqa: S608
        df = rel.df()
    except duckdb.Error as exc:
        err.print(f"[red]cannot read {file}: {exc}[/red]")
        raise typer.Exit(2) from None
    for c in [group, *cols]:
        if c not in df.columns:
            err.print(f"[red]{file} has no column {c!r}[/red]")
            raise typer.Exit(2)
    for c in cols:
        bad = df.index[~df[c].isin([0, 1, True, False])]
        if len(bad):
            err.print(f"[red]row {int(bad[0]) + 2}, column {c}: expected 0 or 1[/red]")
            raise typer.Exit(2)
    result = {}
    at = df.assign(_all=1)
    previous = "_all"
    for c in cols:
        counts = {
            str(g): (float(sub[c].astype(int).sum()), float(len(sub)))
            for g, sub in at[at[previous].astype(int) == 1].groupby(group)
        }
        result[c] = rri_from_counts(counts, reference)
        previous = c
    table = Table("decision point", "group", "rate", "RRI", "95% CI", "difference", "n")
    for point, r in result.items():
        if r.get("not_estimable"):
            table.add_row(point, "all", "", f"not estimable: {r['not_estimable']}", "", "", "")
            continue
        for g, v in r["groups"].items():
            est = v.get("estimate")
            table.add_row(
                point,
                g,
                f"{v['rate']:.3f}" if "rate" in v else "",
                f"{est:.2f}" if est is not None else f"not estimable: {v.get('not_estimable')}",
                f"{v['ci_low']:.2f} to {v['ci_high']:.2f}" if v.get("ci_low") is not None else "",
                f"{v['difference']:+.3f}" if v.get("difference") is not None else "",
                str(v["n"]),
            )
    console.print(table)
    if out is not None:
        out.write_text(json.dumps(result, indent=1) + "\n")
