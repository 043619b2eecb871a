"""Open Referral HSDS 3.0 documents: reading them safely and validating them against the
specification's own schemas (copied into `schemas/`, resolved locally, never fetched).

Pure Python: no Django here.
"""

import functools
import json
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMAS = Path(__file__).parent / "schemas"

# The document kinds divert reads and writes: one object, or a page of them.
KINDS = (
    "organization",
    "service",
    "service_at_location",
    "organization_list",
    "service_list",
    "service_at_location_list",
)

MAX_BYTES = 20 * 1024 * 1024  # a whole county's directory is a few megabytes
MAX_DEPTH = 32  # the deepest HSDS nesting is about 10 levels
MAX_ERRORS = 100  # a hopeless file need not list every one of its problems


class Refused(Exception):
    """A document refused whole; `errors` lists each problem with its JSON path."""

    def __init__(self, errors: list[dict[str, str]]):
        super().__init__("; ".join(f"{e['field']}: {e['message']}" for e in errors[:5]))
        self.errors = errors


@functools.cache
def _registry() -> Registry:
    resources = []
    for path in SCHEMAS.glob("*.json"):
        contents = json.loads(path.read_text())
        resources.append((path.name, Resource.from_contents(contents, DRAFT202012)))
    return Registry().with_resources(resources)


def _schema(kind: str) -> dict:
    if kind.endswith("_list"):
        # A page (the specification's Page envelope) whose contents are list items.
        return {
            "$ref": "page.json",
            "type": "object",
            "required": ["contents"],
            "properties": {
                "contents": {"type": "array", "items": {"$ref": f"compiled_{kind}.json"}}
            },
        }
    return {"$ref": f"{kind}.json"}


@functools.cache
def validator(kind: str) -> Draft202012Validator:
    if kind not in KINDS:
        raise ValueError(f"unknown HSDS kind {kind!r}")
    return Draft202012Validator(
        _schema(kind), registry=_registry(), format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def list_item_fields(kind: str) -> frozenset[str]:
    """The properties the specification gives one item of a `kind` list."""
    schema = json.loads((SCHEMAS / f"compiled_{kind}_list.json").read_text())
    return frozenset(schema["properties"])


def errors(document: Any, kind: str) -> list[dict[str, str]]:
    """Every schema error in `document`, as {"field": JSON path, "message"}; [] when valid."""
    found = []
    for error in validator(kind).iter_errors(document):
        found.append({"field": error.json_path, "message": error.message[:300]})
        if len(found) >= MAX_ERRORS:
            break
    return sorted(found, key=lambda e: e["field"])


def _depth(value: Any) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        if level > MAX_DEPTH:
            return level
        if isinstance(item, dict):
            stack.extend((v, level + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, level + 1) for v in item)
    return deepest


def guess_kind(document: Any) -> str:
    """Which kind a document is, from its shape; the caller may say instead."""
    if isinstance(document, dict) and "contents" in document:
        items = document.get("contents") or [{}]
        first = items[0] if isinstance(items, list) and items else {}
        return f"{guess_kind(first)}_list"
    if not isinstance(document, dict):
        return "service"
    if "service" in document or "location" in document or "service_id" in document:
        return "service_at_location"
    if "status" in document or "organization" in document or "organization_id" in document:
        return "service"
    return "organization"


def read(raw: bytes | str, kind: str | None = None) -> tuple[str, Any]:
    """Parse and validate an HSDS document. Returns (kind, document) or raises Refused."""
    size = len(raw.encode() if isinstance(raw, str) else raw)
    if size > MAX_BYTES:
        raise Refused([{"field": "$", "message": f"file is larger than {MAX_BYTES} bytes"}])
    if kind is not None and kind not in KINDS:
        raise Refused([{"field": "kind", "message": f"must be one of {', '.join(KINDS)}"}])
    try:
        document = json.loads(raw)
    except RecursionError:
        raise Refused([{"field": "$", "message": "nested too deeply"}]) from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise Refused([{"field": "$", "message": f"not JSON: {exc}"}]) from None
    if _depth(document) > MAX_DEPTH:
        raise Refused([{"field": "$", "message": f"nested deeper than {MAX_DEPTH} levels"}])
    kind = kind or guess_kind(document)
    problems = errors(document, kind)
    if problems:
        raise Refused(problems)
    return kind, document
