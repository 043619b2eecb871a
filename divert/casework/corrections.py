"""Correcting a record a case manager wrote: by its author or a supervisor, with a reason.

One mechanism for every case-work record (notes, contacts, plans, goals, and any record that
mixes in `Correctable`):

- history keeps who, when and why (django-simple-history; the reason is the history row's
  `history_change_reason`);
- optimistic locking: the editor sends back the `version` it opened, and a save over a newer
  version is refused with a `Conflict` naming what changed since, so no update is lost;
- sending the same correction twice (a double submit) is not a conflict: the second finds the
  record already as asked and changes nothing.

A model opts in by mixing in `Correctable` and keeping `HistoricalRecords()`; it names the
field holding its author in `correction_author` (else the account that created it, from its
history, is the author). A record that belongs to the case (the plan, goals, steps) names the
path to its enrollment in `correction_case`: the participant's current case manager may
correct it too, so a reassigned case is not frozen.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.formats import date_format

from divert.access import Action, Kind, require
from divert.jurisdictions.clock import site_zone
from divert.staff.roles import Role

# simple-history's history_change_reason column is 100 characters.
REASON_MAX = 100


class Correctable(models.Model):
    """Mixin: a version number the database bumps on every correction."""

    version = models.PositiveIntegerField(default=1, editable=False)

    correction_author: str = ""  # the field naming the author; "" means the creator in history
    # For records that belong to the case rather than to one writer (the plan and its goals):
    # the path to the enrollment, whose current case manager may correct them too.
    correction_case: str = ""

    class Meta:
        abstract = True


@dataclass(frozen=True)
class Changed:
    """One field someone else saved after you opened the record."""

    field: str
    label: str
    was: str  # as you opened it
    now: str  # as it is saved now


class Conflict(Exception):
    """The record was saved by someone else after the editor opened it."""

    def __init__(
        self, record: models.Model, changes: list[Changed], by: str, at: Any, zone: Any = None
    ):
        self.record, self.changes, self.by, self.at = record, changes, by, at
        self.zone = zone
        super().__init__(self.summary())

    def summary(self) -> str:
        when = f" at {shown_at(self.at, self.zone)}" if self.at else ""
        return f"Saved by {self.by or 'someone else'}{when} after you opened it."

    def detail(self) -> list[dict[str, str]]:
        """The API's error shape: one entry per changed field (or one for the record)."""
        if not self.changes:
            return [{"field": "version", "message": self.summary()}]
        return [
            {"field": c.field, "message": f"{self.summary()} Was {c.was!r}, now {c.now!r}."}
            for c in self.changes
        ]


def author_id(record: models.Model) -> int | None:
    """The account that wrote `record`."""
    name = getattr(record, "correction_author", "")
    if name:
        return getattr(record, f"{name}_id")
    first = record.history.order_by("history_id").first()
    return first.history_user_id if first else None


def may_correct(user: Any, record: models.Model) -> bool:
    """Its author or a supervisor (of the same site: the access policy checks that); for the
    case's own records, also the case manager the participant is assigned to now."""
    if author_id(record) == user.pk or Role.SUPERVISOR in user.role_set():
        return True
    path = getattr(record, "correction_case", "")
    if not path:
        return False
    enrollment: Any = record
    for part in path.split("__"):
        enrollment = getattr(enrollment, part)
    return enrollment.case_manager_id == user.pk


def require_correct(user: Any, kind: Kind, record: models.Model) -> None:
    """Refuse (and audit the refusal) unless `user` may correct `record`."""
    require(user, Action.CHANGE, kind, record)
    if not may_correct(user, record):
        from divert.access.tenancy import jurisdiction_of
        from divert.audit.services import audit_record

        audit_record(
            action=Action.CHANGE.value,
            kind=kind.value,
            object_id=record.pk,
            jurisdiction_id=jurisdiction_of(record),
            outcome="denied",
            user=user,
            detail={"reason": "only its author or a supervisor corrects a record"},
        )
        raise PermissionDenied("only its author or a supervisor may correct this record")


