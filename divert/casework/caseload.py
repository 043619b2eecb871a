"""The caseload list: who is on it, filtered and sorted by urgency, for a page, the API and CSV.

Urgency, most urgent first: an intake deadline already passed, then one due within
`alerts.INTAKE_DUE_DAYS`, then everyone else by how long since the last contact (never
contacted first). An attempted contact ("not found") is not a contact, as for the alerts.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, DateField, F, IntegerField, OuterRef, Q, QuerySet, Subquery, When
from django.db.models import Value as V

from divert.access import Action, Kind, can, require, visible
from divert.casework import lifecycle
from divert.casework.alerts import INTAKE_DUE_DAYS
from divert.casework.attention import PENDING
from divert.casework.models import Contact, Enrollment
from divert.jurisdictions.clock import day_start, site_today
from divert.people.search import person_search

SEARCH_LIMIT = 50  # fuzzy matches considered for a name search


@dataclass(frozen=True)
class CaseloadFilter:
    name: str = ""
    status: str = ""
    no_contact_days: int | None = None  # last contact older than this many days (or none)
    due_within_days: int | None = None  # intake deadline within this many days (or passed)
    case_manager_id: int | None = None
    mine: bool = False
    include_exited: bool = False


def _last_contact() -> Subquery:
    latest = (
        Contact.objects.filter(enrollment=OuterRef("pk"))
        .exclude(kind=Contact.Kind.ATTEMPTED)
        .order_by("-occurred_at")
        .values("occurred_at")[:1]
    )
    return Subquery(latest)


def _urgency(today: datetime.date) -> Case:
    pending = Q(status__in=PENDING, intake_completed_on__isnull=True, intake_due_on__isnull=False)
    soon = today + datetime.timedelta(days=INTAKE_DUE_DAYS)
    return Case(
        When(pending & Q(intake_due_on__lt=today), then=V(0)),
        When(pending & Q(intake_due_on__lte=soon), then=V(1)),
        default=V(2),
        output_field=IntegerField(),
    )


def caseload_list(*, user: Any, filters: CaseloadFilter, audit: bool = True) -> QuerySet:
    """Enrollments `user` may see that pass `filters`, most urgent first.

    Each row carries `last_contact` (a datetime or None) and `urgency` (0 overdue intake,
    1 intake due soon, 2 otherwise). The read is audited as one list read.
    """
    require(user, Action.VIEW, Kind.ENROLLMENT, audit=audit)
    site = user.jurisdiction
    today = site_today(site)
    rows = visible(user, Kind.ENROLLMENT, Enrollment.objects.all())
    if filters.mine:
        rows = rows.filter(case_manager=user)
    if filters.case_manager_id is not None:
        rows = rows.filter(case_manager_id=filters.case_manager_id)
    if filters.status:
        rows = rows.filter(status=filters.status)
    elif not filters.include_exited:
        rows = rows.filter(status__in=lifecycle.OPEN_STATUSES)
    rows = rows.annotate(last_contact=_last_contact(), urgency=_urgency(today))
    if filters.no_contact_days is not None:
        cutoff = day_start(site, today - datetime.timedelta(days=filters.no_contact_days))
        rows = rows.filter(Q(last_contact__isnull=True) | Q(last_contact__lt=cutoff))
    if filters.due_within_days is not None:
        rows = rows.filter(
            status__in=PENDING,
            intake_completed_on__isnull=True,
            intake_due_on__lte=today + datetime.timedelta(days=filters.due_within_days),
        )
    rows = rows.select_related("person", "case_manager")
    if filters.name:
        ranked = person_search(
            jurisdiction_id=user.jurisdiction_id, query=filters.name, limit=SEARCH_LIMIT
        )
        order = {person.pk: i for i, (person, _score) in enumerate(ranked)}
        rows = rows.filter(person_id__in=list(order))
        best_first = Case(
            *[When(person_id=pk, then=V(i)) for pk, i in order.items()],
            default=V(len(order)),
            output_field=IntegerField(),
        )
        return rows.annotate(match=best_first).order_by("match", "urgency", "pk")
    due_key = Case(
        When(urgency__lt=2, then=F("intake_due_on")), default=None, output_field=DateField()
    )
    return rows.annotate(due_key=due_key).order_by(
        "urgency",
        F("due_key").asc(nulls_last=True),
        F("last_contact").asc(nulls_first=True),
        "referred_on",
        "pk",
    )


def supervises(user: Any) -> bool:
    """Whether `user` sees the team: everyone's caseload, filters by case manager, reassignment."""
    return can(user, Action.VIEW, Kind.ASSIGNMENT)
