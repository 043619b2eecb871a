"""Small export files for import tests, written the way jail systems write them."""

import datetime
from pathlib import Path

from divert.records.importing import import_file
from tests.conftest import local_today

ROOT = Path(__file__).resolve().parents[2]
SYNTH_MAPPING = (ROOT / "mappings" / "synth-county-jail.toml").read_text()
BOOKING_HEADER = "booking_id,justice_person_id,booked_at,area_id,first_name,last_name,dob,sex,race"
NO_PERSON = ",,,,,"  # a booking row's person columns, left empty


def day(n: int) -> str:
    """A booking time `n` days before today, as the synth export writes it."""
    return (local_today() - datetime.timedelta(days=n)).isoformat() + "T10:30:00"


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def bookings_csv(tmp_path: Path, rows: list[str], name: str = "bookings.csv") -> Path:
    return write(tmp_path, name, "\n".join([BOOKING_HEADER, *map(padded, rows)]) + "\n")


def padded(row: str) -> str:
    """A four-field booking row with its person columns empty; longer rows as they are."""
    return row + NO_PERSON if row.count(",") == 3 else row


def run(site, kind: str, path: Path, mapping: str = SYNTH_MAPPING, **kwargs):
    return import_file(site=site["site"], kind=kind, path=path, mapping_text=mapping, **kwargs)
