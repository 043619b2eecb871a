"""Text as the health-word check reads it, so spelling tricks do not slip a word past it.

Pure Python: no Django.

- compatibility forms fold to plain letters (full-width "ｈｅｒｏｉｎ", ligatures), accents are
  dropped ("hérоin"), case is folded;
- invisible format characters (zero-width space and joiners, soft hyphen: category Cf) are
  dropped, so "her\u200boin" reads "heroin";
- Cyrillic and Greek letters that look like Latin ones read as those Latin letters.

Each character of the result remembers which character of the original it came from, so
a word found is named as it was written.
"""

import unicodedata

# Cyrillic and Greek letters (after case folding) that pass for Latin ones.
CONFUSABLES = str.maketrans(
    {
        # Cyrillic
        "а": "a", "в": "b", "е": "e", "ё": "e", "һ": "h", "і": "i", "ї": "i", "ј": "j",
        "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "т": "t", "у": "y",
        "х": "x", "ѕ": "s", "ԁ": "d", "ӏ": "l", "ԛ": "q", "ԝ": "w", "ո": "n", "ց": "g",
        # Greek
        "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "μ": "u", "ν": "v",
        "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ζ": "z", "ϲ": "c", "ς": "s",
    }
)  # fmt: skip

_DROPPED = frozenset({"Mn", "Me", "Cf"})  # accents and other marks; invisible format chars
_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")


def folded(text: str) -> tuple[str, list[int]]:
    """`text` folded for matching (confusables still as written), and for each character of
    the result the index of the original character it came from."""
    out: list[str] = []
    where: list[int] = []
    for index, char in enumerate(text or ""):
        for part in unicodedata.normalize("NFKD", char):
            if unicodedata.category(part) in _DROPPED:
                continue
            for low in part.casefold():
                out.append(low)
                where.append(index)
    return "".join(out), where


def as_latin(folded_text: str) -> str:
    """Lookalike Cyrillic and Greek letters read as Latin ones (one character for one)."""
    return folded_text.translate(CONFUSABLES)


def _script(char: str) -> str:
    name = unicodedata.name(char, "")
    return next((s for s in _SCRIPTS if name.startswith(s)), "")


def mixes_scripts(word: str) -> bool:
    """Whether one word mixes Latin letters with Cyrillic or Greek ones ("hеroin")."""
    scripts = {_script(c) for c in word if c.isalpha()} - {""}
    return "LATIN" in scripts and len(scripts) > 1
