"""Logging a contact: from a phone, often offline and sent later, never twice.

The phone makes each contact's `client_id`; sending it again returns the contact already
stored (divert.casework.once). The time is the site's: a contact cannot be dated before the
referral or in the future (a phone's clock may run a few minutes fast, so that much is let by).
An exited enrollment takes no new contact (refused naming `enrollment`; the phone's queue keeps
the entry flagged with the message until it is discarded), but a resend of a contact stored
before the exit still finds it.
"""

import datetime
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format

from divert.access import Action, Kind, require
from divert.casework import corrections, lifecycle, once
from divert.casework.models import Contact, Enrollment
from divert.jurisdictions.clock import aware, local_date

CLOCK_SKEW = datetime.timedelta(minutes=5)


def _check_when(enrollment: Enrollment, occurred_at: datetime.datetime) -> datetime.datetime:
    when = aware(enrollment.jurisdiction, occurred_at)
    if when > timezone.now() + CLOCK_SKEW:
        raise ValidationError({"occurred_at": "A contact cannot be dated in the future."})
    if local_date(enrollment.jurisdiction, when) < enrollment.referred_on:
        raise ValidationError({"occurred_at": "A contact cannot be dated before the referral."})
    return when


def _check_open(enrollment: Enrollment) -> None:
    """An exited enrollment takes no new contacts: a returning person re-engages first."""
    status, exited_on = (
        Enrollment.objects.filter(pk=enrollment.pk).values_list("status", "exited_on").get()
    )
    if status == lifecycle.EXITED:
        ended = f" on {date_format(exited_on, 'DATE_FORMAT')}" if exited_on else ""
        raise ValidationError(
            {
                "enrollment": f"This enrollment ended{ended}: re-engage the participant "
                "to log contacts."
            }
        )


def contact_log(
    *,
    user: Any,
    enrollment: Enrollment,
    occurred_at: datetime.datetime,
    kind: str,
    place: str,
    minutes: int | None = None,
    present: str = "",
    note: str = "",
    client_id: uuid.UUID | None = None,
) -> tuple[Contact, bool]:
    """Store a contact; returns it and whether it is new (False: a resend of one stored)."""
    require(user, Action.CREATE, Kind.CONTACT, enrollment)
    parent = {"enrollment": enrollment, "staff": user}
    found = once.made_before(Contact, client_id, parent)
    if found is not None:
        return found, False  # sent before the exit, perhaps: still the one stored
    _check_open(enrollment)
    contact = Contact(
        enrollment=enrollment,
        staff=user,
        occurred_at=_check_when(enrollment, occurred_at),
        kind=kind,
        place=place,
        minutes=minutes,
        present=present,
        note=note,
        client_id=client_id or uuid.uuid4(),
    )
    contact.full_clean(validate_unique=False)
    contact._history_user = user
    saved = once.save_once(contact, parent)
    return saved, saved is contact


def contact_correct(
    *, user: Any, contact: Contact, values: dict[str, Any], version: int, reason: str
) -> Contact:
    corrections.require_correct(user, Kind.CONTACT, contact)
    if "occurred_at" in values:
        values = {**values, "occurred_at": _check_when(contact.enrollment, values["occurred_at"])}
    return corrections.correct(
        user=user, kind=Kind.CONTACT, record=contact, values=values, version=version, reason=reason
    )
