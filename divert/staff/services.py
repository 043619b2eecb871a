"""Staff accounts: role grants and API tokens, each one audited service."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from divert.access import MATRIX, Action, Kind, require
from divert.audit.services import audit_record
from divert.staff.models import ApiToken, RoleGrant, User
from divert.staff.roles import Role

TOKEN_DAYS_DEFAULT = 90
TOKEN_DAYS_MAX = 365


def _refused(actor: Any, user: User, action: str, why: str) -> PermissionDenied:
    audit_record(
        action=action,
        kind=Kind.STAFF.value,
        object_id=user.pk,
        jurisdiction_id=user.jurisdiction_id,
        outcome="denied",
        user=actor,
        detail={"reason": why},
    )
    return PermissionDenied(why)


def staff_roles_set(*, actor: Any, user: User, roles: Iterable[str]) -> list[str]:
    """Grant exactly `roles` to `user`. Only a platform superuser grants or revokes roles.

    Roles open people's records, so a site's own administrator cannot hand them out (nor
    to itself): role changes are the platform's, and each is kept in the grant's history.
    """
    wanted = set()
    for role in roles:
        if role not in Role._value2member_map_:
            raise ValidationError({"roles": f"unknown role {role!r}"})
        wanted.add(Role(role))
    current = set(user.role_set())
    if wanted == current:
        return user.roles
    if actor is not None and not getattr(actor, "is_superuser", False):
        raise _refused(actor, user, "change", "only a platform superuser grants roles")
    with transaction.atomic():
        _grants_replace(actor, user, wanted, current)
    user.forget_roles()
    return user.roles


def _grants_replace(actor: Any, user: User, wanted: set[Role], current: set[Role]) -> None:
    by = actor if getattr(actor, "is_authenticated", False) else None
    for grant in RoleGrant.objects.filter(user=user).exclude(role__in=wanted):
        grant._history_user = by
        grant.delete()  # one by one, so each revocation is kept in the history
    for role in sorted(wanted - current):
        grant = RoleGrant(user=user, role=role)
        grant._history_user = by
        grant.save()


def token_scopes_for(user: User) -> list[str]:
    """Every "kind:action" pair the account's roles allow: the widest scope a token can have."""
    pairs = {
        f"{kind.value}:{action.value}"
        for role in user.role_set()
        for kind, actions in MATRIX.get(role, {}).items()
        for action in actions
    }
    return sorted(pairs)


def token_scope_choices() -> list[tuple[str, str]]:
    return [
        (f"{kind.value}:{action.value}", f"{action.value} {kind.value.replace('_', ' ')}")
        for kind in Kind
        for action in Action
    ]


def api_token_request_check(
    *, user: User, name: str, scopes: Iterable[str], days: int
) -> list[str]:
    """Refuse a token request that is unnamed, unscoped, too long or wider than the account."""
    scopes = sorted(set(scopes))
    errors = {}
    if not name.strip():
        errors["name"] = "Name the system that will use the token."
    if not scopes:
        errors["scopes"] = "Choose what the token may do."
    beyond = sorted(set(scopes) - set(token_scopes_for(user)))
    if beyond:
        errors["scopes"] = f"{user} cannot {', '.join(beyond)}; a token cannot do more."
    if not 1 <= days <= TOKEN_DAYS_MAX:
        errors["days"] = f"A token lasts 1 to {TOKEN_DAYS_MAX} days."
    if errors:
        raise ValidationError(errors)
    return scopes


def api_token_issue(
    *,
    issuer: Any,
    user: User,
    name: str,
    scopes: Iterable[str],
    days: int = TOKEN_DAYS_DEFAULT,
) -> tuple[ApiToken, str]:
    """Issue a token acting as `user` within `scopes` for `days`. Returns the row and the secret.

    The issuer must administer staff in the account's own site; the secret is shown once.
    """
    require(issuer, Action.CREATE, Kind.STAFF, user)
    scopes = api_token_request_check(user=user, name=name, scopes=scopes, days=days)
    name = name.strip()
    secret = ApiToken.new_secret()
    with transaction.atomic():
        token = _token_store(issuer, user, name, scopes, days, secret)
    return token, secret


def _token_store(
    issuer: Any, user: User, name: str, scopes: list[str], days: int, secret: str
) -> ApiToken:
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        digest=ApiToken.hash(secret),
        issued_by=issuer if getattr(issuer, "is_authenticated", False) else None,
        expires_at=timezone.now() + datetime.timedelta(days=days),
        scopes=scopes,
    )
    audit_record(
        action="create",
        kind="api_token",
        object_id=token.pk,
        jurisdiction_id=user.jurisdiction_id,
        outcome="success",
        user=issuer,
        detail={"for": user.get_username(), "name": token.name, "scopes": scopes, "days": days},
    )
    return token
