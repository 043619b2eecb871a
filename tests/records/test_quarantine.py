"""The quarantine: a fixed row is checked like the file and imported; a discard keeps why."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from divert.audit.models import AuditEntry
from divert.records.models import JusticeEvent, QuarantinedRow
from divert.records.quarantine import quarantine_discard, quarantine_list, quarantine_retry
from divert.staff.roles import Role
from tests.records.helpers import BOOKING_HEADER, NO_PERSON, bookings_csv, day, run, write


@pytest.fixture
def waiting(site, tmp_path):
    path = bookings_csv(tmp_path, [f"1,501,{day(3)},1", "2,502,31/02/2024,1"])
    run(site, "booking", path)
    return QuarantinedRow.objects.get()


def test_a_fixed_row_is_imported_and_leaves_the_quarantine(site, waiting):
    pm = site["users"][Role.PROGRAM_MANAGER]
    fixed = {**waiting.values, "booked_at": day(5)}
    assert quarantine_retry(user=pm, row_id=waiting.pk, values=fixed) == []
    event = JusticeEvent.objects.get(source_event_id="booking-2")
    assert event.occurred_on.isoformat() == day(5)[:10]
    assert event.import_run_id == waiting.run_id
    waiting.refresh_from_db()
    assert (waiting.status, waiting.resolved_by) == ("fixed", pm)
    history = list(waiting.history.order_by("history_id"))
    assert (
        history[-1].history_type == "~"
        and history[-1].history_change_reason == "fixed and imported"
    )
    assert quarantine_list(user=pm).count() == 0


def test_a_row_still_wrong_stays_and_says_what_is_wrong(site, waiting):
    pm = site["users"][Role.PROGRAM_MANAGER]
    errors = quarantine_retry(
        user=pm, row_id=waiting.pk, values={**waiting.values, "booked_at": "soon"}
    )
    assert [(e.row, e.column) for e in errors] == [(3, "booked_at")]
    assert "not a valid date: 'soon'" in errors[0].message
    waiting.refresh_from_db()
    assert waiting.status == "pending"
    assert not JusticeEvent.objects.filter(source_event_id="booking-2").exists()


@pytest.mark.parametrize("cell", ["=1+1", "-1+cmd|' /C calc'!A0"])
def test_a_retry_cannot_bring_a_formula_in(site, waiting, cell):
    pm = site["users"][Role.PROGRAM_MANAGER]
    values = {**waiting.values, "booked_at": day(5), "justice_person_id": cell}
    errors = quarantine_retry(user=pm, row_id=waiting.pk, values=values)
    assert errors[0].column == "justice_person_id"
    assert not JusticeEvent.objects.filter(source_person_id=cell).exists()


def test_a_retry_naming_a_column_the_file_lacks_is_refused(site, waiting):
    with pytest.raises(ValidationError, match="not a column of this file: cell"):
        quarantine_retry(
            user=site["users"][Role.PROGRAM_MANAGER],
            row_id=waiting.pk,
            values={**waiting.values, "cell": "B4"},
        )


def test_a_discarded_row_keeps_its_reason_and_cannot_be_retried(site, waiting):
    pm = site["users"][Role.PROGRAM_MANAGER]
    with pytest.raises(ValidationError, match="say why"):
        quarantine_discard(user=pm, row_id=waiting.pk, reason="  ")
    quarantine_discard(user=pm, row_id=waiting.pk, reason="Booking voided by the jail")
    waiting.refresh_from_db()
    assert (waiting.status, waiting.reason) == ("discarded", "Booking voided by the jail")
    with pytest.raises(ValidationError, match="already discarded"):
        quarantine_retry(user=pm, row_id=waiting.pk, values={**waiting.values, "booked_at": day(5)})
    entry = AuditEntry.objects.filter(kind="quarantine", action="change").latest("pk")
    assert entry.outcome == "success" and entry.object_id == str(waiting.pk)


def test_a_ragged_row_is_fixed_field_by_field(site, tmp_path):
    path = write(tmp_path, "b.csv", f"{BOOKING_HEADER}\n1,501,{day(3)},1{NO_PERSON},extra\n")
    run(site, "booking", path)
    row = QuarantinedRow.objects.get()
    values = {"booking_id": "1", "justice_person_id": "501", "booked_at": day(3), "area_id": "1"}
    assert (
        quarantine_retry(user=site["users"][Role.PROGRAM_MANAGER], row_id=row.pk, values=values)
        == []
    )
    assert JusticeEvent.objects.filter(source_event_id="booking-1").exists()


@pytest.mark.parametrize("role", [r for r in Role if r != Role.PROGRAM_MANAGER])
def test_only_a_program_manager_fixes_or_discards(site, waiting, role):
    user = site["users"][role]
    with pytest.raises(PermissionDenied):
        quarantine_discard(user=user, row_id=waiting.pk, reason="not mine to discard")
    with pytest.raises(PermissionDenied):
        quarantine_retry(user=user, row_id=waiting.pk, values=waiting.values)
    waiting.refresh_from_db()
    assert waiting.status == "pending"
