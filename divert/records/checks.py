"""Checking every row of an export against its mapping, column by column, all rows at once.

Pure Python (pandas). The file as a whole is refused (FileRefused) when the mapping and the
file disagree about columns; otherwise each bad row becomes a RowError naming its row,
column and what is wrong, and the good rows come back in canonical fields.

>>> import numpy as np, pandas as pd, datetime
>>> from divert.records.mapping import mapping_from_text
>>> from divert.records.reading import TextTable
>>> m = mapping_from_text('''
... id = "t"
... version = 1
... source_system = "t"
... [kinds.booking.columns]
... id = "source_key"
... who = "source_person_id"
... when = "occurred_on"
... ''')
>>> frame = pd.DataFrame({"id": ["1", "2"], "who": ["7", "8"], "when": ["2024-01-02", "2024-02-30"]})
>>> t = TextTable(["id", "who", "when"], frame, np.array([2, 3]), [])
>>> out = check_rows(t, m, "booking", today=datetime.date(2025, 1, 1), file="b.csv")
>>> list(out.good.source_key), [(e.row, e.column, e.message) for e in out.errors]
(['1'], [(3, 'when', "not a valid date: '2024-02-30' (expected ISO8601)")])
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from divert import nibrs
from divert.records import fields as F
from divert.records.mapping import Mapping, fold
from divert.records.reading import FileRefused, TextTable

EARLIEST = pd.Timestamp("1900-01-01")
# A cell a spreadsheet would run: =, + or @ first, or - before something not a number.
_FORMULA = r"^(?:[=+@\t\r]|-[^0-9.])"
CANONICAL = ("row", *F.FIELDS)


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass
class Checked:
    good: pd.DataFrame  # CANONICAL columns; dates as datetime64 at midnight
    errors: list[RowError]  # every error of every bad row (a row may have several)


def check_columns(table: TextTable, mapping: Mapping, kind: str, file: str) -> None:
    """Refuse a file whose columns the mapping does not account for, or which lacks one."""
    km = mapping.kinds[kind]
    have = set(table.columns)
    lacking = [c for c in km.columns if c not in have]
    if lacking:
        raise FileRefused(
            file,
            f"the mapping names column {', '.join(map(repr, lacking))}, which the file lacks",
            row=1,
            column=lacking[0],
        )
    unknown = [c for c in table.columns if c not in km.columns and c not in km.unused_columns]
    if unknown:
        raise FileRefused(
            file,
            f"column {', '.join(map(repr, unknown))} is neither mapped nor listed in "
            f"[kinds.{kind}.unused_columns] of mapping {mapping.id} v{mapping.version}",
            row=1,
            column=unknown[0],
        )


def check_rows(
    table: TextTable,
    mapping: Mapping,
    kind: str,
    *,
    today: datetime.date,
    file: str,
    statutes: dict[str, str] | None = None,
) -> Checked:
    """Check every row; return the good ones in canonical fields and every error found."""
    check_columns(table, mapping, kind, file)
    km = mapping.kinds[kind]
    frame = table.frame
    n = len(frame)
    rows = table.rows
    errors: list[tuple[int, str, str]] = []  # (frame index, column, message)

    def report(mask: np.ndarray, column: str, message) -> None:
        for i in np.flatnonzero(mask):
            errors.append((int(i), column, message(int(i)) if callable(message) else message))

    text = {c: _clean(frame[c]) for c in table.columns}
    for c in table.columns:
        values = text[c]
        formula = values.str.match(_FORMULA, na=False).to_numpy()
        report(formula, c, "looks like a spreadsheet formula; refused so it can never run")

    out = pd.DataFrame({"row": rows})
    has_parent = km.parent is not None
    date_format = km.date_format or mapping.date_format
    for column, name in km.pairs():
        spec = F.FIELDS[name]
        values = text[column]
        empty = values.isna().to_numpy()
        inherited = has_parent and name in F.INHERITED
        if name in F.REQUIRED[kind] and not inherited:
            report(empty, column, "required, and empty")
        if spec.kind == "date":
            out[name] = _dates(values, empty, column, date_format, today, report)
        elif spec.kind == "text":
            long = (values.str.len() > spec.max_length).fillna(False).to_numpy()
            report(long, column, f"longer than {spec.max_length} characters")
            out[name] = values.to_numpy()
        elif name == "nibrs":
            codes = values.str.upper()
            unknown = (~codes.isin(list(nibrs.OFFENSES)) & ~empty).to_numpy()
            report(unknown, column, lambda i, v=values: f"unknown NIBRS code {v.iat[i]!r}")
            out[name] = codes.to_numpy()
        else:
            codes_ = mapping.code_map(name)
            if name == "statute":  # the mapping's own spellings over the site's statute map
                codes_ = {**(statutes or {}), **codes_}
            # Each distinct spelling folded once: a million rows carry a few dozen.
            seen = {v: codes_.get(fold(v)) for v in values.dropna().unique() if isinstance(v, str)}
            mapped = values.map(seen).astype(object)
            mapped = mapped.where(mapped.notna(), None)
            report(
                mapped.isna().to_numpy() & ~empty,
                column,
                lambda i, v=values, f=name: (
                    f"unknown {f} code {v.iat[i]!r}: add it to [codes.{f}] in mapping {mapping.id}"
                ),
            )
            out["nibrs" if name == "statute" else name] = mapped.to_numpy()
    for name in F.FIELDS:
        if name not in out:
            out[name] = None
    if "ended_on" in km.mapped():
        ended, started = out["ended_on"], out["occurred_on"]
        before = (ended < started).fillna(False).to_numpy()
        column = km.column_for("ended_on")
        report(before, column, lambda i: f"ends ({_day(ended.iat[i])}) before it starts")
    _duplicates(out["source_key"], rows, km.column_for("source_key"), report)

    bad = np.zeros(n, dtype=bool)
    if errors:
        bad[[i for i, _, _ in errors]] = True
    row_errors = [RowError(int(rows[i]), c, m) for i, c, m in errors]
    good = out.loc[~bad, list(CANONICAL)].reset_index(drop=True)
    return Checked(good, row_errors)


def _clean(values: pd.Series) -> pd.Series:
    """Text with outer spaces removed; empty is None."""
    stripped = values.astype(object).where(values.notna(), None).str.strip()
    return stripped.where(stripped.fillna("") != "", None)


def _dates(values, empty, column, date_format, today, report) -> pd.Series:
    parsed = pd.to_datetime(values, format=date_format, errors="coerce")
    if " " in date_format:
        # A date of birth has no time where the booking's date has one ("%m/%d/%Y %H:%M").
        bare = parsed.isna() & values.notna()
        if bare.any():
            day_only = date_format.split(" ")[0]
            parsed[bare] = pd.to_datetime(values[bare], format=day_only, errors="coerce")
    if date_format != "ISO8601":
        # Excel keeps dates as dates, which arrive as ISO text whatever the sheet showed.
        iso = parsed.isna() & values.str.match(r"^\d{4}-\d{2}-\d{2}", na=False)
        if iso.any():
            parsed[iso] = pd.to_datetime(values[iso], format="ISO8601", errors="coerce")
    unparsed = (parsed.isna().to_numpy()) & ~empty
    expected = date_format.replace("%", "")
    report(
        unparsed,
        column,
        lambda i: f"not a valid date: {values.iat[i]!r} (expected {expected})",
    )
    day = parsed.dt.normalize()
    late = (day > pd.Timestamp(today)).fillna(False).to_numpy()
    report(late, column, lambda i: f"impossible date {_day(day.iat[i])}: after today ({today})")
    early = (day < EARLIEST).fillna(False).to_numpy()
    report(early, column, lambda i: f"impossible date {_day(day.iat[i])}: before 1900")
    return day


def _day(value) -> str:
    return value.date().isoformat() if pd.notna(value) else ""


def _duplicates(keys: pd.Series, rows: np.ndarray, column: str | None, report) -> None:
    dup = keys.duplicated(keep=False) & keys.notna()
    if not dup.any():
        return
    where: dict[str, list[int]] = {}
    for i in np.flatnonzero(dup.to_numpy()):
        where.setdefault(keys.iat[i], []).append(int(rows[i]))
    report(
        dup.to_numpy(),
        column or "",
        lambda i: f"source key {keys.iat[i]!r} appears on rows {_listing(where[keys.iat[i]])}",
    )


def _listing(rows: Iterable[int]) -> str:
    rows = list(rows)
    shown = ", ".join(str(r) for r in rows[:5])
    return shown + (f" and {len(rows) - 5} more" if len(rows) > 5 else "")
