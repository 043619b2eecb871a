"""Reading an export file into text columns: CSV and Parquet through DuckDB, Excel through
openpyxl. Pure Python (no Django).

Every cell comes back as text (None when empty), so the row checks see what the file says.
Rows are numbered as a spreadsheet shows them: the header is row 1, the first record row 2
(Parquet has no header: its first record is row 1). A row the reader cannot take apart
(too few or too many fields) is returned as a problem, not dropped; a file that cannot be
read at all raises FileRefused naming the file, and the row and column when known.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "b.csv"
>>> _ = p.write_text("id,when\\n1,2024-01-02\\n2\\n")
>>> t = read_table(p, encoding="utf-8")
>>> t.data["id"].to_pylist(), t.rows.tolist(), [(x.row, x.message) for x in t.problems]
(['1'], [2], [(3, 'expected 2 fields, found 1')])
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import os
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa

FORMATS = ("csv", "xlsx", "parquet")
_SNIFF = 8192
_MAGIC = {b"PK\x03\x04": "a zip archive (an Excel .xlsx?)", b"PAR1": "a Parquet file"}
_MAGIC.update({b"%PDF": "a PDF", b"\x89PNG": "a PNG image", b"\xd0\xcf\x11\xe0": "an old .xls"})


class FileRefused(ValueError):
    """The whole file is refused; nothing from it is written."""

    def __init__(self, file: str, message: str, *, row: int | None = None, column: str = ""):
        self.file, self.row, self.column, self.detail = file, row, column, message
        where = file + (f", row {row}" if row else "") + (f", column {column}" if column else "")
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str
    raw: dict = field(default_factory=dict)


@dataclass
class TextTable:
    columns: list[str]
    data: pa.Table  # one text column per file column, named as the file names it
    rows: np.ndarray  # the file row number of each row of data
    problems: list[Problem]
    ends_cleanly: bool = True  # False: a text file without a final line break


def text_table(
    columns: list[str], rows: list[list[str | None]], numbers: list[int] | None = None
) -> TextTable:
    """A TextTable of rows given as lists of cells, numbered from 2 unless `numbers` says."""
    numbers = list(range(2, len(rows) + 2)) if numbers is None else numbers
    data = pa.table(
        {c: pa.array([r[i] for r in rows], type=pa.string()) for i, c in enumerate(columns)}
    )
    return TextTable(list(columns), data, np.array(numbers, dtype=np.int64), [])


def format_of(path: Path, declared: str | None = None) -> str:
    fmt = (declared or path.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise FileRefused(path.name, f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    return fmt


def read_table(
    path: Path,
    *,
    fmt: str | None = None,
    encoding: str = "utf-8",
    sheet: str | None = None,
    name: str | None = None,
) -> TextTable:
    """Read `path` (shown to people as `name`) into a TextTable."""
    name = name or path.name
    fmt = format_of(Path(name), fmt)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise FileRefused(name, f"cannot read the file: {exc.strerror}") from None
    if size == 0:
        raise FileRefused(name, "the file is empty")
    if fmt == "csv":
        table = _read_csv(path, name, encoding)
    elif fmt == "xlsx":
        table = _read_xlsx(path, name, sheet)
    else:
        table = _read_parquet(path, name)
    if table.data.num_rows == 0 and not table.problems:
        raise FileRefused(name, "the file has a header and no rows")
    return table


# --- CSV ---------------------------------------------------------------------------------


def _sniff_binary(head: bytes, name: str, encoding: str) -> None:
    for magic, what in _MAGIC.items():
        if head.startswith(magic):
            raise FileRefused(name, f"this is {what}, not a CSV text file")
    if b"\x00" in head and not encoding.startswith(("utf-16", "utf-32")):
        raise FileRefused(name, "this is a binary file, not CSV text (it holds NUL bytes)")


def _header(first_line: str, name: str) -> list[str]:
    header = next(csv.reader([first_line]), [])
    header = [h.strip() for h in header]
    if not any(header):
        raise FileRefused(name, "the first row (the header) is empty", row=1)
    for i, h in enumerate(header, 1):
        if not h:
            raise FileRefused(name, f"header field {i} has no name", row=1)
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        raise FileRefused(name, f"the header names {', '.join(dupes)} twice", row=1)
    return header


def _transcode(path: Path, name: str, encoding: str) -> Path:
    """A UTF-8 copy of a file in another encoding; refuses the first undecodable byte."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    fd, tmp = tempfile.mkstemp(suffix=".csv", prefix="divert-import-")
    offset, lines = 0, 1
    try:
        with open(path, "rb") as src, os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            while chunk := src.read(1 << 20):
                try:
                    out.write(decoder.decode(chunk))
                except UnicodeDecodeError as exc:
                    bad = chunk[: exc.start].count(b"\n")
                    raise FileRefused(
                        name,
                        f"byte {offset + exc.start + 1} is not valid {encoding} text; "
                        "declare the file's encoding in the mapping",
                        row=lines + bad,
                    ) from None
                offset += len(chunk)
                lines += chunk.count(b"\n")
            out.write(decoder.decode(b"", final=True))
    except BaseException:
        os.unlink(tmp)
        raise
    return Path(tmp)


def _first_line(path: Path) -> str:
    with open(path, encoding="utf-8-sig", errors="replace", newline="") as f:
        return f.readline()


