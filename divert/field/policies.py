"""Loading a site's eligibility policy into the database, one kept version at a time."""

from functools import lru_cache
from typing import Any

from django.db import connection, transaction

from divert.access import Action, Kind, require
from divert.audit.services import audit_record
from divert.eligibility import Policy, PolicyError, parse_policy
from divert.field.models import EligibilityPolicy
from divert.jurisdictions.models import Jurisdiction
from divert.jurisdictions.site_files import file_refusal, version_activate


class NoPolicy(Exception):
    """The jurisdiction has no active eligibility policy yet."""


@transaction.atomic
def policy_load(
    *, jurisdiction: Jurisdiction, text: str, source: str = "", user: Any = None
) -> EligibilityPolicy:
    """Parse and activate a policy version. A broken file is refused; the active one stays.

    Reloading a version that is already stored re-activates it (a rollback), but a stored
    version is never overwritten with different text. With a `user`, the user must
    administer that site's configuration; without one, the operator's CLI is acting.
    """
    if user is not None:
        require(user, Action.CREATE, Kind.CONFIGURATION, jurisdiction)
    try:
        policy = parse_policy(text, source=source or "<policy>")
    except PolicyError as exc:
        raise file_refusal(exc, "policy") from None
    row, reactivated = version_activate(
        EligibilityPolicy,
        jurisdiction=jurisdiction,
        key_field="policy_id",
        key=policy.id,
        version=str(policy.version),
        text=text,
        source=source,
        user=user,
        noun="policy",
    )
    return _audited_load(row, user, reactivated=reactivated)


def _audited_load(row: EligibilityPolicy, user: Any, *, reactivated: bool) -> EligibilityPolicy:
    audit_record(
        action="policy_load",
        kind="configuration",
        object_id=row.pk,
        jurisdiction_id=row.jurisdiction_id,
        outcome="success",
        user=user,
        detail={
            "policy_id": row.policy_id,
            "version": row.version,
            "source": row.source[:200],
            "reactivated": reactivated,
        },
    )
    return row


@lru_cache(maxsize=64)
def _parsed(pk: int, policy_id: str, version: str) -> Policy:
    # A stored version never changes (policy_load refuses new text for a stored version),
    # so each is fetched and parsed once per process. The id and version are in the key so a
    # recreated database that reuses row numbers cannot be served a stale parse.
    return parse_policy(EligibilityPolicy.objects.values_list("text", flat=True).get(pk=pk))


def policy_active(*, jurisdiction_id: int) -> tuple[EligibilityPolicy, Policy]:
    """The active version row (id, policy id and version only) and its parsed policy.

    Asked of the database on every call, so a version loaded by any process is in force at
    once; only the parse is kept. One small indexed read, in SQL of its own: it runs with
    every screening, and building it through the ORM cost four times the query itself.
    """
    with connection.cursor() as cursor:
        cursor.execute(_ACTIVE_SQL, [jurisdiction_id, True])
        found = cursor.fetchone()
    if found is None:
        raise NoPolicy("no eligibility policy is loaded for this jurisdiction")
    pk, policy_id, version = found
    # As the ORM would load it with .only(): the other fields are read if ever asked for.
    row = EligibilityPolicy.from_db(
        connection.alias,
        ["id", "jurisdiction_id", "policy_id", "version"],
        [pk, jurisdiction_id, policy_id, version],
    )
    return row, _parsed(pk, policy_id, version)


_ACTIVE_SQL = (
    f"SELECT id, policy_id, version FROM {EligibilityPolicy._meta.db_table}"  # noqa: S608
    " WHERE jurisdiction_id = %s AND active = %s"
)
