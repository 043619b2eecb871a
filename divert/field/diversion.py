"""The officer's workflow: screen a case, then divert, refer, or record what happened instead.

Each step is one service that the officer page, the API and the CLI all call.
"""

import datetime
from contextlib import nullcontext
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from pydantic import ValidationError as CaseInvalid

from divert.access import Action, Kind, require
from divert.audit.services import audit_records
from divert.casework.capacity import case_manager_pick, caseload_lock
from divert.casework.services import enrollment_open, enrollment_open_for
from divert.charges.services import charge_hold_create
from divert.eligibility import Case, screen, validation_errors
from divert.field import history
from divert.field.models import Encounter, Offense, Referral, Screening
from divert.field.notify import Handoff, notify_handoff
from divert.field.policies import policy_active
from divert.field.webhooks import handoff_webhooks_send
from divert.jurisdictions.clock import local_date, site_today
from divert.people.models import Person
from divert.vocabulary import OFFICER_PATHWAYS, Pathway


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


def case_for_person(person: Person, data: dict, *, jurisdiction: Any = None) -> dict:
    """Fill what divert already knows: date of birth, history and verified activity.

    What the caller typed wins; the records only fill what it left out. `jurisdiction` is the
    person's, when the caller has it at hand.
    """
    site = jurisdiction if jurisdiction is not None else person.jurisdiction
    on = datetime.date.fromisoformat(data["date"]) if "date" in data else site_today(site)
    filled = {"date": on.isoformat(), **data}
    if _dob(person) and "date_of_birth" not in filled.get("person", {}):
        filled["person"] = {**filled.get("person", {}), "date_of_birth": _dob(person)}
    filled.setdefault("history", history.history_for(person.pk, before=on))
    filled.setdefault(
        "verified_activity",
        history.verified_activity_for(person.pk, jurisdiction=site, before=on),
    )
    return filled


def _audit_history_read(user: Any, person: Person) -> None:
    """Screening reads the person's justice records and past encounters for the officer,
    who may not open them: the system's read on their behalf is audited all the same."""
    audit_records(
        [
            {
                "action": Action.VIEW,
                "kind": kind,
                "object_id": person.pk,
                "jurisdiction_id": person.jurisdiction_id,
                "outcome": "allowed",
                "user": user,
                "detail": {"read_for": "screening"},
            }
            for kind in (Kind.JUSTICE_EVENT, Kind.ENCOUNTER)
        ]
    )


def screening_run(*, user: Any, case: dict, person: Person | None = None) -> Screening:
    """Screen a case under the jurisdiction's active policy and keep the decision.

    With a person, their records are read and that read is audited, in the same transaction
    as the screening it served (or on its own, when the case then proves invalid).
    """
    require(user, Action.CREATE, Kind.SCREENING)
    row, policy = policy_active(jurisdiction_id=user.jurisdiction_id)
    if person is not None:
        if person.jurisdiction_id != user.jurisdiction_id:
            raise ValidationError({"person_id": "No such person in your jurisdiction."})
        case = case_for_person(person, case, jurisdiction=user.jurisdiction)
    try:
        parsed = _case(case)
    except ValidationError:
        if person is not None:
            _audit_history_read(user, person)
        raise
    decision = screen(policy, parsed)
    # Only a screening with reads to audit needs a transaction of its own.
    with transaction.atomic() if person is not None else nullcontext():
        screening = Screening.objects.create(
            jurisdiction_id=user.jurisdiction_id,
            policy=row,
            screened_by=user if user.is_authenticated else None,
            screened_at=timezone.now(),
            person=person,
            case=parsed.model_dump(mode="json", exclude_none=True),
            decision=decision.to_dict(),
            eligible=decision.eligible,
        )
        if person is not None:
            # Last, so the chain's lock is held only until the commit that follows.
            _audit_history_read(user, person)
    return screening


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
    idempotency_key: str = "",
) -> Referral:
    """Divert (or refer) the screened person: encounter, referral, case manager, hold, notice.

    At the caseload cap the referral is kept as a capacity refusal and nobody is enrolled;
    the officer then records what was done instead with `encounter_close`. A person who is
    already enrolled goes to their own case manager. Sending the same request twice (the
    same screening, or the same `idempotency_key`) gives back the one referral.
    """
    require(user, Action.CREATE, Kind.REFERRAL)
    # The screening's row lock makes a double submit wait for the first, then find it.
    screening = Screening.objects.select_for_update().get(pk=screening.pk)
    if idempotency_key and (done := referral_already_placed(user, idempotency_key)):
        return done
    mine = screening.screened_by_id == user.pk
    if mine and screening.encounter_id and hasattr(screening.encounter, "referral"):
        return screening.encounter.referral  # the same diversion sent twice
    screening = _open_screening(user, screening)
    decision = screening.decision
    if not decision["eligible"]:
        raise ValidationError({"pathway": "The case is not eligible under the site's policy."})
    if pathway not in OFFICER_PATHWAYS:
        raise ValidationError(
            {"pathway": "An officer refers by arrest diversion or social contact."}
        )
    if pathway not in decision["pathways"]:
        raise ValidationError(
            {"pathway": f"{pathway.replace('_', ' ')} is not open for this case."}
        )
    if screening.person is None:
        raise ValidationError({"person_id": "Find or add the person before diverting."})
    encounter = _encounter(
        user, screening, Encounter.Outcome.PENDING, "", location=location, area_id=area_id
    )
    referral = referral_place(
        user=user,
        person=screening.person,
        pathway=pathway,
        deadline_days=decision["intake"]["deadline_days"],
        encounter=encounter,
        area=encounter.area.name if encounter.area_id else "",
        idempotency_key=idempotency_key,
    )
    if not referral.capacity_refused:
        encounter.outcome = (
            Encounter.Outcome.DIVERTED
            if pathway == Pathway.ARREST_DIVERSION
            else Encounter.Outcome.REFERRED
        )
        encounter.save(update_fields=["outcome"])
    return referral


