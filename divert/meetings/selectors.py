"""What each person at a work group meeting may read of it: one selector for page and API.

Rows and fields follow the role and each participant's release (LEAD's First Golden Rule):

- an officer sees whom the meeting discussed and whom to call: the participant's name and
  their case manager's name and phone, nothing said;
- a prosecutor or defender sees only the items with legal coordination on them, about
  participants whose release in force names their office (the release check legal matters
  use), and of those the legal text and the action items they own; never the team's summary
  or decisions, which may touch on health;
- a case manager sees everything of their own participants and of what they recorded, and
  of the others' participants whom to call and why they were on the agenda;
- a supervisor sees the whole meeting;
- a program manager oversees how meetings run: of a meeting someone else ran, its date,
  attendance and counts (participants discussed, action items done and overdue), no one's
  row; of a meeting they ran, and of items they recorded, everything.

Everyone who may run a meeting sees its counts, which name no one.

After a meeting closes its runner may correct an item or action item with a reason
(divert.meetings.services.item_correct): each row carries its corrections, "corrected on
<date> by <who>: <reason>". A reader who does not see the whole item sees only the
corrections of fields they read, without the reason (it may speak of what they may not read).

Which rows pass is the access policy's `MEETING_ITEM` rule (divert.access.rules), so `can()`
on one item and this selector cannot disagree. Every read of a meeting is audited, naming
the participants shown.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch

from divert.access import Action, Kind, can, visible
from divert.access.policy import MATRIX
from divert.access.rules import rule_for
from divert.audit.services import audit_record
from divert.casework.corrections import may_correct
from divert.jurisdictions.clock import local_date, site_today
from divert.meetings.legal_words import as_shown, withhold
from divert.meetings.models import ActionItem, Meeting, MeetingItem
from divert.meetings.services import meeting_get
from divert.staff.roles import ENFORCEMENT, Role

CALL = frozenset({"person", "case_manager", "phone"})
TEAM = CALL | {"enrollment_id", "reason"}
LEGAL = CALL | {"legal", "actions"}
FULL = TEAM | {"summary", "decisions", "legal", "actions"}

# role -> (fields of every row, fields of the rows its MEETING_ITEM rule lets it read)
ROW_FIELDS: dict[Role, tuple[frozenset, frozenset]] = {
    Role.OFFICER: (CALL, frozenset()),
    Role.PROSECUTOR: (frozenset(), LEGAL),
    Role.DEFENDER: (frozenset(), LEGAL),
    Role.CASE_MANAGER: (TEAM, FULL),
    Role.SUPERVISOR: (TEAM, FULL),
    Role.PROGRAM_MANAGER: (frozenset(), FULL),
}


@dataclass(frozen=True)
class Correction:
    """One correction of a closed meeting's record, as this reader may see it."""

    on: datetime.date  # the site's date
    by: str
    reason: str | None  # None: the reader does not see the whole item
    fields: tuple[str, ...]

    def __str__(self) -> str:
        said = f": {self.reason}" if self.reason else ""
        return f"corrected on {self.on} by {self.by}{said}"


@dataclass(frozen=True)
class ActionRow:
    id: int
    description: str
    owner_id: int
    owner: str
    due_on: datetime.date
    done_on: datetime.date | None
    version: int = 1
    corrections: tuple[Correction, ...] = ()
    may_correct: bool = False
    may_done: bool = False  # the reader may mark it done (or open it again)


@dataclass(frozen=True)
class ItemRow:
    id: int
    person: str
    case_manager: str
    phone: str
    fields: frozenset
    enrollment_id: int | None = None
    reason: str | None = None
    summary: str | None = None
    decisions: str | None = None
    legal: str | None = None
    actions: list[ActionRow] | None = None
    may_record: bool = False
    version: int | None = None
    corrections: tuple[Correction, ...] = ()
    may_correct: bool = False


@dataclass(frozen=True)
class Counts:
    """Meeting-level facts for fidelity: how many were discussed, how the actions stand."""

    participants: int
    actions: int
    done: int
    overdue: int  # open and due before the site's today


