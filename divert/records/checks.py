"""Checking every row of an export against its mapping, column by column, all rows at once.

Pure Python (DuckDB over Arrow). The file as a whole is refused (FileRefused) when the
mapping and the file disagree about columns; otherwise each bad row becomes a RowError
naming its row, column and what is wrong, and the good rows come back in canonical fields.

One query scores every row: its canonical values and whether any check failed. Only the
failing rows are then asked what failed, so a clean million-row file costs one pass.

>>> import datetime
>>> from divert.records.mapping import mapping_from_text
>>> from divert.records.reading import text_table
>>> m = mapping_from_text('''
... id = "t"
... version = 1
... source_system = "t"
... [kinds.booking.columns]
... id = "source_key"
... who = "source_person_id"
... when = "occurred_on"
... ''')
>>> t = text_table(["id", "who", "when"], [["1", "7", "2024-01-02"], ["2", "8", "2024-02-30"]])
>>> out = check_rows(t, m, "booking", today=datetime.date(2025, 1, 1), file="b.csv")
>>> out.good["source_key"].to_pylist(), [(e.row, e.column, e.message) for e in out.errors]
(['1'], [(3, 'when', "not a valid date: '2024-02-30' (expected ISO8601)")])
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from divert import nibrs
from divert.records import fields as F
from divert.records.mapping import Mapping, fold
from divert.records.reading import FileRefused, TextTable

EARLIEST = datetime.date(1900, 1, 1)
# A cell a spreadsheet would run: =, + or @ first, or - first unless the cell is a number
# ("-1+cmd|..." starts like one).
_NUMBER = r"^-[0-9]*[.]?[0-9]+$"
# What Python's str.strip() removes, in RE2's terms.
_SPACE = r"[\s\pZ\x0b\x1c-\x1f\x85]"
CANONICAL = ("row", *F.FIELDS)
_TYPES = {"text": pa.string(), "code": pa.string(), "date": pa.date32(), "bool": pa.bool_()}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass
class Checked:
    good: pa.Table  # CANONICAL columns, then source_event_id; dates as date32
    errors: list[RowError]  # every error of every bad row (a row may have several)


@dataclass(frozen=True)
class _Check:
    column: str  # the file's column, as errors name it
    condition: str  # SQL over the cleaned row: true when the check fails
    detail: str  # SQL for the value the message quotes
    message: Callable[[object], str]


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
    import duckdb

    con = duckdb.connect()
    try:
        return _Checker(con, table, mapping, kind, today, statutes or {}).run()
    finally:
        con.close()


class _Checker:
    def __init__(self, con, table, mapping, kind, today, statutes) -> None:
        self.con, self.table, self.mapping, self.kind = con, table, mapping, kind
        self.km = mapping.kinds[kind]
        self.today, self.statutes = today, statutes
        self.col = {c: f"c{i}" for i, c in enumerate(table.columns)}
        self.edges = {c: _edges(table.data.column(c)) for c in table.columns}
        self.checks: list[_Check] = []
        self.canon: dict[str, str] = {}  # canonical field -> SQL
        self.codes: dict[str, pa.Array] = {}  # k-column -> mapped code of each row

    def run(self) -> Checked:
        self._plan()
        data, n = self.table.data, self.table.data.num_rows
        src = {self.col[c]: data.column(c) for c in self.table.columns}
        src["_i"] = pa.array(np.arange(n, dtype=np.int64))
        src.update(self.codes)
        self.con.register("src", pa.table(src))
        cleaned = [f"{_cleaned(v, self.edges[c].untidy)} AS {v}" for c, v in self.col.items()]
        cleaned = ", ".join([*cleaned, *self.codes])
        # The SQL holds generated column names, field names and quoted literals, never a cell.
        self.con.execute(f"CREATE TEMP VIEW clean AS SELECT _i, {cleaned} FROM src")  # noqa: S608
        failing = " OR ".join(f"coalesce({c.condition}, false)" for c in self.checks) or "false"
        select = ", ".join(f'{sql} AS "{name}"' for name, sql in self.canon.items())
        sql = f"SELECT _i, {select}, {failing} AS _bad FROM clean"  # noqa: S608
        scored = self.con.sql(sql).to_arrow_table()
        order = scored["_i"].to_numpy()
        if n > 1 and not (np.diff(order) > 0).all():
            scored = scored.take(pc.sort_indices(scored["_i"]))
        failed = scored["_bad"].to_numpy(zero_copy_only=False).astype(bool)
        repeated = self._repeated_keys(scored)
        bad = failed.copy()
        bad[[i for _, i, _, _ in repeated]] = True
        errors = repeated + self._explain(np.flatnonzero(failed))
        errors.sort(key=lambda e: (e[0], e[1]))
        rows = self.table.rows
        row_errors = [RowError(int(rows[i]), c, m) for _, i, c, m in errors]
        good = scored.filter(pa.array(~bad)) if bad.any() else scored
        return Checked(self._canonical(good), row_errors)

    # --- what to check ---------------------------------------------------------------

    def _add(self, column: str, condition: str, message, detail: str = "NULL") -> None:
        text = message if callable(message) else (lambda _v, m=message: m)
        self.checks.append(_Check(column, condition, detail, text))

    def _plan(self) -> None:
        for c, v in self.col.items():
            if not self.edges[c].formula:
                continue
            self._add(
                c,
                f"(left({v}, 1) IN ('=', '+', '@') "
                f"OR (left({v}, 1) = '-' AND NOT regexp_matches({v}, '{_NUMBER}')))",
                "looks like a spreadsheet formula; refused so it can never run",
            )
        km, has_parent = self.km, self.km.parent is not None
        date_format = km.date_format or self.mapping.date_format
        for column, name in km.pairs():
            spec, v = F.FIELDS[name], self.col[column]
            if name in F.REQUIRED[self.kind] and not (has_parent and name in F.INHERITED):
                self._add(column, f"{v} IS NULL", "required, and empty")
            if spec.kind == "date":
                self.canon[name] = self._date(column, v, date_format)
            elif spec.kind == "text":
                n = spec.max_length
                self._add(column, f"length({v}) > {n}", f"longer than {n} characters")
                self.canon[name] = v
                if name == "source_key":  # as the record is stored: 'booking-B123'
                    prefix = _quote(F.KEY_PREFIX[self.kind] + "-")
                    self.canon["source_event_id"] = f"{prefix} || {v}"
            elif name == "nibrs":
                known = ", ".join(_quote(code) for code in nibrs.OFFENSES)
                self._add(
                    column,
                    f"upper({v}) NOT IN ({known})",
                    lambda value: f"unknown NIBRS code {value!r}",
                    detail=v,
                )
                self.canon[name] = f"upper({v})"
            else:
                k = self._code_column(name, column)
                self._add(
                    column,
                    f"({k}) IS NULL AND {v} IS NOT NULL",
                    lambda value, f=name: (
                        f"unknown {f} code {value!r}: add it to [codes.{f}] in mapping "
                        f"{self.mapping.id}"
                    ),
                    detail=v,
                )
                self.canon["nibrs" if name == "statute" else name] = k
        if "ended_on" in self.canon and "occurred_on" in self.canon:
            ended, started = self.canon["ended_on"], self.canon["occurred_on"]
            self._add(
                km.column_for("ended_on"),
                f"{ended} < {started}",
                lambda day: f"ends ({day}) before it starts",
                detail=ended,
            )

    def _date(self, column: str, v: str, date_format: str) -> str:
        if date_format == "ISO8601":
            parsed = f"try_cast({v} AS TIMESTAMP)"
        else:
            tries = [f"try_strptime({v}, {_quote(date_format)})"]
            if " " in date_format:
                # A date of birth has no time where the booking's date has one.
                tries.append(f"try_strptime({v}, {_quote(date_format.split(' ')[0])})")
            # Excel keeps dates as dates, which arrive as ISO text whatever the sheet showed.
            tries.append(
                f"CASE WHEN regexp_matches({v}, '^\\d{{4}}-\\d{{2}}-\\d{{2}}') "
                f"THEN try_cast({v} AS TIMESTAMP) END"
            )
            parsed = f"coalesce({', '.join(tries)})"
        day = f"CAST({parsed} AS DATE)"
        expected = date_format.replace("%", "")
        self._add(
            column,
            f"{v} IS NOT NULL AND {parsed} IS NULL",
            lambda value: f"not a valid date: {value!r} (expected {expected})",
            detail=v,
        )
        self._add(
            column,
            f"{day} > DATE '{self.today.isoformat()}'",
            lambda d: f"impossible date {d}: after today ({self.today})",
            detail=day,
        )
        self._add(
            column,
            f"{day} < DATE '{EARLIEST.isoformat()}'",
            lambda d: f"impossible date {d}: before 1900",
            detail=day,
        )
        return day

    def _code_column(self, name: str, column: str) -> str:
        """SQL for the canonical code of each row. Each distinct spelling is folded once (a
        million rows carry a few dozen) and every row looked up by hash, not joined, which
        would cost the rows their order; a few distinct codes are looked up in a SQL list."""
        codes = self.mapping.code_map(name)
        if name == "statute":  # the mapping's own spellings over the site's statute map
            codes = {**self.statutes, **codes}
        cells = self.table.data.column(column)
        seen = pc.unique(cells).drop_null()
        boolean = F.FIELDS[name].kind == "bool"
        values = [codes.get(fold(s)) for s in seen.to_pylist()]
        k = f"k{len(self.codes)}_{name}"
        at = pc.index_in(cells, value_set=seen)
        if not values or len(values) > _LISTED:
            mapped = pa.array(values, type=pa.bool_() if boolean else pa.string())
            self.codes[k] = pc.take(mapped, at)
            return k
        self.codes[k] = at
        listed = ", ".join(_literal(x) for x in values)
        return f"[{listed}][{k} + 1]"

    # --- what failed -----------------------------------------------------------------

    def _explain(self, failing: np.ndarray) -> list[tuple]:
        """(check, index, column, message) for every failed check of the failing rows."""
        if not len(failing):
            return []
        self.con.register("failing", pa.table({"_i": pa.array(failing, type=pa.int64())}))
        self.con.execute(
            "CREATE TEMP TABLE bad AS SELECT * FROM clean WHERE _i IN (SELECT _i FROM failing)"
        )
        out = []
        for k, check in enumerate(self.checks):
            found = self.con.sql(
                f"SELECT _i, {check.detail} FROM bad WHERE {check.condition} ORDER BY _i"  # noqa: S608
            ).fetchall()
            out += [(k, int(i), check.column, check.message(value)) for i, value in found]
        return out

    def _repeated_keys(self, scored: pa.Table) -> list[tuple]:
        if "source_key" not in self.canon:
            return []
        self.con.register("scored", scored.select(["source_key"]))
        twice = self.con.sql(
            "SELECT source_key FROM scored WHERE source_key IS NOT NULL"
            " GROUP BY 1 HAVING count(*) > 1"
        ).to_arrow_table()
        if not twice.num_rows:
            return []
        keys = scored["source_key"]
        mask = pc.is_in(keys, value_set=twice["source_key"]).to_numpy(zero_copy_only=False)
        where: dict[str, list[int]] = {}
        at = np.flatnonzero(mask)
        rows, values = self.table.rows, keys.take(pa.array(at)).to_pylist()
        for i, key in zip(at, values, strict=True):
            where.setdefault(key, []).append(int(rows[i]))
        column, k = self.km.column_for("source_key") or "", len(self.checks)
        return [
            (k, int(i), column, f"source key {key!r} appears on rows {_listing(where[key])}")
            for i, key in zip(at, values, strict=True)
        ]

    def _canonical(self, good: pa.Table) -> pa.Table:
        n, rows = good.num_rows, self.table.rows
        if n < len(rows):
            rows = rows[good["_i"].to_numpy()] if n else np.array([], dtype=np.int64)
        columns = {"row": pa.array(rows, type=pa.int64())}
        kinds = {name: _TYPES[spec.kind] for name, spec in F.FIELDS.items()}
        for name, kind in {**kinds, "source_event_id": pa.string()}.items():
            if name in good.column_names:
                column = good[name]
                columns[name] = column if column.type == kind else column.cast(kind)
            else:
                columns[name] = pa.nulls(n, type=kind)
        return pa.table(columns)


@dataclass(frozen=True)
class _Edges:
    untidy: bool  # some cell may start or end with a space
    formula: bool  # some cell may look like a formula


# Bytes a cell may start and end with and need no trimming; bytes a formula starts with.
_TIDY = np.zeros(256, dtype=bool)
_TIDY[33:127] = True
_FORMULA_FIRST = np.zeros(256, dtype=bool)
_FORMULA_FIRST[list(b"=+@-\t\r")] = True


def _edges(column: pa.ChunkedArray) -> _Edges:
    """What the first and last bytes of the column's cells allow, read straight off Arrow's
    buffers: most columns need neither trimming nor the formula check, and skip both. An
    empty or null cell reads a neighbour's byte, which can only cost time, never a check."""
    untidy = formula = False
    for chunk in column.chunks:
        large = pa.types.is_large_string(chunk.type)
        if not (large or pa.types.is_string(chunk.type)):
            return _Edges(True, True)
        _, offsets, data = chunk.buffers()
        if data is None or len(chunk) == 0 or data.size == 0:
            continue
        ends = np.frombuffer(offsets, dtype=np.int64 if large else np.int32)
        ends = ends[chunk.offset : chunk.offset + len(chunk) + 1]
        text = np.frombuffer(data, dtype=np.uint8)
        first = text[np.minimum(ends[:-1], len(text) - 1)]
        last = text[np.maximum(ends[1:] - 1, 0)]
        untidy = untidy or not (_TIDY[first].all() and _TIDY[last].all())
        formula = formula or bool(_FORMULA_FIRST[first].any())
    return _Edges(untidy, formula or untidy)


def _cleaned(v: str, untidy: bool) -> str:
    """Text with outer spaces removed; empty is NULL. Cells that start and end with a
    printable ASCII character are spared the regex."""
    if not untidy:
        return f"nullif({v}, '')"
    plain = f"ord(left({v}, 1)) BETWEEN 33 AND 126 AND ord(right({v}, 1)) BETWEEN 33 AND 126"
    strip = f"nullif(regexp_replace({v}, '^{_SPACE}+|{_SPACE}+$', '', 'g'), '')"
    return f"CASE WHEN {plain} THEN {v} ELSE {strip} END"


_LISTED = 500  # distinct codes looked up in a SQL list; more are looked up in Arrow


def _literal(value) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    return _quote(str(value))


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _listing(rows: Iterable[int]) -> str:
    rows = list(rows)
    shown = ", ".join(str(r) for r in rows[:5])
    return shown + (f" and {len(rows) - 5} more" if len(rows) > 5 else "")