def referral_already_placed(user: Any, key: str) -> Referral | None:
    """The referral this user already made with this idempotency key, if any."""
    return Referral.objects.filter(
        jurisdiction_id=user.jurisdiction_id, idempotency_key=key, referred_by=user
    ).first()


def referral_place(
    *,
    user: Any,
    person: Person,
    pathway: str,
    deadline_days: int | None,
    encounter: Encounter | None = None,
    area: str = "",
    note: str = "",
    idempotency_key: str = "",
) -> Referral:
    """Keep the referral and place it: the person's own case manager if already enrolled,
    else the on-call case manager with room (enrolled, charge held, notified), else a
    capacity refusal, so the program sees the demand it turned away.

    Runs inside the caller's transaction and holds the site's caseload lock, so parallel
    referrals never take a case manager past the cap.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("referral_place runs inside a transaction")
    jurisdiction = person.jurisdiction
    caseload_lock(jurisdiction)
    existing = enrollment_open_for(person=person)
    manager = existing.case_manager if existing else None
    if existing is None:
        manager = case_manager_pick(jurisdiction=jurisdiction, pathway=pathway)
    now = timezone.now()
    referral = Referral(
        jurisdiction_id=jurisdiction.pk,
        person=person,
        encounter=encounter,
        pathway=pathway,
        referred_by=user,
        referring_organization_id=user.organization_id,
        referred_at=now,
        case_manager=manager,
        notified_at=now if manager else None,
        capacity_refused=manager is None and existing is None,
        routed_to=existing,
        note=note,
        idempotency_key=idempotency_key,
    )
    referral.full_clean(
        exclude=["encounter", "routed_to", "case_manager", "referred_by", "idempotency_key"]
    )
    try:
        with transaction.atomic():
            referral.save()
    except IntegrityError:
        raise ValidationError(
            {"idempotency_key": "This key was already used for another referral."}
        ) from None
    if referral.capacity_refused:
        return referral
    today = local_date(jurisdiction, now)
    if existing is None:
        enrollment_open(referral=referral, case_manager=manager, deadline_days=deadline_days)
    if pathway == Pathway.ARREST_DIVERSION:
        charge_hold_create(
            referral=referral,
            held_on=today,
            due_on=today + datetime.timedelta(days=deadline_days or 0),
            intake_done=bool(existing and existing.intake_completed_on),
        )
    if manager is not None:
        _notify(user, referral, manager, area)
    return referral


def _notify(user: Any, referral: Referral, manager: Any, area: str) -> None:
    handoff = Handoff(
        referral_id=referral.pk,
        pathway=referral.pathway,
        area=area,
        officer=user.get_full_name() or user.get_username(),
        officer_phone=user.phone or (user.organization.phone if user.organization_id else ""),
        case_manager=manager.get_full_name() or manager.get_username(),
        case_manager_email=manager.email,
        target_minutes=settings.DIVERT_HANDOFF_TARGET_MINUTES,
    )
    transaction.on_commit(lambda: notify_handoff(handoff))
    sent = {"jurisdiction_id": referral.jurisdiction_id, "referral_id": referral.pk}
    transaction.on_commit(lambda: handoff_webhooks_send(**sent, referred_at=referral.referred_at))


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
