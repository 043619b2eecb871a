"""The `divert` console command."""

import functools
import os
from collections.abc import Callable
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from divert.eligibility.cli import screen as screen_command
from divert.evaluation.cli import evaluate as evaluate_command
from divert.evaluation.cli import metrics_app
from divert.evaluation.cli import rri as rri_command
from divert.linkage.cli import link_command
from divert.linkage.labels_cli import labels_app
from divert.records.cli import import_command
from divert.synth.cli import synth as synth_command

app = typer.Typer(
    help="divert: run a Law Enforcement Assisted Diversion (LEAD) program.",
    no_args_is_help=True,
    add_completion=False,
)
audit_app = typer.Typer(help="Inspect the tamper-evident audit trail.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")
policy_app = typer.Typer(help="Load and list site eligibility policies.", no_args_is_help=True)
app.add_typer(policy_app, name="policy")
instrument_app = typer.Typer(
    help="Load and list site assessment instruments.", no_args_is_help=True
)
app.add_typer(instrument_app, name="instrument")
holds_app = typer.Typer(help="The prosecutor's charge holds.", no_args_is_help=True)
app.add_typer(holds_app, name="holds")
directory_app = typer.Typer(
    help="The services directory, in Open Referral HSDS 3.0 JSON.", no_args_is_help=True
)
app.add_typer(directory_app, name="directory")
db_app = typer.Typer(help="Set up the PostgreSQL database's roles.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.command("screen")(screen_command)
app.command("synth")(synth_command)
app.command("evaluate")(evaluate_command)
app.add_typer(metrics_app, name="metrics")
app.command("rri")(rri_command)
console = Console()
err = Console(stderr=True)


def _django() -> None:
    """Set Django up only for the commands that need it, so --help stays instant."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "divert.settings")
    import django

    django.setup()


def audited(command: Callable) -> Callable:
    """Run a command as one audit scope: its entries say `cli`, its refusals survive rollbacks."""

    @functools.wraps(command)
    def run(*args, **kwargs):
        _django()
        from divert.audit.services import audit_scope

        with audit_scope(component="cli", origin="cli"):
            return command(*args, **kwargs)

    return run


app.command("import")(audited(import_command))
app.command("link")(audited(link_command))
for _command in labels_app.registered_commands:
    _command.callback = audited(_command.callback)
app.add_typer(labels_app, name="labels")


@app.command()
def check() -> None:
    """Report configuration and database health. Exits 1 if anything is wrong."""
    from django.core.exceptions import ImproperlyConfigured

    try:
        _django()
    except ImproperlyConfigured as exc:
        err.print(f"[red]configuration error:[/red] {exc}")
        raise typer.Exit(1) from None
    from divert.health import health_report

    rows, ok = health_report()
    table = Table("check", "status", "detail", title="divert check")
    for name, good, detail in rows:
        table.add_row(name, "[green]ok[/green]" if good else "[red]problem[/red]", detail)
    console.print(table)
    raise typer.Exit(0 if ok else 1)


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    workers: int = typer.Option(0, help="Worker processes; 0 means 2 x CPU cores + 1."),
    threads: int = typer.Option(1, help="Threads per worker process (1: sync workers)."),
    dev: bool = typer.Option(False, help="Use Django's auto-reloading development server."),
) -> None:
    """Serve divert over HTTP with gunicorn (or the development server with --dev)."""
    from divert.server import prepare_metrics_dir, run_gunicorn

    if not dev:
        prepare_metrics_dir()  # before Django starts: the workers share their /metrics figures
    _django()
    if dev:
        from django.core.management import call_command

        call_command("runserver", f"{host}:{port}")
        return

    run_gunicorn(host=host, port=port, workers=workers or None, threads=threads)


@app.command()
def demo(
    port: int = typer.Option(8000, help="Port to serve on."),
    serve_after: bool = typer.Option(True, "--serve/--no-serve", help="Start the server."),
) -> None:
    """Create the SQLite database under var/, seed a demo site, print logins and serve."""
    from divert.demo import prepare_environment
    from divert.server import prepare_metrics_dir

    prepare_environment()
    if serve_after:
        prepare_metrics_dir()  # before Django starts: the workers share their /metrics figures
    _django()
    from django.core.management import call_command

    from divert.demo import DEMO_LOGINS, demo_seed

    call_command("migrate", interactive=False, verbosity=0)
    created = demo_seed()
    console.print(
        "[green]Seeded the demo site.[/green]" if created else "Demo site already seeded."
    )
    table = Table("role", "username", "password", title=f"Demo logins for http://127.0.0.1:{port}")
    for role, username, password in DEMO_LOGINS:
        table.add_row(role, username, password)
    console.print(table)
    if serve_after:
        from divert.server import run_gunicorn

        run_gunicorn(host="127.0.0.1", port=port)


@audit_app.command("verify")
@audited
def audit_verify() -> None:
    """Check the chain, the signed checkpoints and the head file. Exits 1 naming what is wrong."""
    from divert.audit.integrity import audit_check

    report = audit_check()
    for note in report.notes:
        console.print(f"[yellow]Note:[/yellow] {note}.")
    if report.intact:
        console.print(
            f"[green]Audit trail intact:[/green] {report.checked} entries checked, "
            f"{report.checkpoints} signed checkpoint(s) agree."
        )
        return
    for problem in report.problems:
        where = f" at entry #{problem.entry_id}" if problem.entry_id is not None else ""
        err.print(f"[red]Audit trail broken{where}:[/red] {problem.problem}.")
    raise typer.Exit(1)


@audit_app.command("checkpoint")
@audited
def audit_checkpoint() -> None:
    """Sign the trail's current end with the audit key and write the head file (run it often).

    Creates the key file on first use unless DIVERT_AUDIT_KEY is set.
    """
    from django.conf import settings

    from divert.audit.integrity import (
        NothingToCheckpoint,
        audit_checkpoint,
        audit_key,
        audit_key_create,
    )

    if audit_key() is None:
        path = audit_key_create()
        console.print(
            f"Created the audit key at {path}. Keep a copy away from the database and its "
            "backups: whoever holds it could sign a rewritten trail."
        )
    try:
        cp = audit_checkpoint()
    except NothingToCheckpoint as exc:
        err.print(f"[yellow]{exc}[/yellow]; nothing to sign.")
        raise typer.Exit(0) from None
    console.print(
        f"Checkpoint #{cp.number}: entry #{cp.entry_id} ({cp.entry_hash[:16]}…), "
        f"head file {settings.DIVERT_AUDIT_HEAD_FILE}."
    )


def _jurisdiction(slug: str):
    from divert.jurisdictions.models import Jurisdiction

    found = Jurisdiction.objects.filter(slug=slug).first()
    if found is None:
        known = ", ".join(Jurisdiction.objects.values_list("slug", flat=True)) or "none yet"
        err.print(f"[red]no jurisdiction {slug!r}[/red] (known: {known})")
        raise typer.Exit(2)
    return found


def _site_file_load(file: Path, slug: str, what: str, load):
    """Load a site's data file through its service; a refusal names file, key and line."""
    from django.core.exceptions import ValidationError

    from divert.audit.context import acting

    site = _jurisdiction(slug)
    try:
        with acting(component="cli", origin="cli", purpose=f"{what} load"):
            return load(jurisdiction=site, text=file.read_text(), source=file.name)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            for message in messages:
                err.print(f"[red]{file}: {field}: {message}[/red]")
        raise typer.Exit(2) from None


@directory_app.command("import")
@audited
def directory_import_command(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="An HSDS 3.0 JSON file."),
    jurisdiction: str = typer.Option(..., "--jurisdiction", "-j", help="Jurisdiction slug."),
    kind: str = typer.Option(
        None,
        "--kind",
        help="organization, service, service_at_location or one of their _list forms",
    ),
) -> None:
    """Import an HSDS file into the site's directory. A file that fails the schema changes
    nothing; each error is listed with its JSON path."""
    _django()
    from divert.directory.imports import Refused, directory_import

    site = _jurisdiction(jurisdiction)
    try:
        done = directory_import(user=None, jurisdiction=site, raw=file.read_bytes(), kind=kind)
    except Refused as exc:
        for error in exc.errors:
            err.print(f"[red]{file}: {error['field']}: {error['message']}[/red]")
        raise typer.Exit(2) from None
    counts = ", ".join(f"{n} {what}" for what, n in sorted(done.counts.items()))
    console.print(f"Imported {done.kind} into {site}: {counts}")


