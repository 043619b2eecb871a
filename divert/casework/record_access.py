"""Who opened this record: the audit trail's entries about one participant's case.

Reading it is itself a person-level read (kind `record_access`), audited like any other.
An administrator may read it to answer a participant's question about access, but sees no
name: the page shows only what the trail holds.
"""

from typing import Any

from django.db.models import Q, QuerySet

from divert.access import Action, Kind, require
from divert.audit.models import AuditEntry
from divert.casework.models import Enrollment

# Reads of these kinds are checked against the enrollment, so their entries carry its id.
# (Their changes carry the changed record's own id, which is why only reads are matched.)
READ_BY_ENROLLMENT = (
    "plan",
    "contact",
    "case_note",
    "release",
    "service_referral",
    "progress",
    "record_access",
)
READ_BY_PERSON = ("person", "enrollment_status", "justice_event", "encounter")
READS = ("view", "export")

LIMIT = 500


def record_access_list(*, user: Any, enrollment: Enrollment) -> QuerySet[AuditEntry]:
    """Reads, refusals and changes of this case, newest first (the last `LIMIT`)."""
    require(user, Action.VIEW, Kind.RECORD_ACCESS, enrollment)
    case, person = str(enrollment.pk), str(enrollment.person_id)
    about = (
        Q(kind__in=("enrollment", "assignment"), object_id=case)
        | Q(kind__in=READ_BY_ENROLLMENT, action__in=READS, object_id=case)
        | Q(kind__in=READ_BY_PERSON, action__in=READS, object_id=person)
    )
    return AuditEntry.objects.filter(about, jurisdiction_id=enrollment.jurisdiction_id).order_by(
        "-id"
    )[:LIMIT]
