"""`divert import KIND FILE --mapping FILE [-j SITE] [--dry-run]`.

Registered in divert/cli.py (inside an audit scope, with Django set up).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from divert.records.fields import KINDS

console = Console()
err = Console(stderr=True)


def import_command(
    kind: Annotated[str, typer.Argument(help=f"One of: {', '.join(KINDS)}.")],
    file: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="CSV, xlsx or Parquet.")
    ],
    mapping: Annotated[
        Path, typer.Option("--mapping", "-m", exists=True, dir_okay=False, help="Mapping TOML.")
    ],
    jurisdiction: Annotated[
        str | None,
        typer.Option("--jurisdiction", "-j", help="Site slug (needed when there are several)."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check and count, write nothing; show mapped rows.")
    ] = False,
    fmt: Annotated[
        str | None, typer.Option("--format", help="csv, xlsx or parquet (default: by suffix).")
    ] = None,
) -> None:
    """Import a jail, court or police export. Exits 1 if the file is refused, 2 on bad use."""
    from divert.records.importing import import_file
    from divert.records.mapping import MappingError, load_mapping

    if kind not in KINDS:
        raise typer.BadParameter(f"must be one of {', '.join(KINDS)}", param_hint="KIND")
    site = _site(jurisdiction)
    try:
        _, text = load_mapping(mapping)
    except MappingError as exc:
        err.print(f"[red]{escape(str(exc))}[/red]", soft_wrap=True)
        raise typer.Exit(2) from None
    columns = (
        TextColumn("{task.description:<10}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task("reading", total=None)

        def progress(stage: str, done: int, total: int) -> None:
            bar.update(task, description=stage, completed=done, total=total or None)

        try:
            outcome = import_file(
                site=site,
                kind=kind,
                path=file,
                mapping_text=text,
                dry_run=dry_run,
                fmt=fmt,
                progress=progress,
            )
        except MappingError as exc:
            err.print(f"[red]{escape(f'{mapping.name}: {exc}')}[/red]", soft_wrap=True)
            raise typer.Exit(2) from None
    if outcome.refusal:
        err.print(
            f"[red]Refused, nothing imported:[/red] {escape(outcome.refusal)}", soft_wrap=True
        )
        raise typer.Exit(1)
    _report(outcome, dry_run, file.name)


def _report(outcome, dry_run: bool, name: str) -> None:
    c = outcome.counts
    if dry_run and outcome.preview:
        shown = [
            k for k in outcome.preview[0] if any(r.get(k) is not None for r in outcome.preview)
        ]
        table = Table(*shown, title="The first rows as mapped")
        for rec in outcome.preview:
            table.add_row(*("" if rec.get(k) is None else escape(str(rec[k])) for k in shown))
        console.print(table)
    for e in outcome.errors[:20]:
        where = escape(f"{name}, row {e.row}, column {e.column or '-'}:")
        err.print(f"[yellow]{where}[/yellow] {escape(e.message)}", soft_wrap=True)
    if len(outcome.errors) > 20:
        err.print(f"... and {len(outcome.errors) - 20} more (all are in the quarantine)")
    head = "Dry run (nothing written)" if dry_run else f"Import run {outcome.run.pk}"
    console.print(
        f"{head}: {c.rows:,} rows; accepted {c.accepted:,}, updated {c.updated:,}, "
        f"unchanged {c.unchanged:,}, rejected {c.rejected:,}, quarantined {c.quarantined:,}"
        + (
            f"; justice persons new {c.persons_new:,}, corrected {c.persons_updated:,}"
            if c.persons_new or c.persons_updated
            else ""
        ),
        soft_wrap=True,
    )


def _site(slug: str | None):
    from divert.jurisdictions.models import Jurisdiction

    if slug is None:
        sites = list(Jurisdiction.objects.all()[:2])
        if len(sites) == 1:
            return sites[0]
        err.print("[red]name the site with -j SLUG[/red]" if sites else "[red]no site yet[/red]")
        raise typer.Exit(2)
    found = Jurisdiction.objects.filter(slug=slug).first()
    if found is None:
        known = ", ".join(Jurisdiction.objects.values_list("slug", flat=True)) or "none yet"
        err.print(f"[red]no jurisdiction {escape(repr(slug))}[/red] (known: {escape(known)})")
        raise typer.Exit(2)
    return found
