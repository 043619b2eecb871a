"""`divert labels evaluate -j SITE`: the model against the reviewers' decisions;
`divert labels export -j SITE --out FILE`: the decisions as a label file;
`divert labels train -j SITE --out FILE`: a model trained on the site, its labels included."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

labels_app = typer.Typer(help="Reviewers' decisions as labels: export them, evaluate a model.")
console = Console()
err = Console(stderr=True)

Site = Annotated[
    str | None, typer.Option("--jurisdiction", "-j", help="Site slug (needed when several).")
]


def _model(path: Path | None):
    from divert.linkage import engine

    try:
        return engine.load(path) if path else engine.load()
    except engine.LinkageError as exc:
        err.print(f"[red]{escape(str(exc))}[/red]")
        raise typer.Exit(2) from None


@labels_app.command("evaluate")
def evaluate_command(
    jurisdiction: Site = None,
    model: Annotated[
        Path | None, typer.Option("--model", exists=True, dir_okay=False, help="Model JSON.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Precision and recall of a model (the shipped one by default) against the labels."""
    from divert.linkage.labels import labels_evaluate
    from divert.records.cli import _site

    site = _site(jurisdiction)
    figures = labels_evaluate(jurisdiction_id=site.pk, model=_model(model))
    if as_json:
        console.print_json(json.dumps(figures))
        return
    table = Table(title=f"{escape(figures['model_version'])} against {figures['labels']} labels")
    for column in ("threshold", "precision", "recall", "true +", "false +", "false -"):
        table.add_column(column, justify="right")
    for name in ("review", "link"):
        f = figures[name]
        table.add_row(
            f"{name} {f['threshold']}",
            "-" if f["precision"] is None else f"{f['precision']:.3f}",
            "-" if f["recall"] is None else f"{f['recall']:.3f}",
            str(f["true_positives"]),
            str(f["false_positives"]),
            str(f["false_negatives"]),
        )
    console.print(table)


@labels_app.command("export")
def export_command(
    out: Annotated[Path, typer.Option(help="Label file (CSV).")],
    jurisdiction: Site = None,
) -> None:
    """One row per decision: kind, left_id, right_id, clerical_match_score (1 same, 0 not)."""
    import pandas as pd

    from divert.linkage.labels import labels_list
    from divert.records.cli import _site

    site = _site(jurisdiction)
    rows = labels_list(jurisdiction_id=site.pk)
    frame = pd.DataFrame(
        rows,
        columns=["kind", "left_id", "right_id", "same", "match_probability", "model_version"],
    )
    frame.insert(3, "clerical_match_score", frame.pop("same").astype(int))
    frame.to_csv(out, index=False)
    console.print(f"{len(frame)} labels written to {escape(str(out))}")


@labels_app.command("train")
def train_command(
    out: Annotated[Path, typer.Option(help="Where to write the trained model (JSON).")],
    jurisdiction: Site = None,
    model: Annotated[
        Path | None,
        typer.Option(
            "--model", exists=True, dir_okay=False, help="Model or settings to start from."
        ),
    ] = None,
    min_labels: Annotated[
        int, typer.Option("--min-labels", min=1, help="Confirmed links needed to learn from.")
    ] = 30,
) -> None:
    """Train on the site's people and its reviewers' confirmed links; print both models
    against the labels. Use the new model with `divert link -j SITE --model FILE`."""
    from divert.linkage import engine
    from divert.linkage.labels import TooFewLabels, labels_evaluate, labels_train
    from divert.records.cli import _site

    site = _site(jurisdiction)
    base = _model(model)
    with console.status("training on the site's people and labels"):
        try:
            trained = labels_train(jurisdiction_id=site.pk, base=base, min_labels=min_labels)
        except TooFewLabels as exc:
            err.print(f"[red]{escape(str(exc))}[/red]")
            raise typer.Exit(2) from None
    engine.save(trained, out)
    console.print(
        f"{escape(trained.version)} written to {escape(str(out))}, "
        f"learnt from {trained.training['labels']} confirmed links"
    )
    table = Table(title="Against the labels (which the new model learnt from: optimistic)")
    for column in ("model", "threshold", "precision", "recall"):
        table.add_column(column, justify="right")
    for name, m in (("before", base), ("after", trained)):
        figures = labels_evaluate(jurisdiction_id=site.pk, model=m)
        for level in ("review", "link"):
            f = figures[level]
            table.add_row(
                name,
                f"{level} {f['threshold']}",
                "-" if f["precision"] is None else f"{f['precision']:.3f}",
                "-" if f["recall"] is None else f"{f['recall']:.3f}",
            )
    console.print(table)
