"""Person records as the engine compares them: one frame layout for every source.

Pure Python (pandas and jellyfish). Callers pass the canonical columns; this adds the derived
ones the settings compare on, so nicknames, swapped names, hyphenated surnames, phonetic
codes and transposed dates of birth are all plain column equalities in SQL.

Canonical input columns (roles): unique_id, first_name, last_name, dob (a date, or None when
unknown or partial), birth_year and birth_month (known parts of a partial date), sex, race,
outside_ids (a list of "system:value" strings), and the optional id_number (one identifier
both files share, such as a social security number), street_number, address, locality and
postcode. A file names its columns as it likes: `columns` maps each role to the column names
that may play it (the settings file's "columns"); a role no column plays is left empty, and
its comparisons then weigh nothing. A single full_name column stands in for first and last.

>>> frame = prepare(pd.DataFrame({"unique_id": [1], "first_name": ["Bob"],
...     "last_name": ["Smith-Jones"], "dob": [datetime.date(1980, 3, 7)]}))
>>> frame.loc[0, ["first_canon", "dob_dm"]].tolist()
['robert', '1980-07-03']
"""

from __future__ import annotations

import datetime
import re

import jellyfish
import numpy as np
import pandas as pd

from divert.nicknames import NICKNAMES

COLUMNS = (
    "unique_id",
    "first_name",
    "last_name",
    "dob",
    "birth_year",
    "birth_month",
    "sex",
    "race",
    "outside_ids",
    "id_number",
    "street_number",
    "address",
    "locality",
    "postcode",
)
_TEXT_ROLES = ("id_number", "street_number", "address", "locality", "postcode")
_FORMAL = {nick.lower(): formal.lower() for formal, nicks in NICKNAMES.items() for nick in nicks}
_NOT_LETTERS = re.compile(r"[^a-z\- ]")
_SPLIT = re.compile(r"[\s\-]+")
_UNKNOWN = {"", "unknown", "u", "none", "nan"}


def normal(name: object) -> str | None:
    """Lower case letters, hyphens and single spaces; None for nothing."""
    if not isinstance(name, str):
        return None
    text = _NOT_LETTERS.sub("", name.strip().lower().replace("'", ""))
    text = re.sub(r"\s+", " ", text).strip(" -")
    return text or None


def canonical_first(first: str | None) -> str | None:
    """The formal first name behind a nickname ("bob" -> "robert"); the name itself otherwise."""
    if not first:
        return None
    head = _SPLIT.split(first)[0]
    return _FORMAL.get(head, head)


def phonetic(name: str | None) -> str | None:
    if not name:
        return None
    letters = re.sub(r"[^a-z]", "", name)
    return jellyfish.metaphone(letters) if letters else None


def parts(name: str | None) -> list[str]:
    return [p for p in _SPLIT.split(name) if p] if name else []


_DIGITS = re.compile(r"\d+")


