"""One error shape for validation problems: a list of {field, message}."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def field_errors(exc: ValidationError) -> list[dict[str, str]]:
    """Flatten a Django ValidationError into [{"field": ..., "message": ...}].

    >>> field_errors(ValidationError({"grams": "must be positive"}))
    [{'field': 'grams', 'message': 'must be positive'}]
    """
    if hasattr(exc, "error_dict"):
        return [
            {"field": "" if name == NON_FIELD_ERRORS else name, "message": message}
            for name, errors in exc.error_dict.items()
            for error in errors
            for message in error.messages
        ]
    return [{"field": "", "message": message} for message in exc.messages]


# Where ninja puts a request part in an error location; the client only needs the field path.
_LOCATION_ROOTS = {"body", "query", "path", "header", "cookie", "form", "payload"}


def schema_errors(errors: list[dict]) -> list[dict[str, str]]:
    """Turn pydantic/ninja errors into the same shape, with dotted field paths.

    >>> schema_errors([{"loc": ("body", "payload", "offenses", 0, "grams"), "msg": "too big"}])
    [{'field': 'offenses.0.grams', 'message': 'too big'}]
    """
    out = []
    for error in errors:
        loc = list(error.get("loc", ()))
        while loc and loc[0] in _LOCATION_ROOTS:
            loc.pop(0)
        out.append({"field": ".".join(str(part) for part in loc), "message": error["msg"]})
    return out
