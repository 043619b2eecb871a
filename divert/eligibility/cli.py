"""`divert screen --policy FILE`: screen one case read as JSON on stdin.

The logic is the plain function screen_command, so tests and other front ends call it
without a terminal; screen() below is the typer command that divert.cli registers:

    from divert.eligibility.cli import screen as screen_cmd
    app.command("screen")(screen_cmd)

>>> code, out, err = screen_command(Path("policies/santa-fe.toml"),
...     '{"date": "2026-03-14", "person": {"date_of_birth": "1990"},'
...     ' "offenses": [{"nibrs": "35A", "activity": "possess", "grams": 9}]}')
>>> code, json.loads(out)["eligible"]
(0, False)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from divert.eligibility.case import Case
from divert.eligibility.engine import screen as screen_case
from divert.eligibility.errors import PolicyError, validation_errors
from divert.eligibility.loading import load_policy

# Exit codes: 0 screened (eligible or not; read "eligible" in the output), 2 bad input.
OK, BAD_INPUT = 0, 2


def screen_command(policy: Path, stdin_text: str) -> tuple[int, str, str]:
    """Screen one JSON case against a policy file. Returns (exit code, stdout, stderr).

    Bad policy or bad case: exit code 2, nothing on stdout, one line per problem on
    stderr, each naming the field (case) or the key and line (policy).
    """
    try:
        loaded = load_policy(policy)
    except PolicyError as exc:
        lines = [
            f"{exc.source}, line {p['line']}: {p['key']}: {p['message']}"
            if p["line"]
            else f"{exc.source}: {p['key']}: {p['message']}"
            for p in exc.problems
        ]
        return BAD_INPUT, "", "\n".join(lines) + "\n"
    try:
        case = Case.model_validate_json(stdin_text)
    except ValidationError as exc:
        lines = [f"{e['field'] or 'case'}: {e['message']}" for e in validation_errors(exc)]
        return BAD_INPUT, "", "\n".join(lines) + "\n"
    decision = screen_case(loaded, case)
    return OK, json.dumps(decision.to_dict(), indent=2) + "\n", ""


def screen(
    policy: Annotated[
        Path,
        typer.Option("--policy", help="Eligibility policy TOML file, e.g. policies/santa-fe.toml"),
    ],
) -> None:
    """Screen one case (JSON on stdin) against a policy; print the decision as JSON."""
    code, out, err = screen_command(policy, sys.stdin.read())
    if out:
        sys.stdout.write(out)
    if err:
        sys.stderr.write(err)
    raise typer.Exit(code)
