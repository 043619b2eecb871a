"""Moving a synthetic county in time, and turning its naive timestamps into Django values.

Synthetic tables hold naive county-local datetimes (docs/data-model.md). The demo wants a
program that is alive *now*, so every date is shifted by whole days until the synthetic
period ends on `today`; times of day are kept.
"""

import datetime

import numpy as np
import pandas as pd


def shift_tables(
    tables: dict[str, pd.DataFrame], *, end: datetime.date, today: datetime.date
) -> dict[str, pd.DataFrame]:
    """Copies of `tables` with every datetime column moved so `end` lands on `today`."""
    delta = pd.Timedelta(days=(today - end).days)
    out = {}
    for name, frame in tables.items():
        columns = [c for c in frame.columns if pd.api.types.is_datetime64_any_dtype(frame[c])]
        if columns:
            frame = frame.copy()
            for c in columns:
                frame[c] = frame[c] + delta
        out[name] = frame
    return out


def aware(series: pd.Series, tz: str) -> list[datetime.datetime | None]:
    """Naive local datetimes as aware Python datetimes (None for NaT).

    Times that fall in a DST gap move forward; repeated times take standard time.
    """
    local = series.dt.floor("s").dt.tz_localize(
        tz, ambiguous=np.zeros(len(series), dtype=bool), nonexistent="shift_forward"
    )
    return [None if pd.isna(v) else v.to_pydatetime() for v in local]


def dates(series: pd.Series) -> list[datetime.date | None]:
    """Calendar dates (None for NaT)."""
    return [None if pd.isna(v) else v.date() for v in series]
