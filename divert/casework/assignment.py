"""Who holds which case: each case manager's load against the caps, and reassigning a case.

A reassignment holds the site's caseload lock (casework.capacity), so two supervisors moving
cases to the same person at once cannot both take the last place under the hard cap. The
reason is kept in the enrollment's history and in the audit trail.
"""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from divert.access import Action, Kind, require
from divert.audit.services import audit_record
from divert.casework import lifecycle
from divert.casework.capacity import caseload_lock, caseloads
from divert.casework.corrections import REASON_MAX
from divert.casework.models import Enrollment
from divert.staff.models import User


@dataclass(frozen=True)
class Load:
    case_manager_id: int
    name: str
    open: int
    target: int
    cap: int
    on_call: bool

    @property
    def state(self) -> str:
        if self.open >= self.cap:
            return "full"
        return "over_target" if self.open > self.target else "room"

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.open / self.cap)) if self.cap else 100


def team_loads(*, user: Any) -> list[Load]:
    """Every active case manager of the user's site with open cases against target and cap."""
    require(user, Action.VIEW, Kind.ASSIGNMENT)
    site = user.jurisdiction
    loads = caseloads(jurisdiction=site)
    managers = User.objects.filter(pk__in=loads).order_by("last_name", "first_name", "username")
    return [
        Load(
            case_manager_id=m.pk,
            name=m.get_full_name() or m.username,
            open=loads[m.pk],
            target=site.caseload_target,
            cap=site.caseload_cap,
            on_call=m.on_call,
        )
        for m in managers
    ]


@transaction.atomic
def enrollment_reassign(
    *, user: Any, enrollment: Enrollment, case_manager_id: int, reason: str
) -> Enrollment:
    """Give the case to another case manager of the site, within the hard cap, with a reason."""
    require(user, Action.CHANGE, Kind.ASSIGNMENT, enrollment)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the case moves."})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": f"Keep the reason under {REASON_MAX} characters."})
    site = enrollment.jurisdiction
    caseload_lock(site)  # held until this transaction ends
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if enrollment.status not in lifecycle.OPEN_STATUSES:
        raise ValidationError({"enrollment_id": "An exited case cannot be reassigned."})
    loads = caseloads(jurisdiction=site)
    if case_manager_id not in loads:
        raise ValidationError({"case_manager_id": "No active case manager by that id here."})
    if case_manager_id == enrollment.case_manager_id:
        raise ValidationError({"case_manager_id": "The case is already theirs."})
    if loads[case_manager_id] >= site.caseload_cap:
        raise ValidationError(
            {"case_manager_id": f"Their caseload is at the cap of {site.caseload_cap}."}
        )
    previous = enrollment.case_manager_id
    enrollment.case_manager_id = case_manager_id
    enrollment._change_reason = reason
    enrollment.save(update_fields=["case_manager"])
    audit_record(
        action="reassign",
        kind=Kind.ASSIGNMENT.value,
        object_id=enrollment.pk,
        jurisdiction_id=site.pk,
        outcome="success",
        user=user,
        detail={"from": previous, "to": case_manager_id, "reason": reason},
    )
    return enrollment
