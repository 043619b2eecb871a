"""Identity noise a jail/court export adds: typos, nicknames, swapped names, hyphenation,
missing or partial dates of birth, transposed digits, race recorded differently.

Each kind is drawn independently per justice record at its scenario rate. Nicknames apply
only to first names that have one, and transpositions only where they change the date, so
those two rates are "among records where the noise is possible".

>>> import numpy as np
>>> typo(np.random.default_rng(0), "Robert") != "Robert"
True
"""

from __future__ import annotations

import string

import numpy as np
import pandas as pd

from divert.synth.names import NICKNAMES, SURNAMES
from divert.synth.scenario import RACES, Noise

FLAGS = (
    "typo",
    "nickname",
    "swapped_names",
    "hyphenated_surname",
    "dob_missing",
    "dob_partial",
    "dob_transposed",
    "race_mismatch",
)


def typo(rng: np.random.Generator, name: str) -> str:
    """One keyboard-style error: substitute, delete or swap adjacent letters."""
    if len(name) < 3:
        return name + rng.choice(list(string.ascii_lowercase))
    i = int(rng.integers(1, len(name) - 1))
    op = int(rng.integers(3))
    if op == 0:
        letters = [c for c in string.ascii_lowercase if c != name[i].lower()]
        return name[:i] + str(rng.choice(letters)) + name[i + 1 :]
    if op == 1:
        return name[:i] + name[i + 1 :]
    if name[i] == name[i + 1]:
        return name[:i] + name[i + 1 :]
    return name[:i] + name[i + 1] + name[i] + name[i + 2 :]


def transposable(dob: pd.Series) -> np.ndarray:
    """Dates where swapping day/month or the last two year digits gives a different date."""
    d, m, y = dob.dt.day.to_numpy(), dob.dt.month.to_numpy(), dob.dt.year.to_numpy()
    day_month = (d <= 12) & (d != m)
    year_digits = (y % 10) != ((y // 10) % 10)
    return dob.notna().to_numpy() & (day_month | year_digits)


def _transpose(dob: pd.Series) -> pd.Series:
    d, m, y = dob.dt.day, dob.dt.month, dob.dt.year
    swap_dm = (d <= 12) & (d != m)
    y2 = y - y % 100 + (y % 10) * 10 + (y // 10) % 10
    day = np.where(swap_dm, m, d)
    month = np.where(swap_dm, d, m)
    year = np.where(swap_dm, y, y2)
    # Feb 29 in a year that is not leap: clamp to Feb 28.
    frame = pd.DataFrame({"year": year, "month": month, "day": day})
    out = pd.to_datetime(frame, errors="coerce")
    bad = out.isna()
    frame.loc[bad, "day"] = 28
    out[bad] = pd.to_datetime(frame[bad])
    return pd.Series(out.to_numpy(), index=dob.index)


def add_noise(
    rng: np.random.Generator, clean: pd.DataFrame, rates: Noise
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Noisy copies of `clean` (first_name, last_name, dob, race) and one flag column per kind."""
    n = len(clean)
    first = clean.first_name.to_numpy(dtype=object).copy()
    last = clean.last_name.to_numpy(dtype=object).copy()
    dob = clean.dob.copy()
    race = clean.race.to_numpy(dtype=object).copy()
    flags = {}

    has_nick = np.array([f in NICKNAMES for f in first])
    flags["nickname"] = has_nick & (rng.random(n) < rates.nickname)
    for i in np.flatnonzero(flags["nickname"]):
        first[i] = str(rng.choice(NICKNAMES[first[i]]))

    flags["hyphenated_surname"] = rng.random(n) < rates.hyphenated_surname
    for i in np.flatnonzero(flags["hyphenated_surname"]):
        parts = last[i].split("-")
        last[i] = (
            parts[int(rng.integers(len(parts)))]
            if len(parts) > 1
            else f"{last[i]}-{rng.choice(SURNAMES)}"
        )

    flags["typo"] = rng.random(n) < rates.typo
    which = rng.random(n) < 0.5
    for i in np.flatnonzero(flags["typo"]):
        if which[i]:
            first[i] = typo(rng, first[i])
        else:
            last[i] = typo(rng, last[i])

    flags["swapped_names"] = rng.random(n) < rates.swapped_names
    sw = flags["swapped_names"]
    first[sw], last[sw] = last[sw].copy(), first[sw].copy()

    flags["dob_missing"] = rng.random(n) < rates.dob_missing
    flags["dob_partial"] = ~flags["dob_missing"] & (rng.random(n) < rates.dob_partial)
    can_t = transposable(dob) & ~flags["dob_missing"] & ~flags["dob_partial"]
    flags["dob_transposed"] = can_t & (rng.random(n) < rates.dob_transposed)
    t = flags["dob_transposed"]
    if t.any():
        dob[t] = _transpose(dob[t]).to_numpy()
    birth_year = dob.dt.year.astype("Int64")
    birth_year[flags["dob_missing"]] = pd.NA
    dob[flags["dob_missing"] | flags["dob_partial"]] = pd.NaT
    birth_year[~flags["dob_partial"]] = pd.NA  # the export only carries a year when partial

    flags["race_mismatch"] = rng.random(n) < rates.race_mismatch
    rm = np.flatnonzero(flags["race_mismatch"])
    codes = np.array([RACES.index(r) for r in race[rm]], dtype=int)
    race[rm] = np.array(RACES, dtype=object)[
        (codes + rng.integers(1, len(RACES), len(rm))) % len(RACES)
    ]

    noisy = pd.DataFrame(
        {
            "first_name": first,
            "last_name": last,
            "dob": dob.to_numpy(),
            "birth_year": birth_year.to_numpy(),
            "race": race,
        }
    )
    return noisy, pd.DataFrame({k: flags[k] for k in FLAGS})
