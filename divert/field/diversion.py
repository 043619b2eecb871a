"""The officer's workflow: screen a case, then divert, refer, or record what happened instead.

Each step is one service that the officer page, the API and the CLI all call.
"""

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from pydantic import ValidationError as CaseInvalid

from divert.access import Action, Kind, require
from divert.audit.services import audit_record
from divert.casework import lifecycle
from divert.casework.models import Enrollment
from divert.charges.models import ChargeHold
from divert.eligibility import Case, screen, validation_errors
from divert.field import capacity, history
from divert.field.models import Encounter, Offense, Referral, Screening
from divert.field.notify import Handoff, notify_handoff
from divert.field.policies import policy_active
from divert.jurisdictions.clock import local_date, site_today
from divert.jurisdictions.models import Organization
from divert.people.models import Person


def _case(data: dict) -> Case:
    try:
        return Case.model_validate(data)
    except CaseInvalid as exc:
        raise ValidationError(
            {e["field"] or "case": e["message"] for e in validation_errors(exc)}
        ) from None


def _dob(person: Person) -> str | None:
    if person.date_of_birth is None:
        return None
    iso = person.date_of_birth.isoformat()
    return {"year": iso[:4], "month": iso[:7]}.get(person.dob_precision, iso)


def case_for_person(person: Person, data: dict) -> dict:
    """Fill what divert already knows: date of birth, history and verified activity.

    What the caller typed wins; the records only fill what it left out.
    """
    on = (
        datetime.date.fromisoformat(data["date"])
        if "date" in data
        else site_today(person.jurisdiction)
    )
    filled = {"date": on.isoformat(), **data}
    if _dob(person) and "date_of_birth" not in filled.get("person", {}):
        filled["person"] = {**filled.get("person", {}), "date_of_birth": _dob(person)}
    filled.setdefault("history", history.history_for(person.pk, before=on))
    filled.setdefault(
        "verified_activity",
        history.verified_activity_for(person.pk, jurisdiction=person.jurisdiction, before=on),
    )
    return filled


def _audit_history_read(user: Any, person: Person) -> None:
    """Screening reads the person's justice records and past encounters for the officer,
    who may not open them: the system's read on their behalf is audited all the same."""
    for kind in (Kind.JUSTICE_EVENT, Kind.ENCOUNTER):
        audit_record(
            action=Action.VIEW,
            kind=kind,
            object_id=person.pk,
            jurisdiction_id=person.jurisdiction_id,
            outcome="allowed",
            user=user,
            detail={"read_for": "screening"},
        )


def screening_run(*, user: Any, case: dict, person: Person | None = None) -> Screening:
    """Screen a case under the jurisdiction's active policy and keep the decision."""
    require(user, Action.CREATE, Kind.SCREENING)
    if person is not None:
        if person.jurisdiction_id != user.jurisdiction_id:
            raise ValidationError({"person_id": "No such person in your jurisdiction."})
        case = case_for_person(person, case)
        _audit_history_read(user, person)
    parsed = _case(case)
    row, policy = policy_active(jurisdiction_id=user.jurisdiction_id)
    decision = screen(policy, parsed)
    return Screening.objects.create(
        jurisdiction_id=user.jurisdiction_id,
        policy=row,
        screened_by=user if user.is_authenticated else None,
        screened_at=timezone.now(),
        person=person,
        case=parsed.model_dump(mode="json", exclude_none=True),
        decision=decision.to_dict(),
        eligible=decision.eligible,
    )


def _open_screening(user: Any, screening: Screening) -> Screening:
    screening = Screening.objects.select_for_update().get(pk=screening.pk)
    if screening.screened_by_id != user.pk:
        raise PermissionDenied("only the officer who screened the case can act on it")
    if screening.encounter_id is not None:
        raise ValidationError({"screening": "This screening has already been acted on."})
    return screening


def _encounter(user: Any, screening: Screening, outcome: str, reason: str, **where) -> Encounter:
    encounter = Encounter.objects.create(
        jurisdiction_id=user.jurisdiction_id,
        person=screening.person,
        occurred_at=timezone.now(),
        officer=user,
        outcome=outcome,
        outcome_reason=reason,
        **where,
    )
    Offense.objects.bulk_create(
        Offense(
            encounter=encounter,
            nibrs=o["nibrs"],
            activity=o.get("activity", ""),
            drug=o.get("drug") or "",
            grams=o.get("grams"),
        )
        for o in screening.case.get("offenses", [])
    )
    screening.encounter = encounter
    screening.save(update_fields=["encounter"])
    return encounter


