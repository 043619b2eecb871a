"""The prosecutor's hold: flagged when the deadline passes, decided only by a prosecutor."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from divert.access import Action, Kind, require
from divert.charges.models import ChargeHold
from divert.jurisdictions.clock import site_today
from divert.jurisdictions.models import Jurisdiction, Organization
from divert.meetings.legal_words import check_into


def charge_holds_flag_overdue(*, today: datetime.date | None = None) -> int:
    """Mark holds past their deadline without intake for the prosecutor's decision.

    Each site counts in its own local days unless `today` is given. Nothing is filed
    automatically: the prosecutor decides. Safe to run repeatedly (cron).
    """
    if today is None:
        return sum(
            charge_holds_flag_overdue_for(jurisdiction=j, today=site_today(j))
            for j in Jurisdiction.objects.all()
        )
    return charge_holds_flag_overdue_for(jurisdiction=None, today=today)


def charge_holds_flag_overdue_for(
    *, jurisdiction: Jurisdiction | None, today: datetime.date
) -> int:
    overdue = ChargeHold.objects.filter(status=ChargeHold.Status.HOLDING, due_on__lt=today)
    if jurisdiction is not None:
        overdue = overdue.filter(jurisdiction=jurisdiction)
    overdue = overdue.filter(
        Q(referral__enrollment__isnull=True)
        | Q(referral__enrollment__intake_completed_on__isnull=True)
    )
    count = 0
    for hold in overdue:
        hold.status = ChargeHold.Status.AWAITING_DECISION
        hold.save(update_fields=["status"])
        count += 1
    return count


def charge_hold_create(
    *, referral: Any, held_on: datetime.date, due_on: datetime.date, intake_done: bool = False
) -> ChargeHold:
    """Hold an arrest diversion's charge until intake, with the site's prosecutor office.

    A participant who already completed intake is diverted again with the charge held as
    "intake done": the prosecutor sees it, and nothing is pending.
    """
    prosecutor = Organization.objects.filter(
        jurisdiction_id=referral.jurisdiction_id, kind=Organization.Kind.PROSECUTOR
    ).first()
    return ChargeHold.objects.create(
        jurisdiction_id=referral.jurisdiction_id,
        referral=referral,
        prosecutor_office=prosecutor,
        held_on=held_on,
        due_on=max(due_on, held_on),
        status=ChargeHold.Status.INTAKE_DONE if intake_done else ChargeHold.Status.HOLDING,
    )


def charge_hold_intake_completed(*, referral_id: int) -> None:
    """Intake happened: the diverted charge is not filed."""
    for hold in ChargeHold.objects.filter(
        referral_id=referral_id,
        status__in=[ChargeHold.Status.HOLDING, ChargeHold.Status.AWAITING_DECISION],
    ):
        hold.status = ChargeHold.Status.INTAKE_DONE
        hold.save(update_fields=["status"])


REASON_MAX = ChargeHold._meta.get_field("decision_reason").max_length


@transaction.atomic
def charge_hold_decide(
    *, user: Any, hold: ChargeHold, decision: str, on: datetime.date, reason: str = ""
) -> ChargeHold:
    """File or decline a hold whose deadline passed without intake, with the reason.

    Sending the same decision again (a double submit) changes nothing and returns the hold.
    """
    require(user, Action.CHANGE, Kind.CHARGE_HOLD, hold)
    hold = ChargeHold.objects.select_for_update().get(pk=hold.pk)
    reason = (reason or "").strip()
    if decision not in (ChargeHold.Status.FILED, ChargeHold.Status.DECLINED):
        raise ValidationError({"decision": "Decide filed or declined."})
    if hold.status == decision and hold.decided_by_id == user.pk:
        return hold  # the same decision sent twice
    if hold.status != ChargeHold.Status.AWAITING_DECISION:
        raise ValidationError(
            {"decision": "Only a hold whose deadline passed without intake awaits a decision."}
        )
    if not reason:
        raise ValidationError({"reason": "Give the reason for the decision."})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": f"Keep the reason to {REASON_MAX} characters."})
    errors: dict[str, str] = {}
    check_into(
        errors,
        "reason",
        reason,
        hold.jurisdiction.slug,
        read_by="The decision is read by the defender and the case team",
        hint="give the legal reason only",
    )
    if errors:
        raise ValidationError(errors)
    if on > site_today(hold.jurisdiction):
        raise ValidationError({"on": "A decision cannot be dated in the future."})
    hold.status, hold.decided_on, hold.decided_by = decision, on, user
    hold.decision_reason = reason
    hold.save(update_fields=["status", "decided_on", "decided_by", "decision_reason"])
    return hold
