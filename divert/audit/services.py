"""Writing and verifying the audit trail."""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from divert.audit import chain
from divert.audit.context import acting, current
from divert.audit.models import AuditEntry

# An arbitrary constant: the advisory lock that serialises appends on PostgreSQL.
_CHAIN_LOCK = 727_001

# Access checks and failed attempts are facts even when the work around them is undone:
# their entries must outlive a rolled-back transaction. Records of changes (`success`) must not.
KEPT_OUTCOMES = frozenset({"allowed", "denied", "failure"})


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


@dataclass
class _Scope:
    """What one request or command has written that a rollback could still take away."""

    kept: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    refused: bool = False


_scope: ContextVar[_Scope | None] = ContextVar("audit_scope", default=None)


def sealed_fields(entry: AuditEntry) -> dict[str, Any]:
    fields = {name: getattr(entry, name) for name in chain.SEALED_FIELDS}
    fields["at"] = entry.at.isoformat()
    return fields


def chain_lock() -> None:
    """Serialise appends to the chain until the transaction ends (SQLite: IMMEDIATE does it)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])


def _chain_end() -> tuple[int, str]:
    """The last entry's id and hash. Plain SQL: it runs with every append."""
    with connection.cursor() as cursor:
        cursor.execute(_END_SQL)
        last = cursor.fetchone()
    return (last[0], last[1]) if last else (0, chain.GENESIS)


_END_SQL = f"SELECT id, hash FROM {AuditEntry._meta.db_table} ORDER BY id DESC LIMIT 1"  # noqa: S608


def _insert(entries: list[AuditEntry]) -> None:
    """One INSERT of every entry, each value prepared as the ORM would save it."""
    fields = AuditEntry._meta.concrete_fields
    quote = connection.ops.quote_name
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    sql = (
        f"INSERT INTO {quote(AuditEntry._meta.db_table)}"  # noqa: S608
        f" ({', '.join(quote(f.column) for f in fields)}) VALUES {', '.join([row] * len(entries))}"
    )
    params = [
        f.get_db_prep_save(getattr(e, f.attname), connection) for e in entries for f in fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    for entry in entries:
        entry._state.adding, entry._state.db = False, connection.alias


def _append(batch: list[dict[str, Any]]) -> list[AuditEntry]:
    """Chain entries, in order, after the current last one: one lock, one read of the end and
    one insert however many there are. Each of `batch` holds everything but the chain."""
    # No savepoint inside a caller's transaction: an append that fails dooms the work with it.
    with transaction.atomic(savepoint=False):
        chain_lock()
        last_id, prev_hash = _chain_end()
        entries = []
        for fields in batch:
            entry = AuditEntry(id=last_id + 1, prev_hash=prev_hash, **fields)
            entry.hash = chain.entry_hash(entry.prev_hash, sealed_fields(entry))
            entries.append(entry)
            last_id, prev_hash = entry.id, entry.hash
        _insert(entries)
        every = settings.DIVERT_AUDIT_CHECKPOINT_EVERY
        if every and any(e.id % every == 0 for e in entries):
            from divert.audit.integrity import checkpoint_after_commit

            transaction.on_commit(checkpoint_after_commit)
    return entries


def _fields(
    *,
    action: str,
    kind: str,
    outcome: str,
    object_id: Any = "",
    jurisdiction_id: int | None = None,
    detail: dict | None = None,
    user: Any = None,
    purpose: str | None = None,
) -> dict[str, Any]:
    ctx = current()
    user = user if user is not None else ctx.user
    authenticated = bool(user is not None and getattr(user, "is_authenticated", False))
    return {
        "at": timezone.now(),
        "actor_id": user.pk if authenticated else None,
        "actor": user.get_username() if authenticated else "",
        # Every entry names a site: the record's, else the acting account's.
        "jurisdiction_id": jurisdiction_id
        if jurisdiction_id is not None
        else getattr(user, "jurisdiction_id", None),
        "action": str(action),
        "kind": str(kind),
        "object_id": str(object_id or ""),
        "purpose": (purpose if purpose is not None else ctx.purpose) or _default_purpose(user),
        "origin": ctx.origin,
        "component": ctx.component,
        "outcome": str(outcome),
        "detail": detail or {},
    }


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
    """Append one entry to the chain. Who, from where and why default to the current context.

    An access check or failed attempt (`KEPT_OUTCOMES`) written inside a transaction is also
    remembered by the enclosing `audit_scope`, which writes it again if the transaction is
    rolled back.
    """
    record = {
        "action": action,
        "kind": kind,
        "outcome": outcome,
        "object_id": object_id,
        "jurisdiction_id": jurisdiction_id,
        "detail": detail,
        "user": user,
        "purpose": purpose,
    }
    return audit_records([record])[0]


def audit_records(records: list[dict[str, Any]]) -> list[AuditEntry]:
    """Append several entries, in order, each as `audit_record` would write it from the same
    keyword arguments, in one append: the chain's lock is taken once for all of them."""
    batch = [_fields(**record) for record in records]
    if not batch:
        return []
    entries = _append(batch)
    scope = _scope.get()
    if scope is not None:
        kept = []
        for entry, fields in zip(entries, batch, strict=True):
            if fields["outcome"] == "denied":
                scope.refused = True
            if fields["outcome"] in KEPT_OUTCOMES and connection.in_atomic_block:
                kept.append((entry.hash, fields))
        if kept:
            scope.kept.extend(kept)
            # Once committed they are safe: nothing needs checking for them at the end.
            transaction.on_commit(lambda: _settled(scope, {h for h, _ in kept}))
    return entries


def _settled(scope: _Scope, hashes: set[str]) -> None:
    scope.kept = [(h, fields) for h, fields in scope.kept if h not in hashes]


def _restore_rolled_back(scope: _Scope) -> None:
    """Write again the kept entries that a rollback took away, in their original order."""
    kept, scope.kept = scope.kept, []
    if not kept:
        return
    hashes = [h for h, _ in kept]
    present: set[str] = set()
    for start in range(0, len(hashes), 500):
        chunk = hashes[start : start + 500]
        present.update(AuditEntry.objects.filter(hash__in=chunk).values_list("hash", flat=True))
    lost = [
        {**fields, "detail": {**fields["detail"], "rolled_back": True}}
        for entry_hash, fields in kept
        if entry_hash not in present
    ]
    if lost:
        _append(lost)


@contextmanager
def audit_scope(**context: Any):
    """Run one request or command: set the audit context, and keep its refusals.

    The database holds one writer at a time (SQLite) and an entry written inside a transaction
    goes with it, so a refusal cannot be saved apart from the work it refused. Instead the
    scope remembers it and, once the work is over, writes it again if it was rolled back.
    """
    scope = _Scope()
    token = _scope.set(scope)
    try:
        with acting(**context):
            try:
                yield scope
            finally:
                if not connection.needs_rollback:
                    _restore_rolled_back(scope)
    finally:
        _scope.reset(token)
