"""Signed checkpoints: the chain's length and last hash, sealed with a key the database lacks.

The hash chain shows that no entry was edited or removed from the middle. It cannot show that
entries were cut from the end, or that someone rewrote an entry and re-hashed every one after
it. A checkpoint can: it records "entry #N had hash H at time T", signed with HMAC-SHA256 under
a key kept outside the database, and the newest one is also written to a head file outside it.
Pure Python, no Django.

>>> cp = sign(b"k", number=1, at="2026-01-01T00:00:00+00:00", entry_id=5, entry_hash="ab" * 32)
>>> signature_ok(b"k", cp), signature_ok(b"other key", cp)
(True, False)
"""

import hashlib
import hmac
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

try:  # POSIX: serialise writers of the head file
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None


@dataclass(frozen=True)
class Checkpoint:
    number: int
    at: str
    entry_id: int
    entry_hash: str
    signature: str


def _payload(number: int, at: str, entry_id: int, entry_hash: str) -> bytes:
    fields = {"number": number, "at": at, "entry_id": entry_id, "entry_hash": entry_hash}
    return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()


def sign(key: bytes, *, number: int, at: str, entry_id: int, entry_hash: str) -> Checkpoint:
    signature = hmac.new(key, _payload(number, at, entry_id, entry_hash), hashlib.sha256)
    return Checkpoint(number, at, entry_id, entry_hash, signature.hexdigest())


def signature_ok(key: bytes, cp: Checkpoint) -> bool:
    expected = sign(key, number=cp.number, at=cp.at, entry_id=cp.entry_id, entry_hash=cp.entry_hash)
    return hmac.compare_digest(expected.signature, cp.signature)


class HeadUnreadable(Exception):
    """The head file exists but does not hold a checkpoint."""


def head_read(path: Path) -> Checkpoint | None:
    """The checkpoint in the head file, or None if there is no head file."""
    try:
        data = json.loads(path.read_text())
        return Checkpoint(**{name: data[name] for name in Checkpoint.__dataclass_fields__})
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise HeadUnreadable(f"{path}: {exc}") from None


def head_write(path: Path, cp: Checkpoint) -> bool:
    """Replace the head file with `cp` unless it already holds a newer one. Atomic on POSIX."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "a") as lock:
        if fcntl is not None:
            fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            current = head_read(path)
        except HeadUnreadable:
            current = None  # overwrite a damaged head; verify reports the gap, if any
        if current is not None and current.number >= cp.number:
            return False
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        with os.fdopen(fd, "w") as out:
            json.dump(asdict(cp), out, indent=1)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    return True
