"""Read a policy TOML file, refusing a broken one with the key and line at fault.

tomllib gives no positions for keys, so after validation fails we scan the text once,
tracking the current [table] and [[array]] index, to map each key path to its line.

>>> p = parse_policy(open("policies/santa-fe.toml").read())
>>> p.intake.deadline_days
7
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from pydantic import ValidationError

from divert.eligibility.errors import PolicyError, friendly_message
from divert.eligibility.policy import Policy

_BARE_OR_QUOTED = r'(?:[A-Za-z0-9_-]+|"[^"]*"|\'[^\']*\')'
_KEY = rf"{_BARE_OR_QUOTED}(?:\s*\.\s*{_BARE_OR_QUOTED})*"
_KEY_LINE = re.compile(rf"^\s*({_KEY})\s*=")
_INLINE_KEY = re.compile(rf"[{{,]\s*({_KEY})\s*=")
_TOML_LINE = re.compile(r"at line (\d+)")


def load_policy(path: str | Path) -> Policy:
    """Load and validate one policy file.

    >>> load_policy("policies/seattle-2011.toml").key
    ('seattle', '2011.1')
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PolicyError(f"cannot read policy file: {exc.strerror}", source=str(path)) from None
    return parse_policy(text, source=str(path))


def parse_policy(text: str, source: str = "<policy>") -> Policy:
    """Validate policy TOML text; raises PolicyError naming key and line."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = _TOML_LINE.search(str(exc))
        line = int(m.group(1)) if m else None
        raise PolicyError(f"not valid TOML: {exc}", line=line, source=source) from None
    try:
        return Policy.model_validate(data)
    except ValidationError as exc:
        raise _policy_error(exc, text, source) from None


def _policy_error(exc: ValidationError, text: str, source: str) -> PolicyError:
    lines = key_lines(text)
    problems = []
    # A misspelt key shows up twice: as an unknown key and as the missing real one.
    # Report the unknown key first, since that is the line to fix.
    order = {"extra_forbidden": 0, "missing": 2}
    errors = sorted(exc.errors(), key=lambda e: order.get(e["type"], 1))
    for error in errors:
        loc = tuple(part for part in error["loc"] if part != "[key]")
        problems.append(
            {
                "key": _display_key(loc),
                "line": _line_for(loc, lines),
                "message": friendly_message(error, noun="key"),
            }
        )
    first = problems[0]
    return PolicyError(
        first["message"], key=first["key"], line=first["line"], source=source, problems=problems
    )


def _display_key(loc: tuple) -> str:
    """("history", 1, "within_years") -> "history[1].within_years" (top level: "(top)")."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _line_for(loc: tuple, lines: dict[tuple, int]) -> int | None:
    # A missing key or a bad list element has no line of its own: point at the
    # closest enclosing key or table that does.
    for end in range(len(loc), 0, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None


def _split_key(key: str) -> tuple[str, ...]:
    parts = re.findall(_BARE_OR_QUOTED, key)
    return tuple(p[1:-1] if p[:1] in "\"'" else p for p in parts)


def key_lines(text: str) -> dict[tuple, int]:
    """Map each key path in TOML text to the 1-based line that defines it.

    >>> lines = key_lines('id = "x"\\n[drugs]\\nmax_grams = 3\\n[[history]]\\nname = "v"')
    >>> lines[("drugs", "max_grams")], lines[("history", 0, "name")]
    (3, 5)
    """
    found: dict[tuple, int] = {}
    table: tuple = ()
    array_index: dict[tuple, int] = {}
    in_multiline_string = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line.count('"""') % 2 == 1 or line.count("'''") % 2 == 1:
            was_inside = in_multiline_string
            in_multiline_string = not in_multiline_string
            if was_inside:
                continue
        elif in_multiline_string:
            continue
        if not line or line.startswith("#"):
            continue
        if line.startswith("[["):
            name = _split_key(line[2 : line.find("]]")])
            index = array_index.get(name, -1) + 1
            array_index[name] = index
            table = (*name, index)
            found.setdefault(table, number)
            continue
        if line.startswith("["):
            table = _split_key(line[1 : line.find("]")])
            # A sub-table of an array-of-tables ([history.extra]) belongs to the last item.
            if table[:1] and (table[0],) in array_index:
                table = (table[0], array_index[(table[0],)], *table[1:])
            found.setdefault(table, number)
            continue
        m = _KEY_LINE.match(line)
        if m is None:
            continue
        path = (*table, *_split_key(m.group(1)))
        found.setdefault(path, number)
        rest = line[m.end() :]
        if rest.lstrip().startswith("{"):
            for inner in _INLINE_KEY.finditer(rest):
                found.setdefault((*path, *_split_key(inner.group(1))), number)
    return found
