"""Finding the account behind an API bearer token: one query, every API call.

The token, its account, the account's organization and site and its roles come back in one
row. The SQL is written once per process from the models' own fields; building the same
query through the ORM on every call cost several times what the database spent on it.
Values pass through each field's converters, as the ORM's would (`divert.hotsql`).
"""

import datetime
from functools import cache
from typing import Any

from django.db import connection
from django.db.models import Field, Model

from divert.hotsql import convert, moment
from divert.jurisdictions.models import Jurisdiction, Organization
from divert.staff.models import ApiToken, RoleGrant, User

# Each model read, with the alias it goes by in the query.
_TOKEN_FIELDS = ("id", "user", "name", "last_used", "expires_at", "scopes")
_MODELS: tuple[tuple[type[Model], str], ...] = (
    (User, "u"),
    (Organization, "o"),
    (Jurisdiction, "j"),
)


def _fields(model: type[Model]) -> list[Field]:
    if model is ApiToken:
        return [ApiToken._meta.get_field(name) for name in _TOKEN_FIELDS]
    return list(model._meta.concrete_fields)


@cache
def _query(vendor: str) -> str:
    q = connection.ops.quote_name
    columns = [f"t.{q(f.column)}" for f in _fields(ApiToken)]
    for model, alias in _MODELS:
        columns += [f"{alias}.{q(f.column)}" for f in _fields(model)]
    grants = q(RoleGrant._meta.db_table)
    roles = "STRING_AGG(g.role, ',')" if vendor == "postgresql" else "GROUP_CONCAT(g.role, ',')"
    columns.append(f"(SELECT {roles} FROM {grants} g WHERE g.user_id = u.id)")  # noqa: S608
    return (
        f"SELECT {', '.join(columns)} FROM {q(ApiToken._meta.db_table)} t"  # noqa: S608
        f" JOIN {q(User._meta.db_table)} u ON u.id = t.user_id"
        f" LEFT JOIN {q(Organization._meta.db_table)} o ON o.id = u.organization_id"
        f" LEFT JOIN {q(Jurisdiction._meta.db_table)} j ON j.id = o.jurisdiction_id"
        " WHERE t.digest = %s AND u.is_active = %s AND t.expires_at > %s"
    )


def _instance(model: type[Model], fields: list[Field], values: list[Any]) -> Model:
    return model.from_db(connection.alias, [f.attname for f in fields], convert(values, fields))


def token_user(digest: str, now: datetime.datetime) -> tuple[ApiToken, User] | None:
    """The live token with this digest and its active account (organization, site and roles
    loaded), or None."""
    with connection.cursor() as cursor:
        cursor.execute(
            _query(connection.vendor),
            [digest, True, moment(now)],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    objects, start = [], 0
    for model in (ApiToken, *(m for m, _ in _MODELS)):
        fields = _fields(model)
        values = list(row[start : start + len(fields)])
        start += len(fields)
        # An account with no organization: the outer joins give nothing to build.
        objects.append(None if values[0] is None else _instance(model, fields, values))
    token, user, organization, site = objects
    if organization is not None:
        organization.jurisdiction = site
    user.organization = organization
    user.keep_roles(row[start])
    token.user = user
    return token, user
