from typing import Any

from django.shortcuts import get_object_or_404

from divert.access import Action, Kind, require
from divert.casework import lifecycle
from divert.people.models import Person


def person_get(*, user: Any, person_id: int) -> Person:
    person = get_object_or_404(Person, pk=person_id)
    require(user, Action.VIEW, Kind.PERSON, person)
    return person


def enrollment_status_get(*, user: Any, person_id: int) -> dict[str, Any]:
    """What an officer may know: enrolled or not, and whom to call. Nothing more.

    >>> # {"enrolled": True, "case_manager": "Dana Reyes", "phone": "206-555-0100"}
    """
    from divert.casework.models import Enrollment

    person = get_object_or_404(Person, pk=person_id)
    require(user, Action.VIEW, Kind.ENROLLMENT_STATUS, person)
    enrollment = (
        Enrollment.objects.filter(person=person, status__in=lifecycle.OPEN_STATUSES)
        .select_related("case_manager__organization")
        .order_by("-referred_on")
        .first()
    )
    if enrollment is None:
        return {"enrolled": False, "case_manager": "", "phone": ""}
    manager = enrollment.case_manager
    phone = ""
    if manager is not None:
        phone = manager.phone or (manager.organization.phone if manager.organization else "")
    return {
        "enrolled": True,
        "case_manager": manager.get_full_name() if manager else "",
        "phone": phone,
    }
