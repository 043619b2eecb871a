"""Finding a person from what an officer types: blocking keys and a fuzzy score.

Pure Python. Keys are phonetic (Soundex) so spelling slips still meet; the first name is
put through the nickname table first, so "Bob Smith" meets "Robert Smith". Each name is
keyed in both orders, so a swapped first and last name still meets.

>>> sorted(name_keys("Bob", "Smith-Jones"))[:3]
['L:J520', 'L:S530', 'N:J520:R163']
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

import jellyfish
from rapidfuzz import fuzz

from divert.nicknames import NICKNAMES

_CANONICAL = {nick.lower(): formal for formal, nicks in NICKNAMES.items() for nick in nicks}
_SPLIT = re.compile(r"[\s\-']+")


def canonical_first(name: str) -> str:
    return _CANONICAL.get(name.strip().lower(), name.strip())


def _sdx(token: str) -> str:
    token = re.sub(r"[^A-Za-z]", "", token)
    return jellyfish.soundex(token) if token else ""


def _parts(name: str) -> list[str]:
    return [p for p in _SPLIT.split(name.strip()) if p]


def name_keys(first: str, last: str) -> set[str]:
    """Blocking keys for one name: every (first, last-part) pair both ways, and each last part."""
    firsts = {_sdx(canonical_first(p)) for p in _parts(first)[:1]} - {""}
    lasts = {_sdx(p) for p in _parts(last)} - {""}
    keys = {f"L:{s}" for s in lasts}
    keys |= {f"N:{f}:{s}" for f in firsts for s in lasts}
    keys |= {f"N:{s}:{f}" for f in firsts for s in lasts}
    return keys


def query_keys(text: str) -> set[str]:
    """Keys to look up for what was typed: a full-name pair if two or more words, else a surname."""
    tokens = _parts(text)
    if not tokens:
        return set()
    if len(tokens) == 1:
        return {f"L:{_sdx(tokens[0])}"} - {"L:"}
    return name_keys(tokens[0], tokens[-1]) - {f"L:{_sdx(tokens[-1])}"}


@dataclass(frozen=True)
class Candidate:
    person_id: int
    names: tuple[str, ...]  # legal name first, then aliases
    date_of_birth: dt.date | None


def score(query: str, candidate: Candidate, dob: dt.date | None = None) -> float:
    """0–100: the best name similarity over legal name and aliases, nudged by date of birth."""
    return max(0.0, min(100.0, _raw_score(query, candidate, dob)))


def _raw_score(query: str, candidate: Candidate, dob: dt.date | None) -> float:
    # Uncapped, so an exact name with the exact date of birth outranks one with only the year.
    tokens = _parts(query)
    if tokens:
        tokens[0] = canonical_first(tokens[0])
    text = " ".join(tokens).lower()
    best = max((_similarity(text, _normal(name)) for name in candidate.names), default=0.0)
    if dob and candidate.date_of_birth:
        if candidate.date_of_birth == dob:
            best += 15
        elif candidate.date_of_birth.year == dob.year:
            best += 5
        elif _transposed(candidate.date_of_birth, dob):
            best += 8
        else:
            best -= 15
    return best


def _similarity(query: str, name: str) -> float:
    # token_set lets "jones" meet "robert jones"; a small discount keeps whole-name matches first.
    return max(fuzz.token_sort_ratio(query, name), fuzz.token_set_ratio(query, name) - 5)


def _normal(name: str) -> str:
    tokens = _parts(name)
    if tokens:
        tokens[0] = canonical_first(tokens[0])
    return " ".join(tokens).lower()


def _transposed(a: dt.date, b: dt.date) -> bool:
    # Day and month swapped, a common keying slip.
    return a.year == b.year and a.month == b.day and a.day == b.month


def rank(
    query: str,
    candidates: Iterable[Candidate],
    dob: dt.date | None = None,
    *,
    limit: int = 10,
    threshold: float = 60.0,
) -> list[tuple[Candidate, float]]:
    """The best candidates at or above `threshold`, best first, with scores capped at 100."""
    scored = [(c, _raw_score(query, c, dob)) for c in candidates]
    scored = [pair for pair in scored if pair[1] >= threshold]
    scored.sort(key=lambda pair: (-pair[1], pair[0].person_id))
    return [(c, min(100.0, s)) for c, s in scored[:limit]]
