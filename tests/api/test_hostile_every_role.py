"""Hostile input to every API operation, as every role: a clear 4xx, never a 5xx.

The strings and values that once gave 500s (a lone surrogate, NUL, text longer than its
column, dates in the year 9999 or without an offset, ids that are not numbers, lists of
thousands) are put into every field of every operation's request, one kind at a time.
"""

import json
import re

import pytest

from divert.field.policies import policy_load
from divert.staff.roles import Role
from tests.api.casework_ids import casework_ids
from tests.api.openapi import instance, operations, resolve
from tests.conftest import local_today
from tests.field.conftest import POLICIES

HOSTILE_TEXT = {
    "lone surrogate": "\ud800",
    "nul": "a\x00b",
    "too long": "x" * 5_000,
}
HOSTILE_VALUES = {
    "far future date": "9999-12-31",
    "naive far future": "9999-12-31T00:00:00",
    "not a number": "abc",
    "huge number": 2**70,
    "negative": -1,
}


def _mutated(value, schema: dict, kind: str):
    """`value` with every field replaced by the hostile `kind` that fits its type."""
    schema = resolve(schema)
    if schema.get("type") == "object" and isinstance(value, dict):
        props = schema.get("properties", {})
        return {k: _mutated(value.get(k), props[k], kind) for k in props}
    if schema.get("type") == "array":
        return [_mutated(None, schema.get("items", {}), kind)] * 10_000 if kind == "many" else []
    if kind in HOSTILE_TEXT:
        return HOSTILE_TEXT[kind]
    return HOSTILE_VALUES.get(kind, value)


KINDS = [*HOSTILE_TEXT, *HOSTILE_VALUES, "many"]
# The same, as they arrive in a query string (a surrogate's UTF-8 bytes are not valid UTF-8).
QUERY_FORMS = {
    "lone surrogate": "%ED%A0%80",
    "nul": "a%00b",
    "too long": "x" * 5_000,
    "far future date": "9999-12-31",
    "naive far future": "9999-12-31T00:00:00",
    "not a number": "abc",
    "huge number": str(2**70),
    "negative": "-1",
    "many": "&".join(["x=1"] * 1_000),
}


@pytest.fixture
def targets(site, participant):
    policy_load(jurisdiction=site["site"], text=(POLICIES / "seattle-2011.toml").read_text())
    return {
        "person_id": participant["person"].pk,
        "enrollment_id": participant["enrollment"].pk,
        "referral_id": participant["referral"].pk,
        "hold_id": participant["hold"].pk,
        "encounter_id": participant["encounter"].pk,
        "screening_id": 1,
        **casework_ids(site, participant),
    }


@pytest.mark.slow  # about two thousand requests
@pytest.mark.parametrize(
    ("method", "path", "op", "body"),
    [pytest.param(*o, id=f"{o[0].upper()} {o[1]}") for o in operations()],
)
def test_hostile_values_in_every_field_never_give_a_server_error(
    client, site, targets, method, path, op, body
):
    base_url = re.sub(r"{(\w+)}", lambda m: str(targets.get(m.group(1), 1)), path)
    base_body = instance(body, "", targets, local_today()) if body else None
    queries = [p["name"] for p in op.get("parameters", []) if p["in"] == "query"]
    for role in Role:
        client.force_login(site["users"][role])
        for kind in KINDS:
            query = "&".join(f"{q}={QUERY_FORMS[kind]}" for q in queries)
            url = f"{base_url}?{query}" if query else base_url
            call = getattr(client, method)
            if base_body is None:
                response = call(url)
            else:
                payload = json.dumps(_mutated(base_body, body, kind))
                response = call(url, payload, content_type="application/json")
            assert response.status_code < 500, (role.value, kind, response.content[:300])