@transaction.atomic
def diversion_create(
    *,
    user: Any,
    screening: Screening,
    pathway: str,
    location: str = "",
    area_id: int | None = None,
) -> Referral:
    """Divert (or refer) the screened person: encounter, referral, case manager, hold, notice.

    At the caseload cap the referral is kept as a capacity refusal and nobody is enrolled;
    the officer then records what was done instead with `encounter_close`.
    """
    require(user, Action.CREATE, Kind.REFERRAL)
    screening = _open_screening(user, screening)
    decision = screening.decision
    if not decision["eligible"]:
        raise ValidationError({"pathway": "The case is not eligible under the site's policy."})
    if pathway not in ("arrest_diversion", "social_contact"):
        raise ValidationError(
            {"pathway": "An officer refers by arrest diversion or social contact."}
        )
    if pathway not in decision["pathways"]:
        raise ValidationError(
            {"pathway": f"{pathway.replace('_', ' ')} is not open for this case."}
        )
    if screening.person is None:
        raise ValidationError({"person_id": "Find or add the person before diverting."})

    outcome = (
        Encounter.Outcome.DIVERTED if pathway == "arrest_diversion" else Encounter.Outcome.REFERRED
    )
    manager = capacity.case_manager_pick(jurisdiction=user.jurisdiction, pathway=pathway)
    encounter = _encounter(
        user,
        screening,
        Encounter.Outcome.PENDING if manager is None else outcome,
        "",
        location=location,
        area_id=area_id,
    )
    return referral_place(
        user=user,
        person=screening.person,
        pathway=pathway,
        manager=manager,
        deadline_days=decision["intake"]["deadline_days"],
        encounter=encounter,
        area=encounter.area.name if encounter.area_id else "",
    )


def referral_place(
    *,
    user: Any,
    person: Person,
    pathway: str,
    manager: Any,
    deadline_days: int | None,
    encounter: Encounter | None = None,
    area: str = "",
    note: str = "",
) -> Referral:
    """Keep the referral; with a case manager who has room, enroll, hold and notify them.

    Without one (`manager` None) the referral stays as a capacity refusal and nobody is
    enrolled, so the program sees the demand it turned away.
    """
    now = timezone.now()
    referral = Referral.objects.create(
        jurisdiction_id=user.jurisdiction_id,
        person=person,
        encounter=encounter,
        pathway=pathway,
        referred_by=user,
        referring_organization_id=user.organization_id,
        referred_at=now,
        case_manager=manager,
        notified_at=now if manager else None,
        capacity_refused=manager is None,
        note=note,
    )
    if manager is None:
        return referral
    enrollment_open(referral, manager, deadline_days)
    handoff = Handoff(
        referral_id=referral.pk,
        pathway=pathway,
        area=area,
        officer=user.get_full_name() or user.get_username(),
        officer_phone=user.phone or (user.organization.phone if user.organization_id else ""),
        case_manager=manager.get_full_name() or manager.get_username(),
        case_manager_email=manager.email,
        target_minutes=settings.DIVERT_HANDOFF_TARGET_MINUTES,
    )
    transaction.on_commit(lambda: notify_handoff(handoff))
    return referral


def enrollment_open(referral: Referral, manager: Any, deadline_days: int | None) -> Enrollment:
    today = local_date(referral.jurisdiction, referral.referred_at)
    due = today + datetime.timedelta(days=deadline_days) if deadline_days else None
    enrollment = Enrollment.objects.create(
        jurisdiction_id=referral.jurisdiction_id,
        person=referral.person,
        referral=referral,
        case_manager=manager,
        referred_on=today,
        intake_due_on=due,
        status=lifecycle.REFERRED,
    )
    if referral.pathway == Referral.Pathway.ARREST_DIVERSION:
        prosecutor = Organization.objects.filter(
            jurisdiction_id=referral.jurisdiction_id, kind=Organization.Kind.PROSECUTOR
        ).first()
        ChargeHold.objects.create(
            jurisdiction_id=referral.jurisdiction_id,
            referral=referral,
            prosecutor_office=prosecutor,
            held_on=today,
            due_on=due or today,
        )
    return enrollment


CLOSING_OUTCOMES = (
    Encounter.Outcome.DECLINED,
    Encounter.Outcome.BOOKED,
    Encounter.Outcome.CITED,
    Encounter.Outcome.RELEASED,
)


@transaction.atomic
def encounter_close(
    *,
    user: Any,
    screening: Screening,
    outcome: str,
    reason: str,
    referral: Referral | None = None,
    location: str = "",
    area_id: int | None = None,
) -> Encounter:
    """Record what happened when the person was not diverted, and why.

    Monitoring counts these: declines, ineligible cases and capacity refusals that were
    booked anyway are the "missed diversions" a program must see.
    """
    require(user, Action.CREATE, Kind.ENCOUNTER)
    if outcome not in CLOSING_OUTCOMES:
        raise ValidationError({"outcome": f"choose one of: {', '.join(CLOSING_OUTCOMES)}"})
    if not reason.strip():
        raise ValidationError(
            {"reason": "Say why: the person declined, the case was not eligible, …"}
        )
    if referral is not None and referral.capacity_refused and referral.encounter_id:
        encounter = referral.encounter
        if encounter.officer_id != user.pk:
            raise PermissionDenied("only the referring officer can close this encounter")
        encounter.outcome, encounter.outcome_reason = outcome, reason.strip()
        encounter.save(update_fields=["outcome", "outcome_reason"])
        return encounter
    screening = _open_screening(user, screening)
    return _encounter(user, screening, outcome, reason.strip(), location=location, area_id=area_id)


@transaction.atomic
def handoff_complete(*, user: Any, referral: Referral) -> Referral:
    """The person is with the case manager: stop the hand-off clock."""
    require(user, Action.CHANGE, Kind.REFERRAL, referral)
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.capacity_refused:
        raise ValidationError({"referral": "A capacity refusal has no hand-off."})
    if referral.handed_off_at is None:
        referral.handed_off_at = timezone.now()
        referral.save(update_fields=["handed_off_at"])
    return referral
