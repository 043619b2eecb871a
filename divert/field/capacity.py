"""Caseload capacity: who can take a new referral, and when the program is full.

Arrest diversions may fill a case manager up to the hard cap. Social-contact and community
referrals are taken only while capacity remains below the target, so they never crowd out
diversions (LEAD toolkit: social contacts are accepted only if capacity remains).
"""

from typing import Any

from django.db.models import Count, Q

from divert.casework import lifecycle
from divert.jurisdictions.models import Jurisdiction
from divert.staff.models import User
from divert.staff.roles import Role


def caseloads(*, jurisdiction: Jurisdiction) -> dict[int, int]:
    """Open cases per case manager in the jurisdiction, including those with none."""
    managers = User.objects.filter(
        organization__jurisdiction=jurisdiction,
        is_active=True,
        role_grants__role=Role.CASE_MANAGER,
    ).annotate(open=Count("caseload", filter=Q(caseload__status__in=lifecycle.OPEN_STATUSES)))
    return {m.pk: m.open for m in managers}


def limit_for(pathway: str, jurisdiction: Jurisdiction) -> int:
    if pathway == "arrest_diversion":
        return jurisdiction.caseload_cap
    return jurisdiction.caseload_target


def case_manager_pick(*, jurisdiction: Jurisdiction, pathway: str) -> Any:
    """The on-call case manager with the most room under the pathway's limit, or None if full."""
    loads = caseloads(jurisdiction=jurisdiction)
    on_call = User.objects.filter(pk__in=loads, on_call=True).order_by("pk")
    limit = limit_for(pathway, jurisdiction)
    room = [(loads[u.pk], u.pk, u) for u in on_call if loads[u.pk] < limit]
    if not room:
        return None
    return min(room)[2]