@directory_app.command("export")
@audited
def directory_export_command(
    jurisdiction: str = typer.Option(..., "--jurisdiction", "-j", help="Jurisdiction slug."),
    kind: str = typer.Option("service_list", "--kind", help="What to export (HSDS kind)."),
    id: str = typer.Option(None, "--id", help="The HSDS id of the one object to export."),  # noqa: A002
    out: Path = typer.Option(None, "--out", "-o", help="Write here instead of to standard output."),
) -> None:
    """Export the site's directory as HSDS 3.0 JSON, checked against the schema."""
    import json

    _django()
    from divert.directory.exports import NotFound, directory_export
    from divert.directory.imports import Refused

    site = _jurisdiction(jurisdiction)
    try:
        document = directory_export(user=None, jurisdiction=site, kind=kind, hsds_id=id)
    except (NotFound, Refused) as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    text = json.dumps(document, indent=2, ensure_ascii=False)
    if out:
        out.write_text(text + "\n")
    else:
        typer.echo(text)


@policy_app.command("load")
@audited
def policy_load_command(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="The policy TOML file."),
    jurisdiction: str = typer.Option(..., "--jurisdiction", "-j", help="Jurisdiction slug."),
) -> None:
    """Load a policy version and make it active. A broken file changes nothing."""
    _django()
    from divert.field.policies import policy_load

    row = _site_file_load(file, jurisdiction, "policy", policy_load)
    console.print(
        f"Active policy for {row.jurisdiction}: [bold]{row.policy_id} v{row.version}[/bold]"
    )


