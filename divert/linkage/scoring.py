"""The engine's scoring, in-process, for a handful of candidates at a time.

Pure Python. Splink evaluates a trained model's comparison levels in DuckDB; building a
Splink linker for each officer's lookup would cost more than the lookup's whole budget. A
`Scorer` reads the same model's comparison levels and Bayes factors (through Splink's own
settings object, so defaults and fixed values are Splink's) and evaluates each level's SQL
condition in Python, first matching level wins, as Splink's CASE does. Every condition the
settings use has a Python form here; a level with an unknown form refuses to build (a test
checks the shipped model, and that its weights equal Splink's on sample pairs).

>>> scorer = Scorer(engine.load())                                   # doctest: +SKIP
>>> scorer.weight(record(query), record(candidate))                  # doctest: +SKIP
21.7
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

from divert.linkage.engine import LinkageError, Model

Row = dict[str, Any]
Test = Callable[[Row, Row], bool]

_COL = r'"(\w+)_l"\s*'
_COLR = r'"(\w+)_r"'
_ATOMS: list[tuple[re.Pattern[str], Callable[..., Test]]] = [
    (re.compile(rf"^{_COL}IS NULL$"), lambda a: lambda x, y: x.get(a) is None),
    (re.compile(rf"^{_COLR}\s*IS NULL$"), lambda a: lambda x, y: y.get(a) is None),
    (
        re.compile(rf"^{_COL}=\s*{_COLR}$"),
        lambda a, b: lambda x, y: (v := x.get(a)) is not None and v == y.get(b),
    ),
    (
        re.compile(rf"^jaro_winkler_similarity\({_COL},\s*{_COLR}\)\s*>=\s*([\d.]+)$"),
        lambda a, b, t: (
            lambda x, y: (
                _both(x.get(a), y.get(b)) and JaroWinkler.similarity(x[a], y[b]) >= float(t)
            )
        ),
    ),
    (
        re.compile(rf"^damerau_levenshtein\({_COL},\s*{_COLR}\)\s*<=\s*(\d+)$"),
        lambda a, b, k: (
            lambda x, y: (
                _both(x.get(a), y.get(b)) and DamerauLevenshtein.distance(x[a], y[b]) <= int(k)
            )
        ),
    ),
    (
        re.compile(rf"^array_length\(list_intersect\({_COL},\s*{_COLR}\)\)\s*>=\s*1$"),
        lambda a, b: lambda x, y: _both(x.get(a), y.get(b)) and not set(x[a]).isdisjoint(y[b]),
    ),
    (
        re.compile(rf"^starts_with\({_COL},\s*{_COLR}\)$"),
        lambda a, b: lambda x, y: _both(x.get(a), y.get(b)) and x[a].startswith(y[b]),
    ),
    (
        re.compile(rf'^starts_with\({_COLR},\s*"(\w+)_l"\)$'),
        lambda b, a: lambda x, y: _both(x.get(a), y.get(b)) and y[b].startswith(x[a]),
    ),
    (
        re.compile(rf"^abs\({_COL}-\s*{_COLR}\)\s*<=\s*(\d+)$"),
        lambda a, b, k: lambda x, y: _both(x.get(a), y.get(b)) and abs(x[a] - y[b]) <= int(k),
    ),
]


def _both(x: object, y: object) -> bool:
    return x is not None and y is not None


def _split(text: str, word: str) -> list[str]:
    """Split at top-level ` AND ` / ` OR ` (outside parentheses)."""
    parts, depth, start, i = [], 0, 0, 0
    token = f" {word} "
    while i < len(text):
        c = text[i]
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif depth == 0 and text.startswith(token, i):
            parts.append(text[start:i])
            i += len(token)
            start = i
            continue
        i += 1
    parts.append(text[start:])
    return [p.strip() for p in parts]


def _unwrap(text: str) -> str:
    text = text.strip()
    while text.startswith("(") and text.endswith(")") and _balanced(text[1:-1]):
        text = text[1:-1].strip()
    return text


def _balanced(text: str) -> bool:
    depth = 0
    for c in text:
        depth += (c == "(") - (c == ")")
        if depth < 0:
            return False
    return depth == 0


def condition(sql: str) -> Test:
    """A Python test for one level's SQL condition; LinkageError if it has no Python form."""
    sql = _unwrap(sql)
    ors = _split(sql, "OR")
    if len(ors) > 1:
        tests = [condition(p) for p in ors]
        return lambda x, y: any(t(x, y) for t in tests)
    ands = _split(sql, "AND")
    if len(ands) > 1:
        tests = [condition(p) for p in ands]
        return lambda x, y: all(t(x, y) for t in tests)
    for pattern, make in _ATOMS:
        found = pattern.match(sql)
        if found:
            return make(*found.groups())
    raise LinkageError(f"no in-process form for the comparison condition: {sql}")


class Scorer:
    """A trained model's match weight for pairs of prepared records (prepare.record)."""

    def __init__(self, model: Model) -> None:
        from splink.internals.settings_creator import SettingsCreator

        if not model.trained:
            raise LinkageError("the model is not trained")
        settings = SettingsCreator.from_path_or_dict(model.splink).get_settings("duckdb")
        prior = settings._probability_two_random_records_match
        self.prior = math.log2(prior / (1 - prior))
        self.version = model.version
        self.comparisons: list[list[tuple[Test | None, float]]] = []
        for comparison in settings.comparisons:
            levels: list[tuple[Test | None, float]] = []
            for level in comparison.comparison_levels:
                test = None if level._is_else_level else condition(level.sql_condition)
                factor = level._bayes_factor
                if factor is None:
                    raise LinkageError(f"level without m or u: {level.label_for_charts}")
                levels.append((test, 0.0 if level.is_null_level else _log2(factor)))
            self.comparisons.append(levels)

    def weight(self, left: Row, right: Row) -> float:
        """Splink's match weight: the prior plus each comparison's first matching level."""
        total = self.prior
        for levels in self.comparisons:
            for test, weight in levels:
                if test is None or test(left, right):
                    total += weight
                    break
        return total


def probability(weight: float) -> float:
    return 1 / (1 + 2 ** (-weight))


def _log2(factor: float) -> float:
    if factor == math.inf:
        return 1e3
    if factor <= 0:
        return -1e3
    return math.log2(factor)
