"""Legal coordination: a participant's other pending cases, warrants and new charges.

The liaison prosecutor enters them, or reads new charges from imported justice records; the
liaison and the defender each record a position. Everything is reached through the
participant's enrollment, and the access policy lets the prosecutor's and the defender's
offices in only while a release naming them is in force.
"""

import datetime
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from divert.access import Action, Kind, require, visible
from divert.casework import once
from divert.casework.models import Enrollment
from divert.charges.models import LegalMatter
from divert.jurisdictions.clock import site_today
from divert.meetings.legal_words import WITHHELD, as_shown, check_into, withhold
from divert.records.models import JusticeEvent
from divert.staff.roles import ENFORCEMENT, Role

P = LegalMatter.Position


def _field_max(name: str) -> int:
    return LegalMatter._meta.get_field(name).max_length


def _enrollment(enrollment_id: int) -> Enrollment:
    return get_object_or_404(
        Enrollment.objects.select_related("person", "jurisdiction"), pk=enrollment_id
    )


def legal_matter_list(*, user: Any, enrollment_id: int) -> tuple[Enrollment, QuerySet]:
    """The participant's legal matters, as far as this user's release reaches (audited)."""
    enrollment = _enrollment(enrollment_id)
    require(user, Action.VIEW, Kind.LEGAL_MATTER, enrollment)
    matters = visible(
        user, Kind.LEGAL_MATTER, LegalMatter.objects.filter(person_id=enrollment.person_id)
    )
    return enrollment, matters.select_related("entered_by", "jurisdiction")


# The free text of a legal matter: the prosecutor and the defender read all of it.
TEXT_FIELDS = ("summary", "court", "liaison_note", "defender_note")


def matters_as_read(user: Any, matters) -> list[LegalMatter]:
    """Legal matters as `user` may read them: to an enforcement reader, text that fails the
    health-word check now, whenever it was written (before the check, or before a word
    joined the list), is withheld; the case team reads it as written.

    The matters come back with the shown text in place: they are for reading, never for
    saving.
    """
    matters = list(matters)
    if user.role_set() & ENFORCEMENT:
        withhold(matters, TEXT_FIELDS, lambda m: m.jurisdiction.slug)
    return matters


def legal_matter_get(*, user: Any, matter_id: int, action: Action = Action.VIEW) -> LegalMatter:
    matter = get_object_or_404(LegalMatter, pk=matter_id)
    require(user, action, Kind.LEGAL_MATTER, matter)
    return matter


def _text(value: str, field: str, site: Any, *, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: "This is required."})
    if len(value) > _field_max(field):
        raise ValidationError({field: f"Keep this to {_field_max(field)} characters."})
    errors: dict[str, str] = {}
    check_into(
        errors,
        field,
        value,
        site.slug,
        read_by="Legal matters are read by the prosecutor and the defender",
        hint="keep to the case, the court and the positions",
    )
    if errors:
        raise ValidationError(errors)
    return value


@transaction.atomic
def legal_matter_create(
    *,
    user: Any,
    enrollment: Enrollment,
    kind: str,
    summary: str,
    court: str = "",
    next_date: datetime.date | None = None,
    client_id: uuid.UUID | None = None,
) -> LegalMatter:
    """The liaison enters another pending case, a warrant or a new charge (once per client_id)."""
    require(user, Action.CREATE, Kind.LEGAL_MATTER, enrollment)
    found = once.made_before(LegalMatter, client_id, {"person": enrollment.person})
    if found is not None:
        return found
    if kind not in LegalMatter.Kind.values:
        raise ValidationError({"kind": f"Choose one of: {', '.join(LegalMatter.Kind.values)}."})
    today = site_today(enrollment.jurisdiction)
    if next_date is not None and not (
        today - datetime.timedelta(days=366) <= next_date <= today + datetime.timedelta(days=3660)
    ):
        raise ValidationError({"next_date": "Give a court date within a year past or ten ahead."})
    matter = LegalMatter(
        jurisdiction_id=enrollment.jurisdiction_id,
        person_id=enrollment.person_id,
        kind=kind,
        summary=_text(summary, "summary", enrollment.jurisdiction, required=True),
        court=_text(court, "court", enrollment.jurisdiction),
        next_date=next_date,
        entered_by=user,
        entered_on=today,
        client_id=client_id,
    )
    return once.save_once(matter, {"person": enrollment.person})


@transaction.atomic
def legal_matter_position(
    *, user: Any, matter: LegalMatter, position: str, note: str = ""
) -> LegalMatter:
    """Record the liaison's (prosecutor) or the defender's position; each writes only its own."""
    require(user, Action.CHANGE, Kind.LEGAL_MATTER, matter)
    matter = LegalMatter.objects.select_for_update().get(pk=matter.pk)
    if position not in P.values:
        raise ValidationError(
            {"position": f"Choose one of: {', '.join(v for v in P.values if v)}."}
        )
    side = "liaison" if user.has_role(Role.PROSECUTOR) else "defender"
    stored = getattr(matter, f"{side}_note")
    if (note or "").strip() == WITHHELD and as_shown(stored, matter.jurisdiction.slug) == WITHHELD:
        note = stored  # the form sent back the note as it was shown: it stays as written
    else:
        note = _text(note, f"{side}_note", matter.jurisdiction)
    if (getattr(matter, f"{side}_position"), getattr(matter, f"{side}_note")) == (position, note):
        return matter  # sent twice: nothing changes
    setattr(matter, f"{side}_position", position)
    setattr(matter, f"{side}_note", note)
    matter.save(update_fields=[f"{side}_position", f"{side}_note"])
    return matter


@transaction.atomic
def legal_matters_from_records(*, user: Any, enrollment: Enrollment) -> list[LegalMatter]:
    """New charges and other pending cases read from the person's imported justice records.

    A charge with no disposition yet is pending: one since the LEAD referral is a new charge,
    an earlier one another pending case. Each record is read once; running again adds only
    what arrived since. The read of the records is audited for the person.
    """
    from divert.audit.services import audit_record

    require(user, Action.CREATE, Kind.LEGAL_MATTER, enrollment)
    events = (
        JusticeEvent.objects.filter(
            person_id=enrollment.person_id,
            jurisdiction_id=enrollment.jurisdiction_id,
            kind=JusticeEvent.Kind.CHARGE,
            disposition="",
        )
        .exclude(filed=False)
        .exclude(
            pk__in=LegalMatter.objects.filter(justice_event__isnull=False).values("justice_event")
        )
        .order_by("occurred_on", "pk")
    )
    audit_record(
        action=Action.VIEW.value,
        kind=Kind.JUSTICE_EVENT.value,
        object_id=enrollment.person_id,
        jurisdiction_id=enrollment.jurisdiction_id,
        outcome="allowed",
        user=user,
        detail={"read_for": "legal coordination"},
    )
    today = site_today(enrollment.jurisdiction)
    made = []
    for event in events:
        new = event.occurred_on >= enrollment.referred_on
        what = " ".join(
            part for part in (event.get_level_display() if event.level else "", "charge") if part
        )
        if event.nibrs:
            what += f" ({event.get_nibrs_display()})"
        made.append(
            LegalMatter.objects.create(
                jurisdiction_id=enrollment.jurisdiction_id,
                person_id=enrollment.person_id,
                kind=LegalMatter.Kind.NEW_CHARGE if new else LegalMatter.Kind.PENDING_CASE,
                summary=what.capitalize()[:200],
                court=f"{event.source_system} {event.source_event_id}"[:120],
                justice_event=event,
                entered_by=user,
                entered_on=today,
            )
        )
    return made
