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
    date_from: Annotated[str | None, typer.Option("--from", help="First day, YYYY-MM-DD.")] = None,
    date_to: Annotated[
        str | None, typer.Option("--to", help="Day after the last, YYYY-MM-DD.")
    ] = None,
    design: Annotated[str, typer.Option(help="psm (matching) or ipw (weighting).")] = "psm",
) -> None:
    """Evaluate a LEAD program: the six-goals scorecard, re-arrest against a matched
    comparison group, and the RRI, written as JSON, Markdown and HTML."""
    console = Console(stderr=True)
    if (data is None) == (database is None):
        raise typer.BadParameter("give exactly one of --data or --database", param_hint="--data")
    if design not in ("psm", "ipw"):
        raise typer.BadParameter("must be psm or ipw", param_hint="--design")
    start, end = _date(date_from, "--from"), _date(date_to, "--to")
    from divert.evaluation import report, scorecard, source

    try:
        src = source.from_dir(data) if data is not None else source.from_url(database)
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
    paths = report.write(r, out)
    hr = r["outcomes"]["rearrest"]["hazard_ratio"]
    said = (
        f"hazard ratio {hr['estimate']:.2f} ({hr['ci_low']:.2f} to {hr['ci_high']:.2f})"
        if hr.get("estimate") is not None
        else f"hazard ratio not estimable: {hr['not_estimable']}"
    )
    console.print(f"wrote {', '.join(str(p) for p in paths)}; {said}")


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
