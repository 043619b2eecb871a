"""The exceptions and error shapes of the eligibility package.

>>> str(PolicyError("unknown key", key="drugs.max_gram", line=12, source="sf.toml"))
'sf.toml, line 12: drugs.max_gram: unknown key'
"""

from __future__ import annotations

from pydantic import ValidationError


class PolicyError(ValueError):
    """A policy file that cannot be used. Names the key and its line where it can."""

    def __init__(
        self,
        message: str,
        *,
        key: str | None = None,
        line: int | None = None,
        source: str = "<policy>",
        problems: list[dict] | None = None,
    ) -> None:
        self.message = message
        self.key = key
        self.line = line
        self.source = source
        # Every problem found, each {"key", "line", "message"}; the attributes above
        # describe the first one.
        self.problems = problems or [{"key": key, "line": line, "message": message}]
        where = source if line is None else f"{source}, line {line}"
        super().__init__(f"{where}: {key}: {message}" if key else f"{where}: {message}")


def field_path(loc: tuple) -> str:
    """Join a pydantic location into a dotted path, e.g. offenses.0.grams."""
    return ".".join(str(part) for part in loc if part != "[key]")


def friendly_message(error: dict, noun: str = "field") -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "missing":
        return f"required {noun} is missing"
    msg = error["msg"]
    if kind == "literal_error":
        # Say what was given: the allowed list alone hides a typo.
        return f"{msg}, not {error['input']!r}"
    # Our own validators raise ValueError; pydantic prefixes those, which reads as noise.
    return msg.removeprefix("Value error, ")


def validation_errors(exc: ValidationError) -> list[dict[str, str]]:
    """Turn a pydantic ValidationError into [{"field", "message"}], one per problem.

    >>> from divert.eligibility.case import Case
    >>> try:
    ...     Case.model_validate({"date": "2026-03-14", "person": {"date_of_birth": "1984"},
    ...                          "offenses": [{"nibrs": "35A", "activity": "possess",
    ...                                        "grams": -1}]})
    ... except ValidationError as e:
    ...     validation_errors(e)
    [{'field': 'offenses.0.grams', 'message': 'Input should be greater than or equal to 0'}]
    """
    return [{"field": field_path(e["loc"]), "message": friendly_message(e)} for e in exc.errors()]