@dataclass
class MeetingView:
    id: int
    held_on: datetime.date
    status: str
    closed_on: datetime.date | None
    attendees: list[str]
    guests: str
    items: list[ItemRow] = field(default_factory=list)
    may_run: bool = False
    counts: Counts | None = None  # for those who may run a meeting


def _case_team(user: Any) -> bool:
    """Whether the reader holds no enforcement role (officer, prosecutor, defender)."""
    return not user.role_set() & ENFORCEMENT


def actions_as_read(user: Any, actions) -> list[ActionItem]:
    """Action items as `user` may read them, for a list (the action items page, the inbox,
    the API): to an enforcement reader a description that fails the health-word check now,
    whenever it was written, is withheld, as on the meeting page.

    The items come back with the shown description in place: they are for reading, never
    for saving.
    """
    actions = list(actions)
    if _case_team(user):
        return actions
    return withhold(actions, ("description",), lambda a: a.item.meeting.jurisdiction.slug)


def _name(user: Any) -> str:
    return (user.get_full_name() or user.username) if user else ""


def _fields_by_item(user: Any, items: list[MeetingItem]) -> dict[int, frozenset]:
    """For each item, the fields `user` may read of it: the union over the user's roles."""
    ids = [i.pk for i in items]
    out: dict[int, frozenset] = {pk: frozenset() for pk in ids}
    may_read_items = can(user, Action.VIEW, Kind.MEETING_ITEM)
    for role in user.role_set():
        if role not in ROW_FIELDS or Action.VIEW not in MATRIX.get(role, {}).get(Kind.MEETING, ()):
            continue
        every, deep = ROW_FIELDS[role]
        for pk in ids:
            out[pk] |= every
        if not deep or not may_read_items:
            continue
        if Action.VIEW not in MATRIX[role].get(Kind.MEETING_ITEM, ()):
            continue
        rule = rule_for(role, Kind.MEETING_ITEM, user)
        passing = MeetingItem.objects.filter(pk__in=ids)
        if rule is not None:
            passing = passing.filter(rule)
        for pk in passing.values_list("pk", flat=True).distinct():
            out[pk] |= deep
    return out


def meeting_view(*, user: Any, meeting_id: int) -> MeetingView:
    """The meeting as `user` may read it; one audited read naming the participants shown."""
    meeting = meeting_get(user=user, meeting_id=meeting_id)
    items = list(
        MeetingItem.objects.filter(meeting=meeting)
        .select_related("enrollment__person", "enrollment__case_manager")
        .prefetch_related(
            Prefetch(
                "actions",
                queryset=visible(user, Kind.ACTION_ITEM, ActionItem.objects.all())
                .select_related("owner")
                .order_by("due_on", "pk"),
            )
        )
        .order_by("pk")
    )
    fields = _fields_by_item(user, items)
    closed = meeting.status == Meeting.Status.CLOSED
    fixes = _corrections(meeting, MeetingItem, [i.pk for i in items if fields[i.pk]])
    fixes |= _corrections(
        meeting, ActionItem, [a.pk for i in items if fields[i.pk] for a in i.actions.all()]
    )
    rows = []
    for item in items:
        shown = fields[item.pk]
        if not shown:
            continue
        rows.append(_row(user, item, shown, meeting, fixes, closed))
    audit_record(
        action=Action.VIEW.value,
        kind=Kind.MEETING.value,
        object_id=meeting.pk,
        jurisdiction_id=meeting.jurisdiction_id,
        outcome="allowed",
        user=user,
        detail={"enrollments": [item.enrollment_id for item in items if fields[item.pk]]},
    )
    return MeetingView(
        id=meeting.pk,
        held_on=meeting.held_on,
        status=meeting.status,
        closed_on=meeting.closed_on,
        attendees=[_name(u) for u in meeting.attendees.order_by("last_name", "first_name")],
        guests=meeting.guests
        if _case_team(user)
        else as_shown(meeting.guests, meeting.jurisdiction.slug),
        items=rows,
        may_run=meeting.status == Meeting.Status.OPEN
        and can(user, Action.CHANGE, Kind.MEETING, meeting),
        counts=_counts(meeting, items) if can(user, Action.CHANGE, Kind.MEETING) else None,
    )


