"""Running a work group meeting: open it (seeded from the agenda), record items and action
items, close it; owners mark their action items done; after it closes, its runner corrects an
item or action item with a reason. Pages and the API call these alone.

Every write checks the access policy and the site, and validates every field before it
writes anything: a refused request leaves nothing half-written.
"""

import datetime
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from divert.access import Action, Kind, can, require
from divert.apitypes import INT64, unstorable
from divert.casework import corrections, once
from divert.casework.models import Enrollment
from divert.jurisdictions.clock import site_today
from divert.meetings.legal_words import check_into
from divert.meetings.models import (
    ACTION_MAX,
    GUESTS_MAX,
    SUMMARY_MAX,
    ActionItem,
    Meeting,
    MeetingItem,
)
from divert.staff.models import User
from divert.staff.roles import Role

REASON_MAX = MeetingItem._meta.get_field("reason").max_length
# Who may own an action item: the people who run the meeting, and a prosecutor or defender
# on a legal item whose participant's release names their office (they can read it).
RUNNERS = (Role.CASE_MANAGER, Role.SUPERVISOR, Role.PROGRAM_MANAGER)
JUSTICE = (Role.PROSECUTOR, Role.DEFENDER)


def site_staff(*, user: Any) -> QuerySet:
    """The active staff of the user's site: who may be listed as attending."""
    return (
        User.objects.filter(organization__jurisdiction_id=user.jurisdiction_id, is_active=True)
        .exclude(organization__isnull=True)
        .order_by("last_name", "first_name", "username")
    )


def action_owners(*, user: Any, item: MeetingItem | None = None) -> list[Any]:
    """Who may own an action item on `item`: staff who can read it."""
    owners = []
    for staff in site_staff(user=user).prefetch_related("role_grants"):
        roles = staff.role_set()
        if roles & set(RUNNERS) or (
            item is not None
            and roles & set(JUSTICE)
            and can(staff, Action.VIEW, Kind.MEETING_ITEM, item)
        ):
            owners.append(staff)
    return owners


def _text(errors: dict, name: str, value: str, limit: int, *, required: str = "") -> str:
    value = (value or "").strip()
    if unstorable(value):  # pages post it unchecked
        errors[name] = "Text may not contain NUL characters or unpaired surrogates."
    elif required and not value:
        errors[name] = required
    elif len(value) > limit:
        errors[name] = f"Keep it under {limit} characters (this is {len(value)})."
    return value


def _guests(errors: dict, guests: str, site: Any) -> str:
    guests = _text(errors, "guests", guests, GUESTS_MAX)
    # Officers, prosecutors and defenders read who attended.
    check_into(
        errors,
        "guests",
        guests,
        site.slug,
        read_by="Attendance is read by officers, prosecutors and defenders",
        hint="name the guests and their agencies only",
    )
    return guests


