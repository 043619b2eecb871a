"""Hashing and verifying the audit chain. Pure Python over plain dicts.

>>> h = entry_hash(GENESIS, {"id": 1, "action": "view"})
>>> len(h)
64
"""

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64

# The fields that are sealed into each entry's hash, in a fixed order.
SEALED_FIELDS = (
    "id",
    "at",
    "actor_id",
    "actor",
    "jurisdiction_id",
    "action",
    "kind",
    "object_id",
    "purpose",
    "origin",
    "component",
    "outcome",
    "detail",
)


def entry_hash(prev_hash: str, fields: Mapping[str, Any]) -> str:
    sealed = {name: fields.get(name) for name in SEALED_FIELDS}
    payload = json.dumps(sealed, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256((prev_hash + payload).encode()).hexdigest()


@dataclass(frozen=True)
class Break:
    entry_id: int
    problem: str


def first_break(entries: Iterable[Mapping[str, Any]]) -> tuple[int, Break | None]:
    """Walk entries in id order; return how many were checked and the first broken one."""
    prev = GENESIS
    checked = 0
    for entry in entries:
        checked += 1
        if entry["prev_hash"] != prev:
            return checked, Break(entry["id"], "does not follow the entry before it")
        if entry_hash(prev, entry) != entry["hash"]:
            return checked, Break(entry["id"], "content does not match its hash")
        prev = entry["hash"]
    return checked, None
