"""Deterministic writing: same tables in, byte-identical files out.

Parquet: fixed compression, no pandas/schema metadata, fixed row groups. CSV: fixed
date format and line endings. Rows are already sorted by each table's key (tables.conform).

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> check_out_dir(d, force=False)
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

FORMATS = ("parquet", "csv")


class OutDirNotEmpty(FileExistsError):
    """--out holds other files and --force was not given."""


def check_out_dir(out: Path, force: bool) -> None:
    """Refuse a directory that already holds files, unless forced."""
    if out.exists() and not out.is_dir():
        raise OutDirNotEmpty(f"{out} exists and is not a directory")
    if out.exists() and any(out.iterdir()) and not force:
        raise OutDirNotEmpty(f"{out} is not empty; pass force=True (--force) to write into it")


@contextmanager
def staging(out: Path) -> Iterator[Path]:
    """A directory beside `out` to write into; on success its files replace `out`'s.

    A new or empty `out` is swapped in with one rename. Into a directory that holds other
    files (--force), the old county's files go first and truth.json, the last file, comes
    last: at no moment does `out` hold a mixed county that looks complete. If the block
    fails, or the process is killed, `out` is left as it was (or absent) and the staging
    directory is removed (or, after a kill, left hidden beside it).
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.partial-"))
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if not out.exists() or (out.is_dir() and not any(out.iterdir())):
        if out.exists():
            out.rmdir()
        os.replace(tmp, out)
        return
    new = sorted(tmp.iterdir(), key=lambda f: f.name == "truth.json")
    for old in (out / "truth.json", *(out / f.name for f in new)):
        old.unlink(missing_ok=True)
    for f in new:
        os.replace(f, out / f.name)
    tmp.rmdir()


def write_table(df: pd.DataFrame, path: Path, fmt: str) -> Path:
    if fmt == "parquet":
        path = path.with_suffix(".parquet")
        table = pa.Table.from_pandas(df, preserve_index=False).replace_schema_metadata(None)
        pq.write_table(
            table,
            path,
            compression="zstd",
            compression_level=3,
            row_group_size=1 << 20,
            use_dictionary=True,
            write_statistics=True,
            store_schema=False,
        )
    elif fmt == "csv":
        path = path.with_suffix(".csv")
        df.to_csv(path, index=False, lineterminator="\n", date_format="%Y-%m-%dT%H:%M:%S")
    else:
        raise ValueError(f"unknown format {fmt!r}; use one of {FORMATS}")
    return path


def write_json(data: dict[str, Any], path: Path) -> Path:
    path.write_text(json.dumps(data, indent=1, sort_keys=True, default=str) + "\n")
    return path


def read_table(out: Path, name: str) -> pd.DataFrame:
    """Read a table back, whichever format it was written in (used by tests and importers)."""
    from divert.synth.tables import DTYPES, TABLES

    table = TABLES[name]
    pq_path, csv_path = out / f"{name}.parquet", out / f"{name}.csv"
    if pq_path.exists():
        df = pq.read_table(pq_path).to_pandas()
        return df.astype({c.name: DTYPES[c.type] for c in table.columns})
    types = {c.name: DTYPES[c.type] for c in table.columns if c.type not in ("datetime", "bool")}
    dates = [c.name for c in table.columns if c.type == "datetime"]
    df = pd.read_csv(csv_path, dtype=types, parse_dates=dates, keep_default_na=True)
    for c in table.columns:
        if c.type == "bool":
            df[c.name] = df[c.name].astype(bool)
        if c.type == "string":
            df[c.name] = df[c.name].astype(object).where(df[c.name].notna(), None)
    return df
