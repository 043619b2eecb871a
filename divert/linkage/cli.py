"""`divert link [-j SITE]`: link a site's program people to its justice people;
`divert link --left FILE --right FILE --out FILE` and `--dedupe FILE`: the same engine on files.
`--engine spark` runs Splink on a local Spark session instead of DuckDB (the same pairs).

Registered in divert/cli.py (inside an audit scope; Django is set up only for the site form).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

console = Console()
err = Console(stderr=True)


def link_command(
    jurisdiction: Annotated[
        str | None,
        typer.Option("--jurisdiction", "-j", help="Site slug (needed when there are several)."),
    ] = None,
    left: Annotated[
        Path | None, typer.Option(exists=True, dir_okay=False, help="Person file (CSV/Parquet).")
    ] = None,
    right: Annotated[
        Path | None, typer.Option(exists=True, dir_okay=False, help="Person file to link to.")
    ] = None,
    dedupe: Annotated[
        Path | None, typer.Option(exists=True, dir_okay=False, help="Person file to dedupe.")
    ] = None,
    out: Annotated[Path | None, typer.Option(help="Scored pairs (CSV or Parquet).")] = None,
    model: Annotated[
        Path | None,
        typer.Option("--model", "--settings", exists=True, dir_okay=False, help="Model JSON."),
    ] = None,
    train: Annotated[
        bool, typer.Option("--train", help="Train on the files first (u sampling and EM).")
    ] = False,
    engine_name: Annotated[
        str,
        typer.Option(
            "--engine",
            help="duckdb, or spark: Splink on a local Spark session on this machine "
            "(the same settings, the same pairs).",
        ),
    ] = "duckdb",
) -> None:
    """Link people. Exits 2 on bad use; prints counts."""
    from divert.linkage import engine

    if engine_name not in engine.ENGINES:
        raise typer.BadParameter(
            f"{engine_name!r} is not a linkage engine: use duckdb or spark", param_hint="--engine"
        )
    try:
        chosen = engine.load(model) if model else engine.load()
    except engine.LinkageError as exc:
        err.print(f"[red]{escape(str(exc))}[/red]")
        raise typer.Exit(2) from None
    if left or right or dedupe:
        _files(chosen, left, right, dedupe, out, train, engine_name)
        return
    _site_run(jurisdiction, chosen, engine_name)


def _read(path: Path, model):
    import duckdb

    from divert.linkage.prepare import by_role

    reader = "read_parquet" if path.suffix.lower() == ".parquet" else "read_csv"
    con = duckdb.connect()
    try:
        frame = con.execute(f"select * from {reader}(?)", [str(path)]).df()  # noqa: S608
    except duckdb.Error as exc:
        err.print(f"[red]{escape(str(path))}: {escape(str(exc).splitlines()[0])}[/red]")
        raise typer.Exit(2) from None
    frame = by_role(frame, model.columns)
    if "unique_id" not in frame.columns:
        names = ", ".join(model.columns.get("unique_id", ["unique_id"]))
        err.print(f"[red]{escape(str(path))}: no record id column (one of: {escape(names)})[/red]")
        raise typer.Exit(2)
    return frame


def _files(model, left, right, dedupe, out, train, on: str) -> None:
    from divert.linkage import engine

    if out is None or bool(dedupe) == bool(left or right) or (left is None) != (right is None):
        err.print("[red]give --left and --right, or --dedupe, and --out[/red]")
        raise typer.Exit(2)
    with _progress() as bar:
        task = bar.add_task("reading")
        if dedupe:
            people = _read(dedupe, model)
            if train:
                bar.update(task, description="training")
                model = engine.train(people, settings=model, engine=on)
            bar.update(task, description="scoring")
            pairs = engine.dedupe(model, people, engine=on)
        else:
            a, b = _read(left, model), _read(right, model)
            if train:
                bar.update(task, description="training")
                model = engine.train(a, b, settings=model, engine=on)
            bar.update(task, description="scoring")
            pairs = engine.link(model, a, b, engine=on)
    pairs["model_version"] = model.version
    if out.suffix.lower() == ".parquet":
        pairs.to_parquet(out, index=False)
    else:
        pairs.to_csv(out, index=False)
    counts = {
        "pairs": len(pairs),
        "auto": int((pairs.match_probability >= model.thresholds.link).sum()),
        "review": int((pairs.match_probability < model.thresholds.link).sum()),
    }
    _print(counts, model.version)


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description:<16}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )


def _site_run(slug: str | None, model, on: str) -> None:
    from divert.linkage.services import linkage_run
    from divert.records.cli import _site

    site = _site(slug)
    with _progress() as bar:
        task = bar.add_task("starting")
        run = linkage_run(
            jurisdiction=site,
            model=model,
            progress=lambda s: bar.update(task, description=s),
            link_engine=on,
        )
    _print(
        {
            "program people": run.people,
            "justice people": run.justice_people,
            "pairs": run.pairs,
            "auto": run.auto,
            "review": run.review,
            "decided (kept)": run.unchanged,
            "events linked": run.events_linked,
        },
        run.model_version,
    )


def _print(counts: dict[str, int], version: str) -> None:
    table = Table(title=f"Linkage ({escape(version)})")
    table.add_column("what")
    table.add_column("count", justify="right")
    for name, value in counts.items():
        table.add_row(name, str(value))
    console.print(table)