def _read_csv(path: Path, name: str, encoding: str) -> TextTable:
    import duckdb

    with open(path, "rb") as f:
        head = f.read(_SNIFF)
        f.seek(-1, os.SEEK_END)
        last = f.read(1)
    _sniff_binary(head, name, encoding)
    utf8 = codecs.lookup(encoding).name in ("utf-8", "utf-8-sig", "ascii")
    source = path if utf8 else _transcode(path, name, encoding)
    try:
        line = _first_line(source)
        if not line.strip():
            raise FileRefused(name, "the file is empty")
        header = _header(line, name)
        con = duckdb.connect()
        columns = {f"c{i}": "VARCHAR" for i in range(len(header))}
        # No sniffing: every field is text and the header is the one read above, so a
        # ragged or badly encoded row is a reject with its line, never a guessed type.
        rel = con.sql(
            "SELECT * FROM read_csv($path, header=true, auto_detect=false, columns=$columns,"
            " delim=',', quote='\"', escape='\"', all_varchar=true, strict_mode=true,"
            " store_rejects=true, parallel=true, max_line_size=1048576)",
            params={"path": str(source), "columns": columns},
        )
        arrow = rel.to_arrow_table()
        rejects = con.sql(
            "SELECT line, column_name, error_type, csv_line, error_message FROM reject_errors"
            " ORDER BY line"
        ).fetchall()
        con.close()
    except duckdb.Error as exc:
        raise FileRefused(name, f"cannot read as CSV: {str(exc).splitlines()[0]}") from None
    finally:
        if source != path:
            os.unlink(source)
    data = arrow.rename_columns(header)
    problems, bad = [], set()
    for line_no, col, error, text, message in rejects:
        line_no = int(line_no)
        if line_no in bad:
            continue
        bad.add(line_no)
        column = header[int(col[1:])] if col and col.startswith("c") else ""
        if error == "INVALID ENCODING":
            raise FileRefused(
                name,
                f"not valid {encoding} text; declare the file's encoding in the mapping",
                row=line_no,
                column=column,
            )
        problems.append(Problem(line_no, column, _structure_message(error, message), {"": text}))
    rows = _record_numbers(data.num_rows, sorted(bad), first=2)
    return TextTable(header, data, rows, problems, ends_cleanly=last in (b"\n", b"\r"))


def _structure_message(error: str, message: str) -> str:
    found = message.rsplit(":", 1)[-1].strip()
    expected = message.split(":", 1)[1].split("Found")[0].strip() if ":" in message else ""
    if error in ("MISSING COLUMNS", "TOO MANY COLUMNS") and expected:
        return f"expected {expected} fields, found {found}"
    if error == "UNQUOTED VALUE":
        return "a quote inside an unquoted field"
    return message.splitlines()[0]


def _record_numbers(n: int, rejected: list[int], first: int) -> np.ndarray:
    """The file row of each accepted record, given the rows the reader set aside."""
    every = np.arange(first, first + n + len(rejected), dtype=np.int64)
    if rejected:
        every = every[~np.isin(every, rejected)]
    return every[:n]


# --- Parquet -----------------------------------------------------------------------------


def _read_parquet(path: Path, name: str) -> TextTable:
    import duckdb

    con = duckdb.connect()
    try:
        names = list(con.sql("SELECT * FROM read_parquet($p)", params={"p": str(path)}).columns)
        # Timestamps as DuckDB prints them: '2024-01-02 00:00:00'.
        arrow = con.sql(
            "SELECT trim(COLUMNS(*)::VARCHAR) FROM read_parquet($p)", params={"p": str(path)}
        ).to_arrow_table()
    except duckdb.Error as exc:
        raise FileRefused(name, f"cannot read as Parquet: {str(exc).splitlines()[0]}") from None
    finally:
        con.close()
    data = arrow.rename_columns(names)
    return TextTable(names, data, np.arange(1, data.num_rows + 1, dtype=np.int64), [])


# --- Excel -------------------------------------------------------------------------------


def _cell_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep="T", timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    return text if text.strip() else None


def _read_xlsx(path: Path, name: str, sheet: str | None) -> TextTable:
    from openpyxl import load_workbook

    try:
        # data_only=False: a formula comes back as its text ("=..."), which the checks refuse.
        book = load_workbook(path, read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileRefused(name, f"cannot read as an Excel .xlsx workbook: {exc}") from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise FileRefused(name, f"no sheet named {sheet!r} (it has {book.sheetnames})")
        ws = book[sheet] if sheet else book.worksheets[0]
        it = ws.iter_rows(values_only=True)
        first = next(it, None)
        if first is None or not any(v is not None for v in first):
            raise FileRefused(name, "the first row (the header) is empty", row=1)
        cells = [_cell_text(v) for v in first]
        while cells and cells[-1] is None:
            cells.pop()
        header = _header(",".join(_quote(c or "") for c in cells), name)
        width = len(header)
        data, rows, problems = [], [], []
        for number, values in enumerate(it, start=2):
            texts = [_cell_text(v) for v in values]
            if not any(t is not None for t in texts):
                continue  # blank rows between or after the data
            extra = [t for t in texts[width:] if t is not None]
            if extra:
                problems.append(
                    Problem(
                        number,
                        "",
                        f"expected {width} fields, found {width + len(extra)}",
                        {"": ",".join(t or "" for t in texts)},
                    )
                )
                continue
            data.append(texts[:width] + [None] * (width - len(texts)))
            rows.append(number)
    finally:
        book.close()
    table = text_table(header, data, rows)
    table.problems.extend(problems)
    return table


def _quote(text: str) -> str:
    out = io.StringIO()
    csv.writer(out).writerow([text])
    return out.getvalue().rstrip("\r\n")