def _counts(meeting: Meeting, items: list[MeetingItem]) -> Counts:
    today = site_today(meeting.jurisdiction)
    actions = ActionItem.objects.filter(item__meeting=meeting)
    return Counts(
        participants=len(items),
        actions=actions.count(),
        done=actions.filter(done_on__isnull=False).count(),
        overdue=actions.filter(done_on__isnull=True, due_on__lt=today).count(),
    )


# The fields of each record a correction can change, and who reads each of them.
_CORRECTED = {
    MeetingItem: ("summary", "decisions", "legal"),
    ActionItem: ("description", "owner_id", "due_on"),
}


def _corrections(
    meeting: Meeting, model: type, ids: list[int]
) -> dict[tuple[type, int], list[tuple]]:
    """(model, id) -> [(site date, who, reason, fields changed)] for each correction, oldest
    first: a history row that raised the version (only a correction does)."""
    out: dict[tuple[type, int], list[tuple]] = {}
    if not ids:
        return out
    before: dict[int, Any] = {}
    rows = (
        model.history.filter(id__in=ids).select_related("history_user").order_by("id", "history_id")
    )
    for row in rows:
        last = before.get(row.id)
        before[row.id] = row
        if last is None or row.version <= last.version:
            continue
        changed = tuple(
            f for f in _CORRECTED[model] if getattr(row, f, None) != getattr(last, f, None)
        )
        who = row.history_user
        out.setdefault((model, row.id), []).append(
            (
                local_date(meeting.jurisdiction, row.history_date),
                _name(who),
                row.history_change_reason or "",
                changed,
            )
        )
    return out


def _shown_fixes(found: list[tuple], seen: set[str] | None) -> tuple[Correction, ...]:
    """Corrections as the reader may see them; `seen` None: the whole record, reason too."""
    out = []
    for on, by, reason, changed in found:
        if seen is None:
            out.append(Correction(on, by, reason, changed))
        elif set(changed) & seen:
            out.append(Correction(on, by, None, tuple(f for f in changed if f in seen)))
    return tuple(out)


def _row(
    user: Any,
    item: MeetingItem,
    shown: frozenset,
    meeting: Meeting,
    fixes: dict,
    closed: bool,
) -> ItemRow:
    cm = item.enrollment.case_manager
    whole = "summary" in shown
    # A reader outside the case team (prosecutor, defender) never gets stored text that
    # fails the health-word check, whenever it was written.
    slug = meeting.jurisdiction.slug
    said = (lambda text: text) if whole else (lambda text: as_shown(text, slug))
    values: dict[str, Any] = {
        "enrollment_id": item.enrollment_id,
        "reason": item.reason,
        "summary": item.summary,
        "decisions": item.decisions,
        "legal": said(item.legal),
    }
    may_fix_item = (
        whole
        and closed
        and may_correct(user, item)
        and can(user, Action.CHANGE, Kind.MEETING_ITEM, item)
    )
    action_seen = None if whole else {"description", "owner_id", "due_on"}
    may_done = can(user, Action.CHANGE, Kind.ACTION_ITEM)
    actions = [
        ActionRow(
            a.pk,
            said(a.description),
            a.owner_id,
            _name(a.owner),
            a.due_on,
            a.done_on,
            version=a.version,
            corrections=_shown_fixes(fixes.get((ActionItem, a.pk), []), action_seen),
            may_correct=may_fix_item,
            # Every action item shown passes the reader's ACTION_ITEM rule, which is the
            # same for changing it.
            may_done=may_done,
        )
        for a in item.actions.all()
    ]
    return ItemRow(
        id=item.pk,
        person=str(item.enrollment.person),
        case_manager=_name(cm),
        phone=(cm.phone if cm else ""),
        fields=shown,
        actions=actions if "actions" in shown else None,
        may_record=whole
        and meeting.status == Meeting.Status.OPEN
        and can(user, Action.CHANGE, Kind.MEETING_ITEM, item),
        version=item.version if whole else None,
        corrections=_shown_fixes(
            fixes.get((MeetingItem, item.pk), []), None if whole else set(shown)
        ),
        may_correct=may_fix_item,
        **{k: (v if k in shown else None) for k, v in values.items()},
    )
