"""`divert synth`: the command-line face of divert.synth.assemble.

Register in divert/cli.py with:  app.command("synth")(synth)

>>> callable(synth)
True
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

FORMATS = ("parquet", "csv")


def synth(
    residents: Annotated[int, typer.Option(min=1, help="County residents.")] = 100_000,
    years: Annotated[int, typer.Option(min=1, help="Years simulated from the start date.")] = 3,
    seed: Annotated[
        int, typer.Option(help="Random seed; same seed and scenario = same bytes.")
    ] = 1,
    out: Annotated[Path, typer.Option(help="Output directory.")] = Path("synth-out"),
    format: Annotated[str, typer.Option("--format", help="parquet or csv.")] = "parquet",  # noqa: A002
    scenario: Annotated[
        Path | None, typer.Option(help="Scenario TOML (default: built-in).")
    ] = None,
    force: Annotated[bool, typer.Option(help="Write into a non-empty --out directory.")] = False,
) -> None:
    """Generate a synthetic LEAD county with known ground truth."""
    # Heavy imports here, so registering the command keeps `divert --help` instant.
    from divert.synth.assemble import generate
    from divert.synth.scenario import ScenarioError, load_scenario
    from divert.synth.write import OutDirNotEmpty

    console = Console(stderr=True)
    if format not in FORMATS:
        raise typer.BadParameter(f"must be one of {FORMATS}", param_hint="--format")
    try:
        sc = load_scenario(scenario)
    except (ScenarioError, OSError) as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    columns = (TextColumn("{task.description:<28}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("starting", total=1.0)

        def progress(stage: str, fraction: float) -> None:
            bar.update(task, description=stage, completed=fraction)

        try:
            summary = generate(
                sc, residents, years, seed, out, format, force=force, progress=progress
            )
        except OutDirNotEmpty as exc:
            console.print(f"[red]{exc}[/red]")
            raise typer.Exit(2) from None
    rows = summary.rows
    console.print(
        f"wrote {len(rows)} tables to {summary.out} in {summary.seconds:.1f} s: "
        f"{rows['persons']:,} persons, {rows['encounters']:,} encounters, "
        f"{rows['bookings']:,} bookings, {rows['enrollments']:,} enrollments"
    )
