"""Imports in the audit trail: one entry per run, and refusals recorded as failures."""

from divert.audit.models import AuditEntry
from tests.records.helpers import bookings_csv, day, run, write


def test_an_import_run_is_one_audit_entry_with_its_counts(site, tmp_path):
    path = bookings_csv(tmp_path, [f"1,501,{day(3)},1", f"2,502,{day(2)},1", "3,503,never,1"])
    outcome = run(site, "booking", path, user=site["users"]["program_manager"])
    entries = AuditEntry.objects.filter(action="import")
    assert entries.count() == 1
    entry = entries.get()
    assert (entry.kind, entry.outcome) == ("import_run", "success")
    assert entry.object_id == str(outcome.run.pk)
    assert entry.jurisdiction_id == site["site"].pk
    assert entry.actor == site["users"]["program_manager"].username
    assert entry.detail["accepted"] == 2 and entry.detail["rejected"] == 1
    assert entry.detail["mapping"] == "synth-county-jail v2"
    assert entry.detail["sha256"] == outcome.run.file_sha256


def test_a_refused_file_is_an_audited_failure(site, tmp_path):
    outcome = run(site, "booking", write(tmp_path, "empty.csv", b""))
    entry = AuditEntry.objects.get(action="import")
    assert (entry.kind, entry.outcome) == ("import_run", "failure")
    assert entry.object_id == str(outcome.run.pk)
    assert entry.detail == {"file": "empty.csv", "refusal": "empty.csv: the file is empty"}
