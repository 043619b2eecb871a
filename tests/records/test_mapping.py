"""The mapping files: shipped ones are valid; a wrong one is refused naming the key."""

import pytest

from divert.records.mapping import MappingError, mapping_from_text, schema
from tests.records.helpers import ROOT, SYNTH_MAPPING

SHIPPED = sorted((ROOT / "mappings").glob("*.toml"))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_every_shipped_mapping_is_valid(path):
    mapping = mapping_from_text(path.read_text())
    assert mapping.version >= 1
    for kind in mapping.kinds.values():
        assert all(len(reason) > 10 for reason in kind.unused_columns.values())


def test_the_synth_mapping_covers_the_jail_and_court_exports():
    from divert.synth.tables import TABLES

    mapping = mapping_from_text(SYNTH_MAPPING)
    for kind, table in [
        ("booking", "bookings"),
        ("charge", "charges"),
        ("disposition", "dispositions"),
        ("jail_stay", "jail_stays"),
    ]:
        km = mapping.kinds[kind]
        columns = {c.name for c in TABLES[table].columns}
        assert set(km.columns) | set(km.unused_columns) == columns, kind


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("version = 2", "version = 0"), "version: Input should be greater than or equal to 1"),
        (('encoding = "utf-8"', 'encoding = "klingon"'), "unknown encoding 'klingon'"),
        (('felony = "felony"', 'felony = "big"'), "codes.level: 'felony' -> 'big'; use one of"),
        (('booked_at = "occurred_on"', 'booked_at = "when"'), "kinds.booking.columns.booked_at"),
        (("[kinds.booking.columns]", "[kinds.bookings.columns]"), "kinds.bookings"),
        (('parent = "charge"', 'parent = "booking"'), "disposition: a disposition cannot belong"),
        (('nibrs = "nibrs"', 'nibrs = "nibrs"\nstatute2 = "nibrs"'), "both map to nibrs"),
        (("area_id = ", "booking_id = "), "listed both as mapped and as unused"),
        (("id = ", "idd = "), "Extra inputs are not permitted"),
        (("version = 2", "version = "), "not valid TOML"),
    ],
)
def test_a_wrong_mapping_is_refused_naming_the_key(change, message):
    with pytest.raises(MappingError) as exc:
        mapping_from_text(SYNTH_MAPPING.replace(*change, 1))
    assert message in str(exc.value)


def test_codes_that_differ_only_in_case_are_refused():
    text = SYNTH_MAPPING.replace('felony = "felony"', 'felony = "felony"\nFELONY = "felony"')
    with pytest.raises(MappingError, match="'felony' and 'FELONY' are the same"):
        mapping_from_text(text)


def test_the_schema_is_json_schema():
    s = schema()
    assert s["type"] == "object"
    assert {"id", "version", "source_system", "kinds"} <= set(s["required"])
