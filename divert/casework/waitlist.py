"""The capacity waitlist: people turned away for capacity, worked by the supervisor when
capacity frees.

A referral refused for capacity (or a returning participant no case manager had room for)
can be put on the site's waitlist with a reason. The list runs longest-waiting first, with
the hand-off clock (time since they were turned away) and the intake clock (the policy's
deadline as it stood then). Room is read from the caseloads every time the list is drawn,
so an exit, a reassignment or a raised cap shows at once as someone who can now be assigned.
Assigning holds the site's caseload lock (casework.capacity) like every other placement, so
two supervisors at once cannot both take the last place. The new enrollment's intake deadline
runs from the day of assignment: nobody is worse off for having waited.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from divert.access import Action, Kind, require, visible
from divert.audit.services import audit_record
from divert.casework import lifecycle
from divert.casework.capacity import caseload_lock, caseloads, limit_for
from divert.casework.models import Enrollment, StatusChange, WaitlistEntry
from divert.casework.services import enrollment_open_for
from divert.field.models import Referral
from divert.field.policies import NoPolicy, policy_active
from divert.jurisdictions.clock import local_date, site_today
from divert.staff.models import User
from divert.vocabulary import Pathway

REASON_MAX = WaitlistEntry._meta.get_field("reason").max_length
RECENT_REFUSALS_DAYS = 90


@dataclass(frozen=True)
class Room:
    case_manager_id: int
    name: str
    open: int
    limit: int


@dataclass
class Waiting:
    """One person on the waitlist, with their clocks and who has room for them now."""

    entry: WaitlistEntry
    waited_days: int
    waited_hours: int
    intake_days_left: int | None  # negative once the deadline has passed
    room: list[Room]

    @property
    def intake_clock(self) -> str:
        n = self.intake_days_left
        if n is None:
            return "No deadline"
        if n < 0:
            return f"{-n} day{'s' if n != -1 else ''} overdue"
        return "Due today" if n == 0 else f"{n} day{'s' if n != 1 else ''} left"

    @property
    def waited(self) -> str:
        if self.waited_days:
            return f"{self.waited_days} day{'s' if self.waited_days != 1 else ''}"
        return f"{self.waited_hours} hour{'s' if self.waited_hours != 1 else ''}"

    @property
    def assignable(self) -> bool:
        return bool(self.room)


def _deadline_days(jurisdiction_id: int) -> int | None:
    try:
        return policy_active(jurisdiction_id=jurisdiction_id)[1].intake.deadline_days
    except NoPolicy:
        return None


def _check_reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({field: "Say why."})
    if len(reason) > REASON_MAX:
        raise ValidationError({field: f"Keep the reason under {REASON_MAX} characters."})
    return reason


def _waiting_entry(person_id: int) -> WaitlistEntry | None:
    return WaitlistEntry.objects.filter(
        person_id=person_id, status=WaitlistEntry.Status.WAITING
    ).first()


@transaction.atomic
def waitlist_add(
    *,
    user: Any,
    reason: str,
    referral: Referral | None = None,
    previous: Enrollment | None = None,
) -> tuple[WaitlistEntry, bool]:
    """Put someone turned away for capacity on the waitlist; returns the entry and whether it
    is new (False: the same request again, which changes nothing)."""
    source = referral or previous
    if (referral is None) == (previous is None):
        raise ValidationError({"referral_id": "Name the refused referral or the exited case."})
    require(user, Action.CREATE, Kind.WAITLIST, source)
    reason = _check_reason(reason)
    site = source.jurisdiction
    caseload_lock(site)  # one writer at a time: a double submit waits, then finds the first
    if referral is not None:
        referral = Referral.objects.select_related("person").get(pk=referral.pk)
        if not referral.capacity_refused or hasattr(referral, "enrollment"):
            raise ValidationError(
                {"referral_id": "Only a referral turned away for capacity goes on the waitlist."}
            )
        person, pathway, turned_away = referral.person, referral.pathway, referral.referred_at
        days = _deadline_days(site.pk)
        start = local_date(site, turned_away)
        due = start + datetime.timedelta(days=days) if days else None
    else:
        previous = Enrollment.objects.select_related("person").get(pk=previous.pk)
        if previous.status != lifecycle.EXITED or hasattr(previous, "next"):
            raise ValidationError(
                {"previous_id": "Only someone who exited and has not re-engaged waits here."}
            )
        person, pathway, turned_away, due = (
            previous.person,
            Pathway.ARREST_DIVERSION,  # a returning participant: the hard cap, as re-engaging
            timezone.now(),
            None,
        )
    if enrollment_open_for(person=person) is not None:
        raise ValidationError({"person": "This person is enrolled already."})
    existing = _waiting_entry(person.pk)
    if existing is not None:
        if (existing.referral_id, existing.previous_id) == (
            referral.pk if referral else None,
            previous.pk if previous else None,
        ):
            return existing, False
        raise ValidationError({"person": "This person is on the waitlist already."})
    entry = WaitlistEntry(
        jurisdiction=site,
        person=person,
        referral=referral,
        previous=previous,
        pathway=pathway,
        turned_away_at=turned_away,
        intake_due_on=due,
        reason=reason,
        added_at=timezone.now(),
        added_by=user,
    )
    entry.full_clean(validate_constraints=False)
    entry._history_user = user
    entry.save()
    return entry, True


def _room(site: Any, loads: dict[int, int], names: dict[int, str], pathway: str) -> list[Room]:
    limit = limit_for(pathway, site)
    return sorted(
        (
            Room(case_manager_id=pk, name=names[pk], open=n, limit=limit)
            for pk, n in loads.items()
            if n < limit
        ),
        key=lambda r: (r.open, r.name, r.case_manager_id),
    )


def waitlist_entries(*, user: Any) -> QuerySet[WaitlistEntry]:
    require(user, Action.VIEW, Kind.WAITLIST)  # a list of people: an audited read
    return visible(user, Kind.WAITLIST, WaitlistEntry.objects.all())


def waitlist_get(*, user: Any, entry_id: int) -> WaitlistEntry:
    from django.shortcuts import get_object_or_404

    entry = get_object_or_404(
        WaitlistEntry.objects.select_related("person", "added_by", "jurisdiction"), pk=entry_id
    )
    require(user, Action.VIEW, Kind.WAITLIST, entry)
    return entry


def waitlist_list(*, user: Any, now: datetime.datetime | None = None) -> list[Waiting]:
    """Everyone waiting in the user's site, longest first, with who has room for each now."""
    now = now or timezone.now()
    site = user.jurisdiction
    rows = (
        waitlist_entries(user=user)
        .filter(status=WaitlistEntry.Status.WAITING)
        .select_related("person", "added_by", "referral")
        .order_by("turned_away_at", "pk")[:500]
    )
    loads = caseloads(jurisdiction=site)
    names = {u.pk: u.get_full_name() or u.username for u in User.objects.filter(pk__in=loads)}
    room = {p: _room(site, loads, names, p) for p in Pathway}
    today = site_today(site)
    out = []
    for entry in rows:
        waited = now - entry.turned_away_at
        out.append(
            Waiting(
                entry=entry,
                waited_days=max(0, (today - local_date(site, entry.turned_away_at)).days),
                waited_hours=max(0, int(waited.total_seconds() // 3600)),
                intake_days_left=(entry.intake_due_on - today).days
                if entry.intake_due_on
                else None,
                room=room.get(entry.pathway, []),
            )
        )
    return out


def refusals_not_listed(*, user: Any) -> list[Referral]:
    """Recent referrals turned away for capacity whose person neither waits nor is enrolled:
    the ones a supervisor may still put on the waitlist."""
    require(user, Action.VIEW, Kind.REFERRAL)
    site = user.jurisdiction
    since = timezone.now() - datetime.timedelta(days=RECENT_REFUSALS_DAYS)
    waiting = WaitlistEntry.objects.filter(status=WaitlistEntry.Status.WAITING).values("person")
    enrolled = Enrollment.objects.filter(status__in=lifecycle.OPEN_STATUSES).values("person")
    return list(
        visible(user, Kind.REFERRAL, Referral.objects.filter(jurisdiction=site))
        .filter(capacity_refused=True, referred_at__gte=since, enrollment__isnull=True)
        .exclude(person__in=waiting)
        .exclude(person__in=enrolled)
        .select_related("person")
        .order_by("referred_at", "pk")[:200]
    )


@transaction.atomic
def waitlist_assign(*, user: Any, entry: WaitlistEntry, case_manager_id: int) -> Enrollment:
    """Give the person waiting a place with a case manager who has room, under the caseload
    lock; a second assignment of the same entry to the same case manager changes nothing."""
    require(user, Action.CHANGE, Kind.WAITLIST, entry)
    require(user, Action.CHANGE, Kind.ASSIGNMENT, entry)
    site = entry.jurisdiction
    caseload_lock(site)  # held until this transaction ends
    entry = WaitlistEntry.objects.select_for_update().get(pk=entry.pk)
    done = entry.enrollment if entry.status == WaitlistEntry.Status.ASSIGNED else None
    if done is not None and done.case_manager_id == case_manager_id:
        return done  # the same form sent twice
    if entry.status != WaitlistEntry.Status.WAITING:
        raise ValidationError({"waitlist_entry_id": "This person is no longer waiting."})
    if enrollment_open_for(person=entry.person) is not None:
        raise ValidationError({"person": "This person is enrolled already: take them off."})
    loads = caseloads(jurisdiction=site)
    if case_manager_id not in loads:
        raise ValidationError({"case_manager_id": "No active case manager by that id here."})
    limit = limit_for(entry.pathway, site)
    if loads[case_manager_id] >= limit:
        raise ValidationError(
            {"case_manager_id": f"Their caseload is at {loads[case_manager_id]} of {limit}."}
        )
    today = site_today(site)
    referral = entry.referral if entry.referral_id else None
    if referral is not None and hasattr(referral, "enrollment"):
        referral = None
    previous = entry.previous if entry.previous_id else None
    if previous is not None and hasattr(previous, "next"):
        previous = None
    days = _deadline_days(site.pk)
    referred_on = local_date(site, referral.referred_at) if referral else today
    try:
        with transaction.atomic():
            enrollment = Enrollment.objects.create(
                jurisdiction=site,
                person=entry.person,
                referral=referral,
                previous=previous,
                case_manager_id=case_manager_id,
                status=lifecycle.REFERRED,
                referred_on=referred_on,
                intake_due_on=today + datetime.timedelta(days=days) if days else None,
            )
    except IntegrityError:
        raise ValidationError({"person": "This person is enrolled already."}) from None
    StatusChange.objects.create(
        enrollment=enrollment,
        from_status="",
        to_status=lifecycle.REFERRED,
        changed_on=today,
        reason="from the waitlist",
        changed_by=user,
    )
    entry.status = WaitlistEntry.Status.ASSIGNED
    entry.enrollment = enrollment
    entry.closed_at, entry.closed_by = timezone.now(), user
    entry._history_user = user
    entry._change_reason = "assigned"
    entry.save()
    audit_record(
        action="assign",
        kind=Kind.WAITLIST.value,
        object_id=entry.pk,
        jurisdiction_id=site.pk,
        outcome="success",
        user=user,
        detail={"enrollment": enrollment.pk, "case_manager": case_manager_id},
    )
    return enrollment


@transaction.atomic
def waitlist_remove(*, user: Any, entry: WaitlistEntry, reason: str) -> WaitlistEntry:
    """Take someone off the waitlist with a reason (placed elsewhere, moved away, declined)."""
    require(user, Action.CHANGE, Kind.WAITLIST, entry)
    reason = _check_reason(reason)
    entry = WaitlistEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.status == WaitlistEntry.Status.REMOVED:
        return entry  # a double submit
    if entry.status != WaitlistEntry.Status.WAITING:
        raise ValidationError({"waitlist_entry_id": "This person is no longer waiting."})
    entry.status = WaitlistEntry.Status.REMOVED
    entry.closed_at, entry.closed_by, entry.closed_reason = timezone.now(), user, reason
    entry._history_user = user
    entry._change_reason = "removed"
    entry.save()
    return entry
