"""Caseload capacity: who can take a new referral, and when the program is full.

Arrest diversions may fill a case manager up to the hard cap. Social-contact and community
referrals are taken only while capacity remains below the target, so they never crowd out
diversions (LEAD toolkit: social contacts are accepted only if capacity remains).

Every open enrollment counts, a new hand-off included. Whoever places or moves a case
holds the site's caseload lock first (`caseload_lock`), so two placements at once cannot
both see the last free slot.
"""

from typing import Any

from django.db import connection
from django.db.models import Count, Q

from divert.casework import lifecycle
from divert.jurisdictions.models import Jurisdiction
from divert.staff.models import User
from divert.staff.roles import Role
from divert.vocabulary import Pathway


def caseload_lock(jurisdiction: Jurisdiction) -> None:
    """Serialise caseload changes within one site until the transaction ends.

    A row lock on the site on PostgreSQL; SQLite's IMMEDIATE transactions already admit
    one writer at a time.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("caseload_lock needs a transaction")
    if connection.vendor == "postgresql":
        Jurisdiction.objects.select_for_update().filter(pk=jurisdiction.pk).exists()


def caseloads(*, jurisdiction: Jurisdiction) -> dict[int, int]:
    """Open cases per active case manager in the jurisdiction, including those with none."""
    managers = User.objects.filter(
        organization__jurisdiction=jurisdiction,
        is_active=True,
        role_grants__role=Role.CASE_MANAGER,
    ).annotate(open=Count("caseload", filter=Q(caseload__status__in=lifecycle.OPEN_STATUSES)))
    return {m.pk: m.open for m in managers}


def limit_for(pathway: str, jurisdiction: Jurisdiction) -> int:
    if pathway == Pathway.ARREST_DIVERSION:
        return jurisdiction.caseload_cap
    return jurisdiction.caseload_target


def has_room(*, jurisdiction: Jurisdiction, case_manager: Any, pathway: str) -> bool:
    """Whether `case_manager` may take one more case by `pathway` (hold the lock first)."""
    load = caseloads(jurisdiction=jurisdiction).get(case_manager.pk)
    return load is not None and load < limit_for(pathway, jurisdiction)


def case_manager_pick(*, jurisdiction: Jurisdiction, pathway: str) -> Any:
    """The on-call case manager with the most room under the pathway's limit, or None if full.

    Takes the site's caseload lock, so call it inside the transaction that enrolls: the
    lock is held until that transaction ends.
    """
    caseload_lock(jurisdiction)
    loads = caseloads(jurisdiction=jurisdiction)
    on_call = User.objects.filter(pk__in=loads, on_call=True).order_by("pk")
    limit = limit_for(pathway, jurisdiction)
    room = [(loads[u.pk], u.pk, u) for u in on_call if loads[u.pk] < limit]
    return min(room)[2] if room else None
