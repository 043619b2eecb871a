"""`divert synth`: the command-line face of divert.synth.assemble and .calibration.

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
    residents: Annotated[
        int | None, typer.Option(min=1000, help="County residents (default: the scenario's).")
    ] = None,
    years: Annotated[
        int | None, typer.Option(min=1, help="Years from the start date (default: the scenario's).")
    ] = None,
    seed: Annotated[
        int, typer.Option(help="Random seed; same seed and scenario = same bytes.")
    ] = 1,
    out: Annotated[Path, typer.Option(help="Output directory.")] = Path("synth-out"),
    format: Annotated[str, typer.Option("--format", help="parquet or csv.")] = "parquet",  # noqa: A002
    scenario: Annotated[
        Path | None, typer.Option(help="Scenario TOML (default: built-in, Seattle-like).")
    ] = None,
    force: Annotated[bool, typer.Option(help="Write into a non-empty --out directory.")] = False,
    calibration_report: Annotated[
        Path | None,
        typer.Option(
            help="Instead of writing tables, check the county against the scenario's "
            "published targets and write the table here (.md, .csv or .json)."
        ),
    ] = None,
    seeds: Annotated[
        int, typer.Option(min=1, help="Counties (seeds from --seed on) for the report.")
    ] = 5,
) -> None:
    """Generate a synthetic LEAD county with known ground truth, or its calibration report."""
    # Heavy imports here, so registering the command keeps `divert --help` instant.
    from divert.synth.scenario import ScenarioError, load_scenario

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

        if calibration_report is not None:
            _report(sc, residents, years, seed, seeds, calibration_report, progress, console)
            return
        from divert.synth.assemble import generate
        from divert.synth.write import OutDirNotEmpty

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


def _report(sc, residents, years, seed, seeds, out, progress, console) -> None:
    from divert.synth.calibration import TargetsError, calibration_report, write_report

    seed_list = list(range(seed, seed + seeds))
    try:
        rows = calibration_report(
            sc, residents=residents, years=years, seeds=seed_list, progress=progress
        )
    except TargetsError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    write_report(
        rows,
        out,
        scenario=sc.name,
        residents=residents or sc.residents,
        years=years or sc.years,
        seeds=seed_list,
    )
    failed = [r.label for r in rows if not r.passed]
    console.print(
        f"wrote {out}: {len(rows) - len(failed)} of {len(rows)} figures within tolerance"
        + (f"; outside: {', '.join(failed)}" if failed else "")
    )
    if failed:
        raise typer.Exit(1)