@instrument_app.command("load")
@audited
def instrument_load_command(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="The instrument TOML."),
    jurisdiction: str = typer.Option(..., "--jurisdiction", "-j", help="Jurisdiction slug."),
) -> None:
    """Load an assessment instrument version and make it active. A broken file changes nothing."""
    _django()
    from divert.assessment.services import instrument_load

    row = _site_file_load(file, jurisdiction, "instrument", instrument_load)
    console.print(f"Active instrument for {row.jurisdiction}: [bold]{row}[/bold]")


@instrument_app.command("list")
@audited
def instrument_list(
    jurisdiction: str = typer.Option(..., "--jurisdiction", "-j", help="Jurisdiction slug."),
) -> None:
    """Every stored instrument version, newest first, and which one is active."""
    _django()
    from divert.assessment.models import AssessmentInstrument

    site = _jurisdiction(jurisdiction)
    table = Table("instrument", "version", "loaded", "active", title=str(site))
    for row in AssessmentInstrument.objects.filter(jurisdiction=site).order_by("-loaded_at"):
        table.add_row(
            row.instrument_id,
            row.version,
            f"{row.loaded_at:%Y-%m-%d %H:%M}",
            "yes" if row.active else "",
        )
    console.print(table)


@policy_app.command("list")
@audited
def policy_list(
    jurisdiction: str = typer.Option(..., "--jurisdiction", "-j", help="Jurisdiction slug."),
) -> None:
    """Every stored version, newest first, and which one is active."""
    _django()
    from divert.field.models import EligibilityPolicy

    site = _jurisdiction(jurisdiction)
    table = Table("policy", "version", "loaded", "active", title=str(site))
    for row in EligibilityPolicy.objects.filter(jurisdiction=site).order_by("-loaded_at"):
        table.add_row(
            row.policy_id,
            row.version,
            f"{row.loaded_at:%Y-%m-%d %H:%M}",
            "yes" if row.active else "",
        )
    console.print(table)


@holds_app.command("flag-overdue")
@audited
def holds_flag_overdue() -> None:
    """Flag holds whose intake deadline passed for the prosecutor's decision (run daily)."""
    _django()
    from divert.charges.services import charge_holds_flag_overdue

    count = charge_holds_flag_overdue()
    console.print(f"{count} hold(s) now await the prosecutor's decision. Nothing was filed.")


@db_app.command("roles")
@audited
def db_roles(
    owner: str = typer.Option("divert_owner", help="Role that owns the tables, for migrations."),
    app_role: str = typer.Option("divert_app", "--app", help="Role the application connects as."),
    owner_password: str = typer.Option(
        "", envvar="DIVERT_DB_OWNER_PASSWORD", help="Set the owner's password (or from env)."
    ),
    app_password: str = typer.Option(
        "", envvar="DIVERT_DB_APP_PASSWORD", help="Set the app's password (or from env)."
    ),
) -> None:
    """Give the tables to an owner role and the app a role that cannot lift the audit guard.

    Connect as a PostgreSQL superuser (DATABASE_URL). Safe to repeat; run it after migrations.
    """
    from django.db import connection

    from divert.audit.services import audit_record
    from divert.database_roles import RolesError, roles_apply

    try:
        done = roles_apply(
            connection,
            owner=owner,
            app=app_role,
            owner_password=owner_password or None,
            app_password=app_password or None,
        )
    except RolesError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    for statement in done:
        console.print(statement, highlight=False)
    audit_record(
        action="db_roles",
        kind="configuration",
        outcome="success",
        detail={"owner": owner, "app": app_role},
    )
    console.print(
        f"[green]Done.[/green] Run migrations as {owner}; the application connects as {app_role}."
    )


@app.command(
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    help="Run a Django management command, e.g. `divert manage createsuperuser`.",
)
@audited
def manage(ctx: typer.Context) -> None:
    _django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["divert manage", *ctx.args])


def main() -> None:  # pragma: no cover - console entry point
    app()
