"""Enrollments with their status history, the prosecutor's holds, and the case work inside them."""

import datetime
from zoneinfo import ZoneInfo

import pandas as pd
from simple_history.utils import bulk_create_with_history

from divert.casework import lifecycle
from divert.casework.models import (
    CaseNote,
    Contact,
    Enrollment,
    Goal,
    InterventionPlan,
    ReleaseOfInformation,
    ServiceReferral,
    StatusChange,
)
from divert.charges.models import ChargeHold
from divert.jurisdictions.models import Jurisdiction, Organization
from divert.seeding.dates import aware, dates

SERVICES = {
    "housing": "Supportive housing application",
    "treatment": "Low-barrier buprenorphine clinic",
    "income": "SSI/SSDI application (SOAR)",
    "legal": "Warrant and fines clean-up with the defender",
    "health": "Primary care appointment",
}
GOALS = {
    "housing": "Move from the street or shelter into housing",
    "treatment": "Start treatment on the participant's own terms",
    "income": "Secure income or benefits",
    "legal": "Resolve other pending cases and warrants",
    "health": "Reconnect with primary care",
}
_BARRIERS = (
    "No ID documents yet",
    "Phone often lost or cut off",
    "Not stably housed",
    "Long waits for treatment slots",
)
_NOTES = (
    "Met at the day centre. Wants help getting an ID and a phone.",
    "Found at the usual spot by the bridge. Doing okay; asked about housing lists.",
    "Walked over to the benefits office together. Application started.",
)


def exit_reason(reason: str | None) -> str:
    """The synth's exit reason, or "other" for one the site's policy defines that casework
    does not list (e.g. Santa Fe's committee termination).

    >>> exit_reason("moved_away"), exit_reason("committee_termination")
    ('moved_away', 'other')
    """
    return reason if reason in lifecycle.EXIT_REASONS else "other"


def enrollments_create(
    *,
    site: Jurisdiction,
    enrollments: pd.DataFrame,
    history: pd.DataFrame,
    intakes: pd.DataFrame,
    people: dict[int, int],
    referrals: dict[int, int],
    case_managers: dict[int, int],
) -> dict[int, int]:
    """Enrollments and their StatusChange history. Returns synth enrollment_id -> pk."""
    due = dict(zip(intakes.enrollment_id.astype(int), dates(intakes.due_at), strict=True))
    rows = []
    for eid, pid, rid, cm, referred, intake, exited, status, reason in zip(
        enrollments.enrollment_id.astype(int),
        enrollments.person_id,
        enrollments.referral_id,
        enrollments.case_manager_id,
        dates(enrollments.referred_at),
        dates(enrollments.intake_at),
        dates(enrollments.exited_at),
        enrollments.status,
        enrollments.exit_reason,
        strict=True,
    ):
        rows.append(
            Enrollment(
                jurisdiction=site,
                person_id=people[int(pid)],
                referral_id=referrals[int(rid)],
                case_manager_id=case_managers[int(cm)],
                status=status,
                referred_on=referred,
                intake_due_on=due.get(eid),
                intake_completed_on=intake,
                exited_on=exited if status == lifecycle.EXITED else None,
                exit_reason=exit_reason(reason) if status == lifecycle.EXITED else "",
            )
        )
    created = Enrollment.objects.bulk_create(rows)
    ids = dict(zip(enrollments.enrollment_id.astype(int), (e.pk for e in created), strict=True))
    by_pk = {e.pk: e for e in created}

    changes, previous = [], {}
    for eid, status, on in zip(
        history.enrollment_id.astype(int), history.status, dates(history.started_at), strict=True
    ):
        enrollment = by_pk[ids[eid]]
        changes.append(
            StatusChange(
                enrollment_id=enrollment.pk,
                from_status=previous.get(eid, ""),
                to_status=status,
                changed_on=on,
                reason=enrollment.exit_reason if status == lifecycle.EXITED else "",
                changed_by_id=enrollment.case_manager_id,
            )
        )
        previous[eid] = status
    StatusChange.objects.bulk_create(changes)
    return ids


DECISION_DAYS = 21  # how long a liaison prosecutor takes to decide on a missed deadline


def holds_create(
    *,
    site: Jurisdiction,
    enrollments: list[Enrollment],
    filed: dict[int, list[datetime.date]],
    prosecutor: Organization,
    today: datetime.date,
) -> None:
    """One hold per accepted arrest diversion: the charge waits on the intake deadline.

    `filed` maps a person pk to the dates the synth's prosecutor filed a diverted charge after
    a missed intake. A deadline missed more than DECISION_DAYS ago has been decided: filed if
    the synth filed, declined otherwise (the synth does not date a decision not to file).
    Recent misses stay "awaiting decision" for the liaison to act on.
    """
    S = ChargeHold.Status
    decide_before = today - datetime.timedelta(days=DECISION_DAYS)
    holds = []
    for e in enrollments:
        decided = None
        if e.intake_completed_on:
            status = S.INTAKE_DONE
        elif e.intake_due_on >= today:
            status = S.HOLDING
        elif e.intake_due_on >= decide_before:
            status = S.AWAITING_DECISION
        else:
            decided = min(
                (d for d in filed.get(e.person_id, []) if d >= e.referred_on), default=None
            )
            status = S.FILED if decided else S.DECLINED
        holds.append(
            ChargeHold(
                jurisdiction=site,
                referral_id=e.referral_id,
                prosecutor_office=prosecutor,
                held_on=e.referred_on,
                due_on=e.intake_due_on,
                status=status,
                decided_on=decided,
            )
        )
    ChargeHold.objects.bulk_create(holds)


