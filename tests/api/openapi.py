"""Reading the API's own OpenAPI document: every operation, and a minimal valid body for each."""

import datetime

from divert.api import api

SPEC = api.get_openapi_schema()


def resolve(schema: dict) -> dict:
    """Follow $ref, and take the non-null branch of an Optional."""
    while "$ref" in schema:
        schema = SPEC["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    if "allOf" in schema:
        return resolve(schema["allOf"][0])
    if "anyOf" in schema:
        return resolve(next(s for s in schema["anyOf"] if s.get("type") != "null"))
    return schema


def instance(schema: dict, name: str, ids: dict, today: datetime.date):
    """A minimal valid value for `schema`; fields named in `ids` take those values."""
    schema = resolve(schema)
    if name in ids:
        return ids[name]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        props = schema.get("properties", {})
        return {k: instance(props[k], k, ids, today) for k in schema.get("required", [])}
    if kind == "array":
        item = instance(schema.get("items", {}), name, ids, today)
        return [item] if schema.get("minItems") else []
    if kind in ("integer", "number"):
        return 1
    if kind == "boolean":
        return True
    if schema.get("format") == "date":
        return today.isoformat()
    if schema.get("format") == "date-time":
        return datetime.datetime.now(datetime.UTC).isoformat()
    return "x"


def operations():
    """(method, path, operation, request body schema or None) for every operation."""
    for path, methods in SPEC["paths"].items():
        for method, op in methods.items():
            body = op.get("requestBody", {}).get("content", {}).get("application/json")
            yield method, path, op, (body["schema"] if body else None)


def body_fields(schema: dict | None) -> set[str]:
    return set(resolve(schema).get("properties", {})) if schema else set()