def _iso(value: object) -> str | None:
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, str):
        return _iso_text(value)
    if isinstance(value, int | np.integer) and not isinstance(value, bool):
        return _iso_text(str(value))  # 19840311 read from a file as a number
    if isinstance(value, pd.Timestamp | datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return None


def _iso_text(text: str) -> str | None:
    """YYYY-MM-DD from ISO, YYYYMMDD or US MM/DD/YYYY text. A well-formed date that does not
    exist (a keying slip such as month 13) is kept as text: it still meets its true date at
    one edit."""
    text = text.strip()
    groups = _DIGITS.findall(text)
    if len(groups) == 1 and len(groups[0]) == 8:
        digits = groups[0]
        y, m, d = digits[:4], digits[4:6], digits[6:]
    elif len(groups) >= 3 and len(groups[0]) == 4:
        y, m, d = groups[0], groups[1], groups[2]
    elif len(groups) >= 3 and len(groups[2]) == 4 and "/" in text:
        m, d, y = groups[0], groups[1], groups[2]
    else:
        return None
    if not (len(y) == 4 and 1 <= len(m) <= 2 and 1 <= len(d) <= 2):
        return None
    if not (1 <= int(m) <= 19 and 1 <= int(d) <= 39):
        return None
    return f"{y}-{int(m):02d}-{int(d):02d}"


def _swap_day_month(iso: str | None) -> str | None:
    if not iso:
        return None
    y, m, d = int(iso[:4]), int(iso[5:7]), int(iso[8:10])
    if d > 12 or m > 12 or d == m:
        return None
    return f"{y:04d}-{d:02d}-{m:02d}"


def _swap_year_digits(iso: str | None) -> str | None:
    if not iso:
        return None
    y = int(iso[:4])
    swapped = y - y % 100 + (y % 10) * 10 + (y // 10) % 10
    if swapped == y:
        return None
    try:
        return datetime.date(swapped, int(iso[5:7]), int(iso[8:10])).isoformat()
    except ValueError:  # 29 February in a year that is not leap
        return None


def _code(value: object) -> str | None:
    if not isinstance(value, str) or value.strip().lower() in _UNKNOWN:
        return None
    return value.strip().lower()


def _int(value: object) -> int | None:
    if value is None or value is pd.NA:
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number


def _text(value: object) -> str | None:
    """Trimmed lower-case text with single spaces; None for nothing."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = re.sub(r"\s+", " ", str(value).strip().lower())
    return None if text in _UNKNOWN else text


def by_role(people: pd.DataFrame, columns: dict[str, list[str]] | None) -> pd.DataFrame:
    """The frame with each role's column under the role's name: the first of the names the
    role lists that the file has (matched without regard to case, spaces or underscores)."""
    if not columns:
        return people
    present = {_key(c): c for c in people.columns}
    renames: dict[str, str] = {}
    for role, names in columns.items():
        if role in people.columns:
            continue
        for name in [names] if isinstance(names, str) else names:
            found = present.get(_key(name))
            if found is not None and found not in renames:
                renames[found] = role
                break
    out = people.rename(columns=renames)
    if "full_name" in out.columns and "first_name" not in out.columns:
        split = [_first_last(v) for v in out["full_name"]]
        out["first_name"] = [f for f, _ in split]
        out["last_name"] = [last for _, last in split]
    return out


def _first_last(full: object) -> tuple[str | None, str | None]:
    """Split "Last, First Middle" or "First Middle Last"; middle names are dropped."""
    if not isinstance(full, str):
        return None, None
    if "," in full:
        last, _, rest = full.partition(",")
        words = rest.split()
        return (words[0] if words else None), (last.strip() or None)
    words = full.split()
    if len(words) < 2:
        return None, (words[0] if words else None)
    return words[0], words[-1]


def _key(name: object) -> str:
    return re.sub(r"[\s_\-]+", "", str(name).lower())


def prepare(people: pd.DataFrame, columns: dict[str, list[str]] | None = None) -> pd.DataFrame:
    """The canonical columns plus the derived ones the settings name."""
    df = by_role(people, columns).copy()
    for column in COLUMNS:
        if column not in df.columns:
            df[column] = None
    df["unique_id"] = df["unique_id"].astype(str)
    first = [normal(v) for v in df["first_name"]]
    last = [normal(v) for v in df["last_name"]]
    dob = [_iso(v) for v in df["dob"]]
    year = [int(d[:4]) if d else _int(y) for d, y in zip(dob, df["birth_year"], strict=True)]
    month = [int(d[5:7]) if d else _int(m) for d, m in zip(dob, df["birth_month"], strict=True)]
    canon = [canonical_first(f) for f in first]
    out = pd.DataFrame(
        {
            "unique_id": df["unique_id"],
            "first_name": first,
            "last_name": last,
            "first_canon": canon,
            "first_ph": [phonetic(c) for c in canon],
            "last_ph": [phonetic(s) for s in last],
            "last_parts": [parts(s) or None for s in last],
            "last_first_part": [(parts(s) or [None])[0] for s in last],
            "dob": dob,
            "dob_dm": [_swap_day_month(d) for d in dob],
            "dob_yy": [_swap_year_digits(d) for d in dob],
            "birth_year": pd.array(year, dtype="Int64"),
            "birth_month": pd.array(month, dtype="Int64"),
            "sex": [_code(v) for v in df["sex"]],
            "race": [_code(v) for v in df["race"]],
            "outside_ids": [
                sorted(v) if isinstance(v, list | tuple | set) and v else None
                for v in df["outside_ids"]
            ],
            **{role: [_text(v) for v in df[role]] for role in _TEXT_ROLES},
        }
    )
    for extra in ("source_dataset",):
        if extra in df.columns:
            out[extra] = df[extra].to_numpy()
    return out


def record(row: dict, columns: dict[str, list[str]] | None = None) -> dict:
    """One record as `prepare` makes it, as a dict: for scoring a few in-process (scoring.py)."""
    if columns:
        row = by_role(pd.DataFrame([row]), columns).iloc[0].to_dict()
    first, last = normal(row.get("first_name")), normal(row.get("last_name"))
    dob = _iso(row.get("dob"))
    canon = canonical_first(first)
    ids = row.get("outside_ids")
    return {
        "unique_id": str(row.get("unique_id")),
        "first_name": first,
        "last_name": last,
        "first_canon": canon,
        "first_ph": phonetic(canon),
        "last_ph": phonetic(last),
        "last_parts": parts(last) or None,
        "last_first_part": (parts(last) or [None])[0],
        "dob": dob,
        "dob_dm": _swap_day_month(dob),
        "dob_yy": _swap_year_digits(dob),
        "birth_year": int(dob[:4]) if dob else _int(row.get("birth_year")),
        "birth_month": int(dob[5:7]) if dob else _int(row.get("birth_month")),
        "sex": _code(row.get("sex")),
        "race": _code(row.get("race")),
        "outside_ids": sorted(ids) if isinstance(ids, list | tuple | set) and ids else None,
        **{role: _text(row.get(role)) for role in _TEXT_ROLES},
    }