# The synthetic county says where a contact happened; the record keeps how and where apart.
_CONTACT_KINDS = {
    "street": ("in_person", "street"),
    "office": ("in_person", "office"),
    "phone": ("phone", "phone"),
    "attempted": ("attempted", "street"),
}


def contacts_create(
    *,
    contacts: pd.DataFrame,
    enrollments: dict[int, int],
    case_managers: dict[int, int],
    tz: str,
) -> None:
    bulk_create_with_history(
        [
            Contact(
                enrollment_id=enrollments[int(eid)],
                staff_id=case_managers[int(cm)],
                occurred_at=when,
                kind=_CONTACT_KINDS[kind][0],
                place=_CONTACT_KINDS[kind][1],
                minutes=(15, 30, 45, 60)[int(cid) % 4],
            )
            for cid, eid, cm, when, kind in zip(
                contacts.contact_id,
                contacts.enrollment_id,
                contacts.case_manager_id,
                aware(contacts.contacted_at, tz),
                contacts.kind,
                strict=True,
            )
        ],
        Contact,
    )


def services_create(
    *,
    services: pd.DataFrame,
    enrollments: dict[int, int],
    open_pks: set[int],
    provider: Organization,
    today: datetime.date,
) -> None:
    rows = []
    for eid, sent, domain, completed in zip(
        services.enrollment_id,
        dates(services.referred_at),
        services.service,
        services.completed,
        strict=True,
    ):
        pk = enrollments[int(eid)]
        if completed:
            status, closed = ServiceReferral.Status.COMPLETED, min(today, sent + _MONTH)
        elif pk in open_pks:
            status, closed = ServiceReferral.Status.IN_PROGRESS, None
        else:
            status, closed = ServiceReferral.Status.CANCELLED, None
        rows.append(
            ServiceReferral(
                enrollment_id=pk,
                provider=provider,
                service=SERVICES[domain],
                domain=domain,
                status=status,
                sent_on=sent,
                closed_on=closed,
            )
        )
    ServiceReferral.objects.bulk_create(rows)


_MONTH = datetime.timedelta(days=30)
_YEAR = datetime.timedelta(days=365)


def plans_create(*, enrollments: list[Enrollment], services: pd.DataFrame, pk_of: dict) -> None:
    """A plan for everyone past intake, with one goal per service domain they were sent to."""
    domains: dict[int, dict[str, bool]] = {}
    for eid, domain, completed in zip(
        services.enrollment_id, services.service, services.completed, strict=True
    ):
        met = domains.setdefault(pk_of[int(eid)], {})
        met[domain] = met.get(domain, False) or bool(completed)
    plans = bulk_create_with_history(
        [
            InterventionPlan(
                enrollment_id=e.pk,
                summary="Housing first; the participant sets the pace on everything else.",
                barriers=_BARRIERS[e.pk % len(_BARRIERS)],
            )
            for e in enrollments
        ],
        InterventionPlan,
    )
    goals = []
    for plan in plans:
        for domain, met in (domains.get(plan.enrollment_id) or {"housing": False}).items():
            goals.append(
                Goal(
                    plan_id=plan.pk,
                    domain=domain,
                    description=GOALS[domain],
                    status=Goal.Status.MET if met else Goal.Status.OPEN,
                )
            )
    bulk_create_with_history(goals, Goal)


def notes_create(*, enrollments: list[Enrollment], tz: str) -> None:
    """A few notes, written on the intake day, for every third participant past intake."""
    zone = ZoneInfo(tz)
    bulk_create_with_history(
        [
            CaseNote(
                enrollment_id=e.pk,
                author_id=e.case_manager_id,
                written_at=datetime.datetime.combine(
                    e.intake_completed_on, datetime.time(11), zone
                ),
                text=_NOTES[e.pk % len(_NOTES)],
            )
            for e in enrollments
            if e.pk % 3 == 0
        ],
        CaseNote,
    )


def releases_create(
    *,
    enrollments: list[Enrollment],
    people: dict[int, str],
    orgs: dict[str, Organization],
    today: datetime.date,
) -> None:
    """A multi-party release for most open participants past intake (not every one signs).

    Releases run a year and are renewed; only the current one is loaded.
    """
    Kind = Organization.Kind
    releases = []
    for e in enrollments:
        if e.pk % 7 == 0:
            continue
        years = (today - e.intake_completed_on).days // 365
        signed = e.intake_completed_on + years * _YEAR
        releases.append(
            ReleaseOfInformation(
                person_id=e.person_id,
                discloser=orgs[Kind.CASE_MANAGEMENT],
                purpose="Coordinate pending cases with the LEAD liaison prosecutor and defender",
                signed_on=signed,
                expires_on=signed + _YEAR,
                shares_progress=True,
                shares_barriers=e.pk % 2 == 0,
                signature=people[e.person_id],
                verbal_witness="the intake case manager",
            )
        )
    created = ReleaseOfInformation.objects.bulk_create(releases)
    through = ReleaseOfInformation.recipients.through
    through.objects.bulk_create(
        through(releaseofinformation_id=r.pk, organization_id=orgs[kind].pk)
        for r in created
        for kind in (Kind.PROSECUTOR, Kind.DEFENDER)
    )
