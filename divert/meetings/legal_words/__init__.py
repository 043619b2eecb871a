"""Health and substance-use words that text read by enforcement may not carry.

A prosecutor, defender or officer reads some free text (a meeting item's legal line, the
plan's barriers under a release, legal matters, a hold's decision): LEAD's First Golden Rule
keeps health and substance-use detail out of it. The list is a data file (`default.toml`
here), and a site adds to it, or replaces it, in `<site slug>.toml` beside it:

    words = ["..."]          # more words for this site
    allow = ["..."]          # legal phrases holding a listed word ("treatment court")
    replace_default = false  # true: use only this site's words and phrases

Text is read folded (`normalise.py`): case, accents, full-width forms, invisible characters
and lookalike Cyrillic or Greek letters do not hide a word, any punctuation (a hyphen too)
separates words, and a word spelled out letter by letter ("h e r o i n") reads as one. A word
mixing Latin with Cyrillic or Greek letters is refused as such.

Pure Python: no Django.
"""

import re
import tomllib
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from divert.meetings.legal_words.normalise import as_latin, folded, mixes_scripts

HERE = Path(__file__).resolve().parent
KEYS = ("words", "allow")

# A letter or digit: anything else (space, hyphen, slash, underscore...) separates words.
_ALNUM = r"[^\W_]"
# Three or more lone letters in a row ("h e r o i n", "H.I.V."), read as one word too.
_SPELLED_OUT = re.compile(rf"(?<!{_ALNUM}){_ALNUM}(?:[\W_]{{1,3}}{_ALNUM}(?!{_ALNUM})){{2,}}")


def _read(path: Path) -> dict:
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    for key in KEYS:
        values = data.get(key, [])
        if not isinstance(values, list) or not all(
            isinstance(w, str) and w.strip() for w in values
        ):
            raise ValueError(f"{path}: `{key}` must be a list of non-empty strings")
    unknown = set(data) - {*KEYS, "replace_default"}
    if unknown:
        raise ValueError(f"{path}: unknown key(s) {', '.join(sorted(unknown))}")
    return data


@lru_cache(maxsize=64)
def lists_for(site_slug: str = "") -> dict[str, tuple[str, ...]]:
    default = _read(HERE / "default.toml")
    lists = {key: list(default.get(key, [])) for key in KEYS}
    own = HERE / f"{site_slug}.toml" if re.fullmatch(r"[a-z0-9-]+", site_slug or "") else None
    if own is not None and own.is_file():
        data = _read(own)
        for key in KEYS:
            mine = list(data.get(key, []))
            lists[key] = mine + ([] if data.get("replace_default") else lists[key])
    return {key: tuple(dict.fromkeys(w.strip() for w in values)) for key, values in lists.items()}


def words_for(site_slug: str = "") -> tuple[str, ...]:
    """The words refused at this site: the default list and the site's own."""
    return lists_for(site_slug)["words"]


def allowed_for(site_slug: str = "") -> tuple[str, ...]:
    """Legal phrases that hold a listed word and are not refused for it ("treatment court")."""
    return lists_for(site_slug)["allow"]


@lru_cache(maxsize=64)
def _pattern(phrases: tuple[str, ...]) -> re.Pattern | None:
    """One pattern for the phrases, folded like the text; any separators between words."""
    spelled = set()
    for phrase in phrases:
        parts = re.split(r"[\W_]+", as_latin(folded(phrase)[0]))
        spelled.add(r"[\W_]+".join(re.escape(p) for p in parts if p))
    spelled.discard("")
    if not spelled:
        return None
    longest_first = sorted(spelled, key=len, reverse=True)
    return re.compile(rf"(?<!{_ALNUM})(?:{'|'.join(longest_first)})(?!{_ALNUM})", re.DOTALL)


def first_health_word(text: str, site_slug: str = "") -> str | None:
    """The first listed word in `text`, as written there; None when there is none.

    >>> first_health_word("FTA warrant; on methadone since May")
    'methadone'
    >>> first_health_word("Possession charge: defender asks for drug court") is None
    True
    >>> first_health_word("heroin-addicted")
    'heroin'
    """
    pattern = _pattern(words_for(site_slug))
    if pattern is None or not text:
        return None
    plain, where = folded(text)
    latin = as_latin(plain)
    allowed = _pattern(allowed_for(site_slug))
    if allowed is not None:  # blank the legal phrases out, keeping every position
        latin = allowed.sub(lambda m: " " * len(m.group(0)), latin)
    found = pattern.search(latin)
    if found is None:
        found = next(
            (
                run
                for run in _SPELLED_OUT.finditer(latin)
                if pattern.fullmatch(re.sub(r"[\W_]+", "", run.group(0)))
            ),
            None,
        )
    if found is None:
        return None
    return text[where[found.start()] : where[found.end() - 1] + 1]


def first_mixed_word(text: str) -> str | None:
    """The first word mixing Latin letters with Cyrillic or Greek ones, as written.

    >>> first_mixed_word("warrant h\u0435ld")
    'hеld'
    >>> first_mixed_word("Ivanov (Иванов) warrant") is None
    True
    """
    plain, where = folded(text)
    for word in re.finditer(r"[^\W\d_]+", plain):
        if mixes_scripts(word.group(0)):
            return text[where[word.start()] : where[word.end() - 1] + 1]
    return None


def refusal(text: str, site_slug: str = "") -> str | None:
    """Why `text` may not go where enforcement reads it, in a few words; None when it may."""
    word = first_health_word(text, site_slug)
    if word:
        return f'leave out "{word}" (no health or substance-use detail)'
    mixed = first_mixed_word(text)
    if mixed:
        return f'"{mixed}" mixes alphabets: write it in one'
    return None


# Shown to enforcement in place of stored text that fails the check (written before the
# check, or before a word joined the list): the case team sees it and can correct it.
WITHHELD = "(withheld: it holds health or substance-use detail; the case manager can correct it)"


def check_into(
    errors: dict, field: str, text: str, site_slug: str, *, read_by: str, hint: str
) -> None:
    """Add a field error naming the refused word when `text` fails the check."""
    why = None if field in errors else refusal(text, site_slug)
    if why:
        errors[field] = f"{read_by}: {why}; {hint}."


def as_shown(text: str, site_slug: str = "") -> str:
    """`text` as enforcement may read it: withheld when it fails the check now."""
    return WITHHELD if text and refusal(text, site_slug) else text


def withhold(records: list, fields: tuple[str, ...], site_slug: Callable[[Any], str]) -> list:
    """`records` with each of `fields` as enforcement may read it (as_shown), in place: for
    reading, never for saving."""
    for record in records:
        slug = site_slug(record)
        for name in fields:
            setattr(record, name, as_shown(getattr(record, name), slug))
    return records
