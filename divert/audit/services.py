"""Writing and verifying the audit trail."""

from collections.abc import Iterator
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from divert.audit import chain
from divert.audit.context import current
from divert.audit.models import AuditEntry

# An arbitrary constant: the advisory lock that serialises appends on PostgreSQL.
_CHAIN_LOCK = 727_001


# What each role's reads are for when the request does not say (HIPAA purpose of use).
_ROLE_PURPOSES = {
    "officer": "field contact",
    "case_manager": "case management",
    "supervisor": "case management supervision",
    "prosecutor": "charge hold coordination",
    "defender": "defense coordination",
    "program_manager": "program operations",
    "evaluator": "evaluation",
    "administrator": "system administration",
    "partner": "referral follow-up",
}


def _default_purpose(user: Any) -> str:
    roles = getattr(user, "roles", None) or []
    return "; ".join(_ROLE_PURPOSES[r] for r in roles if r in _ROLE_PURPOSES)


def _sealed(entry: AuditEntry) -> dict[str, Any]:
    fields = {name: getattr(entry, name) for name in chain.SEALED_FIELDS}
    fields["at"] = entry.at.isoformat()
    return fields


def audit_record(
    *,
    action: str,
    kind: str,
    outcome: str,
    object_id: Any = "",
    jurisdiction_id: int | None = None,
    detail: dict | None = None,
    user: Any = None,
    purpose: str | None = None,
) -> AuditEntry:
    """Append one entry to the chain. Who, from where and why default to the current context."""
    ctx = current()
    user = user if user is not None else ctx.user
    authenticated = bool(user is not None and getattr(user, "is_authenticated", False))
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])
        last = AuditEntry.objects.order_by("-id").values_list("id", "hash").first()
        entry = AuditEntry(
            id=(last[0] + 1) if last else 1,
            at=timezone.now(),
            actor_id=user.pk if authenticated else None,
            actor=user.get_username() if authenticated else "",
            # Every entry names a site: the record's, else the acting account's.
            jurisdiction_id=jurisdiction_id
            if jurisdiction_id is not None
            else getattr(user, "jurisdiction_id", None),
            action=action,
            kind=kind,
            object_id=str(object_id or ""),
            purpose=(purpose if purpose is not None else ctx.purpose) or _default_purpose(user),
            origin=ctx.origin,
            component=ctx.component,
            outcome=outcome,
            detail=detail or {},
            prev_hash=last[1] if last else chain.GENESIS,
        )
        entry.hash = chain.entry_hash(entry.prev_hash, _sealed(entry))
        entry.save(force_insert=True)
    return entry


def _entries() -> Iterator[dict[str, Any]]:
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        fields = _sealed(entry)
        fields["prev_hash"] = entry.prev_hash
        fields["hash"] = entry.hash
        yield fields


def audit_verify() -> tuple[int, chain.Break | None]:
    """Check the whole chain; return the number checked and the first break, if any."""
    return chain.first_break(_entries())
