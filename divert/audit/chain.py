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
    """One thing wrong with the trail: at an entry, or (entry_id None) with the trail as a whole."""

    entry_id: int | None
    problem: str


@dataclass(frozen=True)
class Anchor:
    """What a signed checkpoint says an entry's hash was, and how to name that checkpoint."""

    entry_id: int
    entry_hash: str
    source: str


@dataclass(frozen=True)
class Walk:
    checked: int
    last_id: int
    breaks: tuple[Break, ...]


def walk(entries: Iterable[Mapping[str, Any]], anchors: Iterable[Anchor] = ()) -> Walk:
    """Walk entries in id order: numbering, links, seals, and the hashes checkpoints vouch for.

    The walk stops at the first broken link or seal (nothing after it can be trusted); an entry
    that differs from its checkpoint is reported and the walk goes on.
    """
    by_entry: dict[int, list[Anchor]] = {}
    for anchor in anchors:
        by_entry.setdefault(anchor.entry_id, []).append(anchor)
    prev, last_id, last_good_anchor, checked = GENESIS, 0, 0, 0
    breaks: list[Break] = []
    for entry in entries:
        checked += 1
        entry_id = entry["id"]
        if entry_id != last_id + 1:
            gap = (
                f"#{last_id + 1}"
                if entry_id == last_id + 2
                else f"#{last_id + 1} to #{entry_id - 1}"
            )
            breaks.append(Break(entry_id, f"entries are missing before it ({gap})"))
            break
        if entry["prev_hash"] != prev:
            breaks.append(Break(entry_id, "does not follow the entry before it"))
            break
        if entry_hash(prev, entry) != entry["hash"]:
            breaks.append(Break(entry_id, "content does not match its hash"))
            break
        for anchor in by_entry.get(entry_id, ()):
            if anchor.entry_hash != entry["hash"]:
                breaks.append(
                    Break(
                        entry_id,
                        f"does not have the hash {anchor.source} recorded: an entry from "
                        f"#{last_good_anchor + 1} to #{entry_id} was changed and the chain "
                        "re-hashed after it",
                    )
                )
            elif not breaks:
                last_good_anchor = entry_id
        prev, last_id = entry["hash"], entry_id
    return Walk(checked, last_id, tuple(breaks))


def first_break(entries: Iterable[Mapping[str, Any]]) -> tuple[int, Break | None]:
    """Walk entries in id order; return how many were checked and the first broken one."""
    result = walk(entries)
    return result.checked, (result.breaks[0] if result.breaks else None)
