"""Signed checkpoints and the head file make truncation and re-hashing show in `verify`."""

import json

import pytest
from django.db import DatabaseError, connection, transaction
from typer.testing import CliRunner

from divert.audit import chain, guard
from divert.audit.integrity import audit_check, audit_checkpoint, audit_key_create
from divert.audit.models import AuditCheckpoint, AuditEntry
from divert.audit.services import audit_record, sealed_fields
from divert.cli import app

runner = CliRunner()


def _output(result) -> str:
    return " ".join(result.output.split())  # rich wraps long lines


@pytest.fixture
def audit_files(db, settings, tmp_path):
    """A key file and a head file of this test's own; the key is created."""
    settings.DIVERT_AUDIT_KEY = ""
    settings.DIVERT_AUDIT_KEY_FILE = tmp_path / "key" / "audit_key"
    settings.DIVERT_AUDIT_HEAD_FILE = tmp_path / "elsewhere" / "audit_head.json"
    audit_key_create()
    return settings


def _entries(n: int) -> list[AuditEntry]:
    return [audit_record(action="view", kind="person", outcome="allowed") for _ in range(n)]


def _raw(sql: str, params=()) -> None:
    """Change the tables the way someone with raw database access would, lifting the guard."""
    guard.remove(connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    guard.install(connection)


def _edit_and_rehash(entry_id: int, purpose: str) -> None:
    """Edit one entry, then re-hash it and every entry after it, so the chain links again."""
    guard.remove(connection)
    prev = AuditEntry.objects.get(pk=entry_id).prev_hash
    for entry in AuditEntry.objects.filter(id__gte=entry_id).order_by("id"):
        if entry.pk == entry_id:
            entry.purpose = purpose
        entry.prev_hash = prev
        entry.hash = chain.entry_hash(prev, sealed_fields(entry))
        AuditEntry.objects.filter(pk=entry.pk).update(
            purpose=entry.purpose, prev_hash=entry.prev_hash, hash=entry.hash
        )
        prev = entry.hash
    guard.install(connection)


def _problems() -> list[str]:
    report = audit_check()
    assert not report.intact
    return [b.problem for b in report.problems]


def test_a_checkpoint_signs_the_end_of_the_trail_and_writes_the_head_file(audit_files):
    _entries(3)
    cp = audit_checkpoint()
    assert (cp.number, cp.entry_id) == (1, 3)
    assert cp.entry_hash == AuditEntry.objects.get(pk=3).hash
    head = json.loads(audit_files.DIVERT_AUDIT_HEAD_FILE.read_text())
    assert head == {
        "number": 1,
        "at": cp.at,
        "entry_id": 3,
        "entry_hash": cp.entry_hash,
        "signature": cp.signature,
    }
    report = audit_check()
    assert report.intact and (report.checked, report.checkpoints) == (3, 1)
    assert audit_checkpoint() == cp  # nothing new: nothing signed twice
    _entries(1)
    assert audit_checkpoint().number == 2


def test_the_cli_creates_a_key_checkpoints_and_verifies(db, settings, tmp_path):
    settings.DIVERT_AUDIT_KEY_FILE = tmp_path / "audit_key"
    settings.DIVERT_AUDIT_HEAD_FILE = tmp_path / "audit_head.json"
    _entries(2)
    result = runner.invoke(app, ["audit", "checkpoint"])
    assert result.exit_code == 0, result.output
    assert "Created the audit key" in _output(result) and "Checkpoint #1: entry #" in _output(
        result
    )
    assert (tmp_path / "audit_key").stat().st_mode & 0o077 == 0
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "intact" in _output(result) and "1 signed checkpoint(s) agree" in _output(result)


def test_verify_names_entries_cut_from_the_end(audit_files):
    _entries(5)
    audit_checkpoint()
    _entries(2)
    _raw("DELETE FROM audit_auditentry WHERE id > 3")
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 1
    assert "the trail ends at entry #3, but checkpoint #1" in _output(result)
    assert "entries #4 to #5 were removed from the end" in _output(result)


def test_verify_names_the_cut_when_the_checkpoints_went_with_the_entries(audit_files):
    _entries(5)
    audit_checkpoint()
    _raw("DELETE FROM audit_auditentry WHERE id > 3")
    _raw("DELETE FROM audit_auditcheckpoint")
    problems = _problems()
    assert any("which the head file records, is missing from the database" in p for p in problems)
    assert any(
        "the head file's checkpoint #1 records entry #5: entries #4 to #5 were removed" in p
        for p in problems
    )


def test_verify_names_the_deletion_of_everything(audit_files):
    _entries(4)
    audit_checkpoint()
    _raw("DELETE FROM audit_auditentry")
    _raw("DELETE FROM audit_auditcheckpoint")
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 1
    assert "the trail is empty" in _output(result) and "every entry was deleted" in _output(result)


def test_verify_names_an_edit_hidden_by_re_hashing_the_rest(audit_files):
    _entries(3)
    audit_checkpoint()
    _entries(3)
    audit_checkpoint()
    _edit_and_rehash(5, "nothing to see")
    assert chain.first_break(
        {**sealed_fields(e), "prev_hash": e.prev_hash, "hash": e.hash}
        for e in AuditEntry.objects.order_by("id")
    ) == (6, None)  # the chain alone no longer shows it
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 1
    assert "broken at entry #6" in _output(result)
    assert "an entry from #4 to #6 was changed and the chain re-hashed" in _output(result)


def test_verify_names_a_checkpoint_forged_to_match_a_re_hash(audit_files):
    _entries(4)
    audit_checkpoint()
    _edit_and_rehash(2, "nothing to see")
    _raw(
        "UPDATE audit_auditcheckpoint SET entry_hash = %s",
        [AuditEntry.objects.get(pk=4).hash],
    )
    problems = _problems()
    assert "checkpoint #1 does not carry the audit key's signature: it was altered or forged" in (
        problems
    )
    assert "checkpoint #1 in the database differs from the head file" in problems


def test_verify_without_the_key_says_it_cannot_check_signatures(audit_files):
    _entries(2)
    audit_checkpoint()
    audit_files.DIVERT_AUDIT_KEY_FILE.unlink()
    assert any("no audit key" in p for p in _problems())


def test_verify_names_a_missing_head_file(audit_files):
    _entries(2)
    audit_checkpoint()
    audit_files.DIVERT_AUDIT_HEAD_FILE.unlink()
    assert any("the head file" in p and "is missing" in p for p in _problems())


def test_without_checkpoints_verify_passes_but_says_truncation_would_not_show(audit_files):
    _entries(2)
    report = audit_check()
    assert report.intact
    assert any("no checkpoints yet" in note for note in report.notes)


def test_a_middle_entry_removed_is_named_with_the_gap(db):
    _entries(5)
    _raw("DELETE FROM audit_auditentry WHERE id = 3")
    report = audit_check()
    assert (report.problems[0].entry_id, report.problems[0].problem) == (
        4,
        "entries are missing before it (#3)",
    )


def test_the_database_refuses_to_change_checkpoints(audit_files):
    _entries(1)
    audit_checkpoint()
    for statement in (
        "UPDATE audit_auditcheckpoint SET entry_id = 9",
        "DELETE FROM audit_auditcheckpoint",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    assert AuditCheckpoint.objects.count() == 1


def test_the_audit_page_shows_what_verify_found(client, site, audit_files):
    from divert.staff.roles import Role

    _entries(3)
    audit_checkpoint()
    _raw("DELETE FROM audit_auditentry WHERE id > 1")
    client.force_login(site["users"][Role.ADMINISTRATOR])
    html = client.get("/audit/", {"verify": "1"}).content.decode()
    assert "Broken" in html and "were removed from the end" in html


def test_the_trail_checkpoints_itself_as_it_grows(committed_db, audit_files):
    audit_files.DIVERT_AUDIT_CHECKPOINT_EVERY = 3
    _entries(7)
    assert list(AuditCheckpoint.objects.values_list("entry_id", flat=True)) == [3, 6]
    assert json.loads(audit_files.DIVERT_AUDIT_HEAD_FILE.read_text())["entry_id"] == 6
    assert audit_check().intact


def test_no_periodic_checkpoint_names_an_entry_that_was_rolled_back(committed_db, audit_files):
    audit_files.DIVERT_AUDIT_CHECKPOINT_EVERY = 3
    _entries(2)
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(action="create", kind="person", outcome="success")
        raise RuntimeError("the work failed")
    assert not AuditCheckpoint.objects.exists()
    assert not audit_files.DIVERT_AUDIT_HEAD_FILE.exists()
