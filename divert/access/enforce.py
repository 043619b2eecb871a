"""Applying the access matrix to a user, a record and, for reads, an audit entry."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet

from divert.access.kinds import Action, Kind
from divert.access.policy import MATRIX
from divert.access.rules import rule_for
from divert.access.tenancy import in_jurisdiction, jurisdiction_of
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
        Kind.ASSESSMENT,
        Kind.HEALTH,
        Kind.SERVICE_REFERRAL,
        Kind.CHARGE_HOLD,
        Kind.LEGAL_MATTER,
        Kind.JUSTICE_EVENT,
        Kind.QUARANTINE,
        Kind.LINK,
        Kind.DEIDENTIFIED,
        Kind.TASK,
        Kind.FUND_SPEND,
        Kind.RECORD_ACCESS,
        Kind.WAITLIST,
        Kind.MEETING,
        Kind.MEETING_ITEM,
        Kind.ACTION_ITEM,
    }
)

# Kinds a platform administrator with no organization (and so no jurisdiction) may reach.
_SITE_FREE = frozenset({Kind.CONFIGURATION, Kind.STAFF, Kind.AUDIT_LOG})


def _roles_allowing(user: Any, action: Action, kind: Kind) -> list[Role]:
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    if user.organization_id is None and kind not in _SITE_FREE:
        return []  # everything else belongs to a jurisdiction the account is not in
    token = getattr(user, "api_token", None)
    if token is not None and not token.allows(action.value, kind.value):
        return []  # a token does only what it was issued for
    roles = set(user.role_set())
    if getattr(user, "is_superuser", False) and kind in _SITE_FREE:
        roles.add(Role.ADMINISTRATOR)  # the platform's own administrator, and no more
    return [r for r in sorted(roles) if action in MATRIX.get(r, {}).get(kind, ())]


def platform_wide(user: Any, kind: Kind) -> bool:
    """A platform administrator (a superuser, or an administrator with no organization)
    configures and audits every site; everyone else works within their own."""
    if user is None or not user.is_authenticated or kind not in _SITE_FREE:
        return False
    return getattr(user, "is_superuser", False) or (
        user.organization_id is None and Role.ADMINISTRATOR in user.role_set()
    )


def _scope(user: Any, kind: Kind, model: type[Model], roles: list[Role]) -> Q | None:
    """The filter for the records of `kind` the roles reach; None when they reach them all."""
    if platform_wide(user, kind):
        return None
    allowed: Q | None = Q(pk__in=[])
    for role in roles:
        rule = rule_for(role, kind, user)
        if rule is None:
            allowed = None  # this role reaches every record of the kind in the site
            break
        allowed |= rule
    site = in_jurisdiction(model, user.jurisdiction_id)
    return site if allowed is None else site & allowed


def can(user: Any, action: Action, kind: Kind, obj: Model | None = None) -> bool:
    """Whether `user` may take `action` on records of `kind` (or on the one record `obj`)."""
    roles = _roles_allowing(user, action, kind)
    if obj is None or not roles:
        return bool(roles)
    scope = _scope(user, kind, type(obj), roles)
    if scope is None:
        return True
    if obj.pk is None:  # not saved yet: only the site can be checked
        return jurisdiction_of(obj) == user.jurisdiction_id
    return type(obj)._default_manager.filter(scope, pk=obj.pk).exists()


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
            jurisdiction_id=jurisdiction_of(obj) if obj is not None else _site_of(user),
            outcome="allowed" if allowed else "denied",
            user=user,
        )
    if not allowed:
        raise PermissionDenied(f"not allowed to {action.value} {kind.value}")


def _site_of(user: Any) -> int | None:
    return getattr(user, "jurisdiction_id", None) if user is not None else None


def visible(user: Any, kind: Kind, queryset: QuerySet) -> QuerySet:
    """Narrow a queryset to the records of `kind` that `user` may view."""
    return permitted(user, Action.VIEW, kind, queryset)


def permitted(user: Any, action: Action, kind: Kind, queryset: QuerySet) -> QuerySet:
    """Narrow a queryset to the records `user` may take `action` on as `kind` (the choices a
    form offers, by the same rule `can()` checks one record with)."""
    roles = _roles_allowing(user, action, kind)
    if not roles:
        return queryset.none()
    scope = _scope(user, kind, queryset.model, roles)
    if scope is None:
        return queryset
    narrowed = queryset.filter(scope)
    # Rules that follow a to-many path (releases) can repeat rows.
    return narrowed.distinct() if any(rule_for(r, kind, user) for r in roles) else narrowed