def check_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why you are correcting this record."})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": f"Keep the reason under {REASON_MAX} characters."})
    return reason


def shown_at(moment: datetime.datetime, zone: Any) -> str:
    """`moment` as people read it: the site's local time, in the one site format."""
    return date_format(moment.astimezone(zone), "DATETIME_FORMAT")


def _zone_of(record: models.Model) -> Any:
    from divert.access.tenancy import jurisdiction_of
    from divert.jurisdictions.models import Jurisdiction

    site = Jurisdiction.objects.filter(pk=jurisdiction_of(record)).first()
    return site_zone(site)


def _show(value: Any, zone: Any = None) -> str:
    if isinstance(value, datetime.datetime):
        return shown_at(value, zone) if zone else value.isoformat(timespec="minutes")
    return "" if value is None else str(value)


def _fields(model: type[models.Model]) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in ("id", "version") and not f.primary_key
    ]


def changes_since(record: models.Model, version: int, zone: Any = None) -> list[Changed]:
    """Fields that differ between `version` (from history) and the record as saved now
    (times shown in `zone`, the site's, when given)."""
    then = record.history.filter(version=version).order_by("-history_id").first()
    if then is None:
        return []
    out = []
    for f in _fields(type(record)):
        was, now = getattr(then, f.attname, None), getattr(record, f.attname)
        if was != now:
            out.append(Changed(f.name, str(f.verbose_name), _show(was, zone), _show(now, zone)))
    return out


def _same(record: models.Model, values: dict[str, Any]) -> bool:
    return all(getattr(record, name) == value for name, value in values.items())


def conflict_for(record: models.Model, version: int) -> Conflict:
    last = record.history.order_by("-history_id").first()
    by = ""
    if last is not None and last.history_user is not None:
        by = last.history_user.get_full_name() or last.history_user.get_username()
    zone = _zone_of(record)
    at = last.history_date if last else None
    return Conflict(record, changes_since(record, version, zone), by, at, zone)


def correct(
    *,
    user: Any,
    kind: Kind,
    record: models.Model,
    values: dict[str, Any],
    version: int,
    reason: str,
) -> models.Model:
    """Change `values` on `record` if it is still at `version`; return the record as saved.

    Raises PermissionDenied (not its author nor a supervisor), ValidationError (bad values or
    no reason: nothing saved) or Conflict (saved by someone else since `version`).
    """
    require_correct(user, kind, record)  # before the transaction: a refusal is kept
    reason = check_reason(reason)
    model = type(record)
    unknown = set(values) - {f.name for f in _fields(model) if f.editable}
    if unknown:
        raise ValidationError({name: "This field cannot be corrected." for name in unknown})
    with transaction.atomic():
        locked = model._default_manager.select_for_update().get(pk=record.pk)
        if _same(locked, values):
            return locked  # already as asked: a double submit, or nothing to change
        if locked.version != version:
            raise conflict_for(locked, version)
        for name, value in values.items():
            setattr(locked, name, value)
        locked.full_clean()
        locked.version += 1
        locked._change_reason = reason
        locked._history_user = user  # who, also outside a request (CLI, threads)
        locked.save()
        return locked


def history_of(record: models.Model) -> list[dict[str, Any]]:
    """Every saved version, newest first: who, when, why and what changed from the one before.

    A record written without history (a bulk load, or from before history was kept) has none.
    """
    rows = list(record.history.select_related("history_user").order_by("-history_id"))
    out = []
    for row, before in zip(rows, [*rows[1:], None][: len(rows)], strict=True):
        user = row.history_user
        changed = []
        if before is not None:
            for f in _fields(type(record)):
                was, now = getattr(before, f.attname, None), getattr(row, f.attname, None)
                if was != now:
                    changed.append(Changed(f.name, str(f.verbose_name), _show(was), _show(now)))
        out.append(
            {
                "at": row.history_date,
                "by": (user.get_full_name() or user.get_username()) if user else "",
                "why": row.history_change_reason or "",
                "type": {"+": "created", "~": "corrected", "-": "deleted"}[row.history_type],
                "changes": changed,
            }
        )
    return out
