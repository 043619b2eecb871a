"""Health and substance-use words a meeting item's legal line may not carry.

A prosecutor or defender reads that line; the list is a data file (`default.toml` here), and
a site adds to it, or replaces it, in `<site slug>.toml` beside it:

    words = ["..."]          # more words for this site
    replace_default = false  # true: use only this site's words

Pure Python: no Django.
"""

import re
import tomllib
from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _read(path: Path) -> dict:
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    words = data.get("words", [])
    if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
        raise ValueError(f"{path}: `words` must be a list of non-empty strings")
    unknown = set(data) - {"words", "replace_default"}
    if unknown:
        raise ValueError(f"{path}: unknown key(s) {', '.join(sorted(unknown))}")
    return data


@lru_cache(maxsize=64)
def words_for(site_slug: str = "") -> tuple[str, ...]:
    """The words refused in a legal line at this site: the default list and the site's own."""
    words = list(_read(HERE / "default.toml")["words"])
    own = HERE / f"{site_slug}.toml" if re.fullmatch(r"[a-z0-9-]+", site_slug or "") else None
    if own is not None and own.is_file():
        data = _read(own)
        words = list(data["words"]) + ([] if data.get("replace_default") else words)
    return tuple(dict.fromkeys(w.strip() for w in words))


@lru_cache(maxsize=64)
def _pattern(words: tuple[str, ...]) -> re.Pattern | None:
    if not words:
        return None
    spelled = sorted(words, key=len, reverse=True)  # the longest phrase first
    alternatives = "|".join(r"\s+".join(map(re.escape, w.split())) for w in spelled)
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)


def first_health_word(text: str, site_slug: str = "") -> str | None:
    """The first listed word in `text`, as written there; None when there is none.

    >>> first_health_word("FTA warrant; on methadone since May")
    'methadone'
    >>> first_health_word("Possession charge: defender asks for drug court") is None
    True
    """
    pattern = _pattern(words_for(site_slug))
    found = pattern.search(text or "") if pattern else None
    return found.group(0) if found else None