def _open(meeting: Meeting) -> Meeting:
    """The meeting as stored now, locked against a close racing this write; refused if closed."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == Meeting.Status.CLOSED:
        raise ValidationError({"meeting_id": "This meeting is closed; its record is read-only."})
    return meeting


def _closed(meeting: Meeting) -> None:
    """Corrections are for the record of a closed meeting; an open one is simply edited."""
    if not Meeting.objects.filter(pk=meeting.pk, status=Meeting.Status.CLOSED).exists():
        raise ValidationError(
            {"meeting_id": "This meeting is still open: record the change on it directly."}
        )


def _reason(errors: dict, reason: str) -> None:
    try:
        corrections.check_reason(reason)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    else:
        if unstorable(reason):
            errors["reason"] = "Text may not contain NUL characters or unpaired surrogates."


# --- meetings -----------------------------------------------------------------------------


def meeting_get(*, user: Any, meeting_id: int, action: Action = Action.VIEW) -> Meeting:
    """The meeting, if `user` may take `action` on it (404 for another site's: it is not
    found among this site's). The page or API records the read where it shows it."""
    meeting = get_object_or_404(Meeting, pk=meeting_id, jurisdiction_id=user.jurisdiction_id)
    require(user, action, Kind.MEETING, meeting, audit=False)
    return meeting


def meeting_list(*, user: Any) -> QuerySet[Meeting]:
    """The site's meetings, newest first: dates and counts, nobody's name."""
    require(user, Action.VIEW, Kind.MEETING, audit=False)
    return Meeting.objects.filter(jurisdiction_id=user.jurisdiction_id).order_by("-held_on", "-pk")


def _attendees(user: Any, ids: list[int], errors: dict) -> list[Any]:
    ids = list(dict.fromkeys(ids or []))
    # An id no column can hold matches no one (SQLite would raise on it in an IN list).
    found = list(site_staff(user=user).filter(pk__in=[i for i in ids if i in INT64]))
    if len(found) != len(ids):
        errors["attendee_ids"] = "Attendees must be active staff of your site."
    return found


@transaction.atomic
def meeting_create(
    *,
    user: Any,
    held_on: datetime.date,
    attendee_ids: list[int] | None = None,
    guests: str = "",
    seed: bool = True,
    client_id: uuid.UUID | None = None,
) -> tuple[Meeting, bool]:
    """Open a meeting; with `seed`, one item per participant on the agenda as of its date.

    Returns the meeting and whether it is new (False: a resend of one already made)."""
    require(user, Action.CREATE, Kind.MEETING)
    site = user.jurisdiction
    found = once.made_before(Meeting, client_id, {"jurisdiction": site})
    if found is not None:
        return found, False
    errors: dict[str, str] = {}
    if held_on is None:
        errors["held_on"] = "Give the meeting's date."
    guests = _guests(errors, guests, site)
    attendees = _attendees(user, attendee_ids or [], errors)
    if errors:
        raise ValidationError(errors)
    meeting = Meeting(
        jurisdiction=site,
        held_on=held_on,
        guests=guests,
        created_by=user,
        client_id=client_id or uuid.uuid4(),
    )
    meeting.full_clean(validate_unique=False)
    meeting._history_user = user
    saved = once.save_once(meeting, {"jurisdiction": site})
    if saved is not meeting:
        return saved, False
    meeting.attendees.set(attendees)
    if seed:
        _seed(user, meeting)
    return meeting, True


def _seed(user: Any, meeting: Meeting) -> None:
    """One item per participant the agenda names, with why; nothing said yet.

    The agenda is read as the user may read it, so a program manager (who reads no caseload)
    opens an empty meeting and adds the participants discussed."""
    from divert.casework.agenda import workgroup_agenda

    if not can(user, Action.VIEW, Kind.ENROLLMENT):
        return
    last = (
        Meeting.objects.filter(jurisdiction_id=meeting.jurisdiction_id, held_on__lt=meeting.held_on)
        .order_by("-held_on")
        .values_list("held_on", flat=True)
        .first()
    )
    agenda = workgroup_agenda(user=user, today=meeting.held_on, since=last)
    reasons: dict[int, list[str]] = {}
    for title, items in (
        ("New case", agenda.new_cases),
        ("Hold", agenda.holds),
        ("Out of contact", agenda.missing),
        ("New referral", agenda.new_referrals),
    ):
        for item in items:
            if item.enrollment_id:
                reasons.setdefault(item.enrollment_id, []).append(f"{title}: {item.detail}")
    for enrollment_id, why in reasons.items():
        item = MeetingItem(
            meeting=meeting,
            enrollment_id=enrollment_id,
            reason="; ".join(why)[:REASON_MAX],
            created_by=user,
            client_id=uuid.uuid4(),
        )
        item._history_user = user
        item.save()


@transaction.atomic
def meeting_update(
    *,
    user: Any,
    meeting: Meeting,
    attendee_ids: list[int] | None = None,
    guests: str | None = None,
) -> Meeting:
    """Change who attended while the meeting is open; the change is kept in its history."""
    require(user, Action.CHANGE, Kind.MEETING, meeting)
    meeting = _open(meeting)
    errors: dict[str, str] = {}
    if guests is not None:
        guests = _guests(errors, guests, meeting.jurisdiction)
    attendees = _attendees(user, attendee_ids, errors) if attendee_ids is not None else None
    if errors:
        raise ValidationError(errors)
    if guests is not None:
        meeting.guests = guests
    if attendees is not None:
        meeting.attendees.set(attendees)
    meeting._history_user = user
    meeting._change_reason = "attendance: " + ", ".join(str(a.pk) for a in meeting.attendees.all())
    meeting.save()
    return meeting


@transaction.atomic
def meeting_close(*, user: Any, meeting: Meeting) -> Meeting:
    """Close the meeting: its record is read-only from then on. Closing twice is once."""
    require(user, Action.CHANGE, Kind.MEETING, meeting)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == Meeting.Status.CLOSED:
        return meeting
    meeting.status = Meeting.Status.CLOSED
    meeting.closed_on = site_today(meeting.jurisdiction)
    meeting._history_user = user
    meeting._change_reason = "closed"
    meeting.save()
    return meeting


# --- items --------------------------------------------------------------------------------


def item_get(*, user: Any, meeting_item_id: int, action: Action = Action.VIEW) -> MeetingItem:
    item = get_object_or_404(
        MeetingItem.objects.select_related("meeting", "enrollment__person"),
        pk=meeting_item_id,
        meeting__jurisdiction_id=user.jurisdiction_id,
    )
    require(user, action, Kind.MEETING_ITEM, item, audit=action != Action.VIEW)
    return item


def _item_texts(site: Any, summary: str, decisions: str, legal: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    texts = {
        "summary": _text(
            errors, "summary", summary, SUMMARY_MAX, required="Say in a line or two what was said."
        ),
        "decisions": _text(errors, "decisions", decisions, SUMMARY_MAX),
        "legal": _text(errors, "legal", legal, SUMMARY_MAX),
    }
    check_into(
        errors,
        "legal",
        texts["legal"],
        site.slug,
        read_by="Legal coordination is read by the prosecutor and defender",
        hint="put it in the discussion",
    )
    if errors:
        raise ValidationError(errors)
    return texts


@transaction.atomic
def item_add(
    *,
    user: Any,
    meeting: Meeting,
    enrollment_id: int,
    summary: str,
    decisions: str = "",
    legal: str = "",
    client_id: uuid.UUID | None = None,
) -> tuple[MeetingItem, bool]:
    """Add a participant discussed at the meeting, with what was said and decided."""
    require(user, Action.CREATE, Kind.MEETING_ITEM)
    require(user, Action.CHANGE, Kind.MEETING, meeting, audit=False)
    found = once.made_before(MeetingItem, client_id, {"meeting": meeting})
    if found is not None:
        return found, False
    meeting = _open(meeting)
    enrollment = Enrollment.objects.filter(
        pk=enrollment_id, jurisdiction_id=meeting.jurisdiction_id
    ).first()
    errors: dict[str, str] = {}
    if enrollment is None:
        errors["enrollment_id"] = "No such participant in your site."
    elif meeting.items.filter(enrollment=enrollment).exists():
        errors["enrollment_id"] = "This participant is on the meeting already: record it there."
    try:
        texts = _item_texts(meeting.jurisdiction, summary, decisions, legal)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    item = MeetingItem(
        meeting=meeting,
        enrollment=enrollment,
        created_by=user,
        client_id=client_id or uuid.uuid4(),
        **texts,
    )
    item._history_user = user
    try:
        saved = once.save_once(item, {"meeting": meeting})
    except IntegrityError:  # the same participant added at the same moment by another
        raise ValidationError(
            {"enrollment_id": "This participant is on the meeting already: record it there."}
        ) from None
    return saved, saved is item


@transaction.atomic
def item_record(
    *, user: Any, item: MeetingItem, summary: str, decisions: str = "", legal: str = ""
) -> MeetingItem:
    """Write what was said and decided about a participant on the meeting."""
    require(user, Action.CHANGE, Kind.MEETING_ITEM, item)
    _open(item.meeting)
    item = MeetingItem.objects.select_for_update().get(pk=item.pk)
    texts = _item_texts(item.meeting.jurisdiction, summary, decisions, legal)
    if all(getattr(item, k) == v for k, v in texts.items()):
        return item  # the same words sent twice change nothing
    for name, value in texts.items():
        setattr(item, name, value)
    item._history_user = user
    item.save()
    return item


# --- action items -------------------------------------------------------------------------


def _action_fields(
    errors: dict,
    user: Any,
    item: MeetingItem,
    meeting: Meeting,
    description: str,
    owner_id: int | None,
    due_on: datetime.date | None,
) -> str:
    """Check an action item's fields into `errors`; the description as it will be stored."""
    description = _text(
        errors, "description", description, ACTION_MAX, required="Say what needs doing."
    )
    if due_on is None:
        errors["due_on"] = "Give a due date."
    elif due_on < meeting.held_on:
        errors["due_on"] = f"Due on or after the meeting ({meeting.held_on})."
    owner = next((o for o in action_owners(user=user, item=item) if o.pk == owner_id), None)
    if owner_id is None:
        errors["owner_id"] = "Say who owns it."
    elif owner is None:
        errors["owner_id"] = (
            "The owner must be active staff of your site who can read this item: a case "
            "manager, supervisor or program manager, or on a legal item a prosecutor or "
            "defender the participant's release names."
        )
    elif owner.role_set() & set(JUSTICE):  # a prosecutor or defender reads what they own
        check_into(
            errors,
            "description",
            description,
            meeting.jurisdiction.slug,
            read_by="This action item is read by its owner, a prosecutor or defender",
            hint="say only the legal step",
        )
    return description


def action_get(*, user: Any, action_item_id: int, action: Action = Action.VIEW) -> ActionItem:
    found = get_object_or_404(
        ActionItem.objects.select_related("item__meeting", "item__enrollment__person", "owner"),
        pk=action_item_id,
        item__meeting__jurisdiction_id=user.jurisdiction_id,
    )
    require(user, action, Kind.ACTION_ITEM, found)
    return found


@transaction.atomic
def action_add(
    *,
    user: Any,
    item: MeetingItem,
    description: str,
    owner_id: int | None,
    due_on: datetime.date | None,
    client_id: uuid.UUID | None = None,
) -> tuple[ActionItem, bool]:
    """Add an action item to a meeting item: who does what by when."""
    require(user, Action.CREATE, Kind.ACTION_ITEM)
    require(user, Action.CHANGE, Kind.MEETING_ITEM, item)
    found = once.made_before(ActionItem, client_id, {"item": item})
    if found is not None:
        return found, False
    meeting = _open(item.meeting)
    errors: dict[str, str] = {}
    description = _action_fields(errors, user, item, meeting, description, owner_id, due_on)
    if errors:
        raise ValidationError(errors)
    action = ActionItem(
        item=item,
        description=description,
        owner_id=owner_id,
        due_on=due_on,
        created_by=user,
        client_id=client_id or uuid.uuid4(),
    )
    action.full_clean(validate_unique=False)
    action._history_user = user
    saved = once.save_once(action, {"item": item})
    return saved, saved is action


@transaction.atomic
def action_done(*, user: Any, action: ActionItem, done: bool = True) -> ActionItem:
    """Mark an action item done today (site-local), or open it again. Twice is once."""
    require(user, Action.CHANGE, Kind.ACTION_ITEM, action)
    action = ActionItem.objects.select_for_update().get(pk=action.pk)
    if done == (action.done_on is not None):
        return action
    action.done_on = site_today(user.jurisdiction) if done else None
    action._history_user = user
    action._change_reason = "done" if done else "opened again"
    action.save()
    return action


def action_list(
    *, user: Any, owner_id: int | None = None, include_done: bool = False, audit: bool = True
) -> QuerySet[ActionItem]:
    """Action items `user` may see, soonest due first; one audited list read."""
    from divert.access import visible

    require(user, Action.VIEW, Kind.ACTION_ITEM, audit=audit)
    found = visible(user, Kind.ACTION_ITEM, ActionItem.objects.all()).select_related(
        "item__meeting__jurisdiction", "item__enrollment__person", "owner"
    )
    if owner_id is not None:
        found = found.filter(owner_id=owner_id)
    if not include_done:
        found = found.filter(done_on__isnull=True)
    return found.order_by("due_on", "pk")


# --- corrections after the meeting closed -------------------------------------------------


def item_correct(
    *,
    user: Any,
    item: MeetingItem,
    summary: str,
    decisions: str = "",
    legal: str = "",
    version: int,
    reason: str,
) -> MeetingItem:
    """Correct what a closed meeting recorded about a participant, saying why.

    Its author, a supervisor or the participant's case manager may (corrections.may_correct);
    the version before is kept in history with who, when and why, and the trail records the
    change. A stale `version` raises corrections.Conflict; the same correction twice is once.
    """
    corrections.require_correct(user, Kind.MEETING_ITEM, item)
    _closed(item.meeting)
    errors: dict[str, str] = {}
    _reason(errors, reason)
    try:
        texts = _item_texts(item.meeting.jurisdiction, summary, decisions, legal)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    return corrections.correct(
        user=user,
        kind=Kind.MEETING_ITEM,
        record=item,
        values=texts,
        version=version,
        reason=reason,
    )


def action_correct(
    *,
    user: Any,
    action: ActionItem,
    description: str,
    owner_id: int | None,
    due_on: datetime.date | None,
    version: int,
    reason: str,
) -> ActionItem:
    """Correct a closed meeting's action item (what, who, by when), saying why."""
    corrections.require_correct(user, Kind.ACTION_ITEM, action)
    require(user, Action.CHANGE, Kind.MEETING_ITEM, action.item)
    _closed(action.item.meeting)
    errors: dict[str, str] = {}
    _reason(errors, reason)
    description = _action_fields(
        errors, user, action.item, action.item.meeting, description, owner_id, due_on
    )
    if errors:
        raise ValidationError(errors)
    owner = User.objects.get(pk=owner_id)
    return corrections.correct(
        user=user,
        kind=Kind.ACTION_ITEM,
        record=action,
        values={"description": description, "owner": owner, "due_on": due_on},
        version=version,
        reason=reason,
    )
