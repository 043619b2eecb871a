"""Applying the access matrix to a user, a record and, for reads, an audit entry."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet

from divert.access.kinds import Action, Kind
from divert.access.policy import MATRIX
from divert.jurisdictions.clock import site_today
from divert.staff.roles import Role

# Reading these is reading about a person, so every read is audited.
PERSON_LEVEL = frozenset(
    {
        Kind.PERSON,
        Kind.ENROLLMENT_STATUS,
        Kind.ENCOUNTER,
        Kind.SCREENING,
        Kind.REFERRAL,
        Kind.ENROLLMENT,
        Kind.RELEASE,
        Kind.PROGRESS,
        Kind.PLAN,
        Kind.CONTACT,
        Kind.CASE_NOTE,
        Kind.SERVICE_REFERRAL,
        Kind.CHARGE_HOLD,
        Kind.JUSTICE_EVENT,
        Kind.DEIDENTIFIED,
    }
)

# How to reach the owning jurisdiction from each model, for filtering querysets.
_JURISDICTION_PATHS = {
    "people.personname": "person__jurisdiction",
    "people.personidentifier": "person__jurisdiction",
    "casework.releaseofinformation": "person__jurisdiction",
    "casework.interventionplan": "enrollment__jurisdiction",
    "casework.goal": "plan__enrollment__jurisdiction",
    "casework.contact": "enrollment__jurisdiction",
    "casework.casenote": "enrollment__jurisdiction",
    "casework.servicereferral": "enrollment__jurisdiction",
    "casework.statuschange": "enrollment__jurisdiction",
    "jurisdictions.jurisdiction": "",
    "staff.user": "organization__jurisdiction",
    "staff.apitoken": "user__organization__jurisdiction",
}


def _path(model: type[Model]) -> str:
    return _JURISDICTION_PATHS.get(model._meta.label_lower, "jurisdiction")


def _jurisdiction_id(obj: Model) -> int | None:
    value: Any = obj
    path = _path(type(obj))
    if not path:
        return obj.pk
    for part in path.split("__"):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value.pk


# Kinds a platform administrator with no organization (and so no jurisdiction) may reach.
_SITE_FREE = frozenset({Kind.CONFIGURATION, Kind.STAFF, Kind.AUDIT_LOG})


def _roles_allowing(user: Any, action: Action, kind: Kind) -> list[Role]:
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    if user.organization_id is None and kind not in _SITE_FREE:
        return []  # everything else belongs to a jurisdiction the account is not in
    return [r for r in user.role_set() if action in MATRIX.get(r, {}).get(kind, ())]


def _release_allows_progress(user: Any, person_id: int, on: datetime.date) -> bool:
    from divert.casework.models import ReleaseOfInformation

    return ReleaseOfInformation.objects.filter(
        ReleaseOfInformation.in_force_q(on),
        person_id=person_id,
        recipients=user.organization_id,
        shares_progress=True,
    ).exists()


def _object_allowed(role: Role, user: Any, kind: Kind, obj: Model) -> bool:
    if kind in (Kind.CONFIGURATION, Kind.STAFF) and user.organization_id is None:
        return True  # a platform administrator serves every site
    if _jurisdiction_id(obj) != user.jurisdiction_id:
        return False
    if role == Role.PARTNER and kind == Kind.REFERRAL:
        return obj.referring_organization_id == user.organization_id
    if role == Role.OFFICER and kind == Kind.ENCOUNTER:
        return obj.officer_id == user.pk
    if role == Role.OFFICER and kind == Kind.SCREENING:
        return obj.screened_by_id == user.pk
    if role == Role.OFFICER and kind == Kind.REFERRAL:
        return obj.referred_by_id == user.pk
    if role in (Role.PROSECUTOR, Role.DEFENDER) and kind == Kind.PROGRESS:
        return _release_allows_progress(user, obj.person_id, site_today(user.jurisdiction))
    return True


def can(user: Any, action: Action, kind: Kind, obj: Model | None = None) -> bool:
    """Whether `user` may take `action` on records of `kind` (or on the one record `obj`)."""
    roles = _roles_allowing(user, action, kind)
    if obj is None:
        return bool(roles)
    return any(_object_allowed(role, user, kind, obj) for role in roles)


def require(
    user: Any, action: Action, kind: Kind, obj: Model | None = None, *, audit: bool = True
) -> None:
    """Raise PermissionDenied unless allowed.

    Every refusal is audited. Allowed person-level reads are audited too, unless `audit` is
    False: pages pass that when they check entry and record the read where it happens.
    """
    from divert.audit.services import audit_record

    allowed = can(user, action, kind, obj)
    reads = kind in PERSON_LEVEL and action in (Action.VIEW, Action.EXPORT)
    if not allowed or (audit and reads):
        audit_record(
            action=action.value,
            kind=kind.value,
            object_id=obj.pk if obj is not None else "",
            jurisdiction_id=_jurisdiction_id(obj) if obj is not None else None,
            outcome="allowed" if allowed else "denied",
            user=user,
        )
    if not allowed:
        raise PermissionDenied(f"not allowed to {action.value} {kind.value}")


def visible(user: Any, kind: Kind, queryset: QuerySet) -> QuerySet:
    """Narrow a queryset to the records of `kind` that `user` may view."""
    roles = _roles_allowing(user, Action.VIEW, kind)
    if not roles:
        return queryset.none()
    path = _path(queryset.model)
    if kind in (Kind.CONFIGURATION, Kind.STAFF) and user.organization_id is None:
        return queryset
    scoped = queryset.filter(**{f"{path}__pk" if path else "pk": user.jurisdiction_id})
    allowed = Q(pk__in=[])
    for role in roles:
        if role == Role.PARTNER and kind == Kind.REFERRAL:
            allowed |= Q(referring_organization_id=user.organization_id)
        elif role == Role.OFFICER and kind == Kind.ENCOUNTER:
            allowed |= Q(officer_id=user.pk)
        elif role == Role.OFFICER and kind == Kind.SCREENING:
            allowed |= Q(screened_by_id=user.pk)
        elif role in (Role.PROSECUTOR, Role.DEFENDER) and kind == Kind.PROGRESS:
            from divert.casework.models import ReleaseOfInformation

            via = "person__releases__"
            allowed |= Q(
                ReleaseOfInformation.in_force_q(site_today(user.jurisdiction), via),
                person__releases__recipients=user.organization_id,
                person__releases__shares_progress=True,
            )
        else:
            return scoped
    return scoped.filter(allowed).distinct()
