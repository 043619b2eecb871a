"""docs/audit.md says exactly what is and is not recorded: each row names the test showing it."""

import ast
import re
from pathlib import Path

import pytest

from divert.access.kinds import Action

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "audit.md").read_text()
TEST_REF = re.compile(r"`([\w/]+\.py)::(test_\w+)`")


def _table(heading: str) -> list[list[str]]:
    """The rows of the first table after `heading`, as lists of cells."""
    section = DOC.split(f"\n{heading}\n", 1)[1]
    blocks = [block.strip() for block in section.split("\n\n")]
    lines = next(block for block in blocks if block.startswith("|")).splitlines()
    return [[cell.strip() for cell in line.strip("|").split(" | ")] for line in lines[2:]]


RECORDED = _table("## What is recorded")
NOT_RECORDED = _table("## What is not recorded")


def _test_source(path: str, name: str) -> str:
    file = ROOT / "tests" / path
    assert file.exists(), f"{path} does not exist"
    tree = ast.parse(file.read_text())
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            return ast.get_source_segment(file.read_text(), node)
    raise AssertionError(f"{path} has no {name}")


def _codes(cell: str) -> set[str]:
    return set(re.findall(r"`([a-z_]+)`", cell))


@pytest.mark.parametrize("row", RECORDED, ids=lambda row: row[0][:60])
def test_each_recorded_event_is_shown_by_a_test_that_checks_it(row):
    event, action, kind, outcome, shown_by = row
    refs = TEST_REF.findall(shown_by)
    assert refs, f"no test named for: {event}"
    sources = "\n".join(_test_source(path, name) for path, name in refs)
    assert any(f'"{a}"' in sources for a in _codes(action)), f"no test checks the action: {event}"
    assert any(f'"{o}"' in sources for o in _codes(outcome)), f"no test checks {outcome}: {event}"
    if _codes(kind):
        assert any(k in sources for k in _codes(kind)), f"no test checks the kind: {event}"


@pytest.mark.parametrize("row", NOT_RECORDED, ids=lambda row: row[0][:60])
def test_each_unrecorded_event_is_shown_by_a_test(row):
    refs = TEST_REF.findall(row[-1])
    assert refs, f"no test named for: {row[0]}"
    for path, name in refs:
        source = _test_source(path, name)
        assert "not" in source or "== []" in source, f"{name} does not check an absence"


def _audit_record_calls() -> list[str]:
    calls = []
    for file in (ROOT / "divert").rglob("*.py"):
        text = file.read_text()
        for match in re.finditer(r"audit_record\(", text):
            depth, end = 0, match.end() - 1
            for end in range(match.end() - 1, len(text)):
                depth += {"(": 1, ")": -1}.get(text[end], 0)
                if depth == 0:
                    break
            calls.append(text[match.start() : end + 1])
    return calls


def test_every_action_and_kind_the_code_writes_is_in_the_table():
    documented_actions = set().union(*(_codes(row[1]) for row in RECORDED))
    documented_kinds = set().union(*(_codes(row[2]) for row in RECORDED))
    calls = _audit_record_calls()
    assert len(calls) >= 10
    written_actions = {a for call in calls for a in re.findall(r'action="(\w+)"', call)}
    written_kinds = {k for call in calls for k in re.findall(r'kind="(\w+)"', call)}
    written_actions |= {a.value for a in Action}  # access checks pass the Action attempted
    assert written_actions - documented_actions == set()
    assert written_kinds - documented_kinds == set()
