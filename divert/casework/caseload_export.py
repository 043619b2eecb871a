"""The caseload as CSV, for the page and the API: audited as an export, formulas defused."""

import csv
from collections.abc import Iterable
from typing import Any

from divert.access import Action, Kind, require
from divert.casework.caseload import CaseloadFilter, caseload_list
from divert.casework.csvsafe import safe_cell
from divert.jurisdictions.clock import local_date

COLUMNS = (
    "enrollment_id",
    "participant",
    "status",
    "referred_on",
    "intake_due_on",
    "intake_completed_on",
    "last_contact_on",
    "case_manager",
)


def caseload_csv_write(*, user: Any, filters: CaseloadFilter, out: Any) -> int:
    """Write the filtered caseload to `out` (a text stream); returns the number of rows."""
    require(user, Action.EXPORT, Kind.ENROLLMENT)  # the one audited entry for the export
    rows = caseload_list(user=user, filters=filters, audit=False)
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    count = 0
    for e in rows.iterator(chunk_size=500):
        writer.writerow(safe_cell(v) for v in _row(user, e))
        count += 1
    return count


def _row(user: Any, e: Any) -> Iterable[Any]:
    manager = e.case_manager
    last = local_date(user.jurisdiction, e.last_contact) if e.last_contact else None
    return (
        e.pk,
        str(e.person),
        e.status,
        e.referred_on,
        e.intake_due_on,
        e.intake_completed_on,
        last,
        (manager.get_full_name() or manager.username) if manager else "",
    )
