"""Proving the trail whole: signed checkpoints, the head file, and the check that reads them.

The key that signs checkpoints is never stored in the database: it comes from DIVERT_AUDIT_KEY
or the key file (DIVERT_AUDIT_KEY_FILE, var/audit_key by default). The newest checkpoint is
also written to the head file (DIVERT_AUDIT_HEAD_FILE), which belongs outside the database
host, so that deleting entries and checkpoints together still shows.
"""

import logging
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from divert.audit import chain
from divert.audit.checkpoint import (
    Checkpoint,
    HeadUnreadable,
    head_read,
    head_write,
    sign,
    signature_ok,
)
from divert.audit.models import AuditCheckpoint, AuditEntry
from divert.audit.services import chain_lock, sealed_fields

log = logging.getLogger(__name__)


class NoAuditKey(Exception):
    """Neither DIVERT_AUDIT_KEY nor the key file gives a key."""


class NothingToCheckpoint(Exception):
    """The trail has no entries yet."""


def audit_key() -> bytes | None:
    if settings.DIVERT_AUDIT_KEY:
        return settings.DIVERT_AUDIT_KEY.encode()
    try:
        return Path(settings.DIVERT_AUDIT_KEY_FILE).read_bytes().strip() or None
    except FileNotFoundError:
        return None


def audit_key_create() -> Path:
    """Write a new random key file (readable by its owner only). Refuses to replace one."""
    path = Path(settings.DIVERT_AUDIT_KEY_FILE)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(secrets.token_hex(32) + "\n")
    return path


def _as_checkpoint(row: AuditCheckpoint) -> Checkpoint:
    return Checkpoint(row.pk, row.at.isoformat(), row.entry_id, row.entry_hash, row.signature)


def audit_checkpoint() -> Checkpoint:
    """Sign the chain's current end, store it, and write it to the head file."""
    key = audit_key()
    if key is None:
        raise NoAuditKey("no audit key: set DIVERT_AUDIT_KEY or create the key file")
    with transaction.atomic():
        chain_lock()
        last = AuditEntry.objects.order_by("-id").values_list("id", "hash").first()
        if last is None:
            raise NothingToCheckpoint("the audit trail has no entries yet")
        previous = AuditCheckpoint.objects.order_by("-id").first()
        if previous is not None and previous.entry_id == last[0]:
            cp = _as_checkpoint(previous)  # nothing new since: sign nothing twice
        else:
            at = timezone.now()
            number = previous.pk + 1 if previous else 1
            cp = sign(key, number=number, at=at.isoformat(), entry_id=last[0], entry_hash=last[1])
            AuditCheckpoint.objects.create(
                id=number, at=at, entry_id=cp.entry_id, entry_hash=cp.entry_hash,
                signature=cp.signature,
            )  # fmt: skip
    head_write(Path(settings.DIVERT_AUDIT_HEAD_FILE), cp)
    return cp


def checkpoint_after_commit() -> None:
    """The periodic checkpoint taken as the trail grows; only where a key is set up."""
    if audit_key() is None:
        return
    try:
        audit_checkpoint()
    except Exception:  # the entry is safe; a missed checkpoint must not fail the request
        log.exception("could not write the periodic audit checkpoint")


@dataclass
class Report:
    checked: int = 0
    last_id: int = 0
    checkpoints: int = 0
    head: Checkpoint | None = None
    problems: list[chain.Break] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems


def _entries() -> Iterator[dict[str, Any]]:
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        fields = sealed_fields(entry)
        fields["prev_hash"] = entry.prev_hash
        fields["hash"] = entry.hash
        yield fields


def _check_checkpoints(report: Report, stored: list[Checkpoint], key: bytes | None) -> None:
    head_path = Path(settings.DIVERT_AUDIT_HEAD_FILE)
    head = report.head
    if not stored and head is None:
        report.notes.append(
            "no checkpoints yet: entries cut from the end would not show "
            "(run `divert audit checkpoint`)"
        )
        return
    if key is None:
        report.problems.append(
            chain.Break(
                None,
                "no audit key (DIVERT_AUDIT_KEY or the key file), so the "
                "checkpoints' signatures cannot be checked",
            )  # fmt: skip
        )
    else:
        for cp in stored:
            if not signature_ok(key, cp):
                report.problems.append(
                    chain.Break(
                        cp.entry_id,
                        f"checkpoint #{cp.number} does not carry the audit "
                        "key's signature: it was altered or forged",
                    )  # fmt: skip
                )
        if head is not None and not signature_ok(key, head):
            report.problems.append(
                chain.Break(
                    None, f"the head file {head_path} does not carry the audit key's signature"
                )  # fmt: skip
            )
    for expected, cp in enumerate(stored, start=1):
        if cp.number != expected:
            report.problems.append(
                chain.Break(None, f"checkpoint #{expected} is missing from the database")
            )
            break
    if head is None:
        report.problems.append(
            chain.Break(
                None,
                f"the head file {head_path} is missing, though the database "
                f"holds {len(stored)} checkpoint(s)",
            )  # fmt: skip
        )
        return
    match = next((cp for cp in stored if cp.number == head.number), None)
    if match is None:
        report.problems.append(
            chain.Break(
                None,
                f"checkpoint #{head.number} (entry #{head.entry_id}, {head.at}), "
                "which the head file records, is missing from the database",
            )  # fmt: skip
        )
    elif match != head:
        report.problems.append(
            chain.Break(
                None, f"checkpoint #{head.number} in the database differs from the head file"
            )  # fmt: skip
        )


def audit_check() -> Report:
    """Check the chain, the signed checkpoints and the head file; name everything wrong."""
    report = Report()
    try:
        report.head = head_read(Path(settings.DIVERT_AUDIT_HEAD_FILE))
    except HeadUnreadable as exc:
        report.problems.append(chain.Break(None, f"the head file is unreadable ({exc})"))
    stored = [_as_checkpoint(row) for row in AuditCheckpoint.objects.order_by("id")]
    report.checkpoints = len(stored)
    _check_checkpoints(report, stored, audit_key())

    sources = [(cp, f"checkpoint #{cp.number} ({cp.at})") for cp in stored]
    if report.head is not None and report.head not in stored:
        sources.append((report.head, f"the head file's checkpoint #{report.head.number}"))
    anchors = [chain.Anchor(cp.entry_id, cp.entry_hash, source) for cp, source in sources]
    walked = chain.walk(_entries(), anchors)
    report.checked, report.last_id = walked.checked, walked.last_id
    report.problems[:0] = walked.breaks

    if sources and not walked.breaks:
        furthest, source = max(sources, key=lambda s: s[0].entry_id)
        if furthest.entry_id > walked.last_id:
            if walked.last_id == 0:
                problem = (f"the trail is empty, but {source} records entry #{furthest.entry_id}: "
                           "every entry was deleted")  # fmt: skip
            else:
                problem = (f"the trail ends at entry #{walked.last_id}, but {source} records "
                           f"entry #{furthest.entry_id}: entries #{walked.last_id + 1} to "
                           f"#{furthest.entry_id} were removed from the end")  # fmt: skip
            report.problems.insert(0, chain.Break(None, problem))
    return report


def audit_verify() -> tuple[int, chain.Break | None]:
    """The number of entries checked and the first problem, if any (see `audit_check`)."""
    report = audit_check()
    return report.checked, (report.problems[0] if report.problems else None)
