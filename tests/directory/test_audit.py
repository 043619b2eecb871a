"""Directory imports and exports each leave one audit entry; a refused file leaves a failure."""

import json
from pathlib import Path

import pytest

from divert.audit.models import AuditEntry
from divert.directory.exports import directory_export
from divert.directory.imports import Refused, directory_import
from divert.staff.roles import Role

EXAMPLE = (Path(__file__).parent / "examples" / "service_full.json").read_text()


def test_an_import_is_one_audit_entry_with_its_counts(site):
    manager = site["users"][Role.PROGRAM_MANAGER]
    directory_import(user=manager, jurisdiction=site["site"], raw=EXAMPLE)
    entry = AuditEntry.objects.get(kind="directory", action="create")
    assert entry.outcome == "success"
    assert entry.jurisdiction_id == site["site"].pk and entry.actor_id == manager.pk
    assert entry.detail["services"] == 1 and len(entry.detail["sha256"]) == 64


def test_a_refused_file_is_an_audited_failure(site):
    manager = site["users"][Role.PROGRAM_MANAGER]
    with pytest.raises(Refused):
        directory_import(user=manager, jurisdiction=site["site"], raw=json.dumps({"id": 1}))
    entry = AuditEntry.objects.get(kind="directory", action="create")
    assert entry.outcome == "failure" and entry.detail["errors"] >= 1


def test_an_export_is_an_audited_export(site):
    manager = site["users"][Role.PROGRAM_MANAGER]
    directory_import(user=manager, jurisdiction=site["site"], raw=EXAMPLE)
    directory_export(user=manager, jurisdiction=site["site"], kind="service_list")
    entry = AuditEntry.objects.get(kind="directory", action="export")
    assert entry.outcome == "success" and entry.detail == {"kind": "service_list"}
