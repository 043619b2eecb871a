"""Broken files: each is refused or set aside row by row, naming file, row and column, and
none half-imports or touches what earlier imports wrote."""

import pytest

from divert.records.mapping import MappingError
from divert.records.models import ImportRun, JusticeEvent, QuarantinedRow
from tests.records.helpers import (
    BOOKING_HEADER,
    NO_PERSON,
    SYNTH_MAPPING,
    bookings_csv,
    day,
    run,
    write,
)


@pytest.fixture
def earlier(site, tmp_path):
    """An import that went well; nothing after it may change what it wrote."""
    run(site, "booking", bookings_csv(tmp_path, [f"100,900,{day(9)},1"], name="earlier.csv"))
    return list(JusticeEvent.objects.values().order_by("pk"))


def untouched(earlier) -> bool:
    return list(JusticeEvent.objects.values().order_by("pk")) == earlier


def refused(site, path, mapping=SYNTH_MAPPING) -> str:
    outcome = run(site, "booking", path, mapping=mapping)
    assert outcome.refusal, "expected the file to be refused"
    assert outcome.run.status == ImportRun.Status.REFUSED
    assert outcome.run.refusal == outcome.refusal
    assert outcome.run.accepted == 0
    return outcome.refusal


def quarantined(site, path, mapping=SYNTH_MAPPING):
    outcome = run(site, "booking", path, mapping=mapping)
    assert outcome.refusal == ""
    rows = {q.row: q for q in QuarantinedRow.objects.filter(run=outcome.run)}
    return outcome, rows


def test_wrong_encoding_is_refused_naming_row_and_column(site, tmp_path, earlier):
    text = f"{BOOKING_HEADER}\n1,501,{day(3)},1{NO_PERSON}\n2,J\xe9R502,{day(2)},1{NO_PERSON}\n".encode(
        "latin-1"
    )
    why = refused(site, write(tmp_path, "latin.csv", text))
    assert why.startswith("latin.csv, row 3, column justice_person_id: not valid utf-8")
    assert untouched(earlier)


def test_a_declared_encoding_is_read_and_a_byte_outside_it_refused(site, tmp_path, earlier):
    cp1252 = SYNTH_MAPPING.replace('encoding = "utf-8"', 'encoding = "cp1252"')
    text = f"{BOOKING_HEADER}\n1,J\xe9R501,{day(3)},1{NO_PERSON}\n".encode("cp1252")
    outcome = run(site, "booking", write(tmp_path, "cp.csv", text), mapping=cp1252)
    assert outcome.counts.accepted == 1
    assert JusticeEvent.objects.filter(source_person_id="JéR501").exists()
    bad = f"{BOOKING_HEADER}\n2,502,{day(3)},1{NO_PERSON}\n3,5\x81,{day(3)},1{NO_PERSON}\n".encode(
        "latin-1"
    )
    why = run(site, "booking", write(tmp_path, "cp2.csv", bad), mapping=cp1252).refusal
    assert why.startswith("cp2.csv, row 3: byte ") and "not valid cp1252" in why
    assert not JusticeEvent.objects.filter(source_event_id="booking-2").exists()


def test_a_missing_required_column_is_refused(site, tmp_path, earlier):
    path = write(
        tmp_path,
        "nodate.csv",
        f"{BOOKING_HEADER.replace('booked_at,', '')}\n1,501,1{NO_PERSON}\n",
    )
    why = refused(site, path)
    assert why == (
        "nodate.csv, row 1, column booked_at: the mapping names column 'booked_at', "
        "which the file lacks"
    )
    assert untouched(earlier)


def test_a_column_neither_mapped_nor_listed_as_unused_is_refused(site, tmp_path, earlier):
    path = write(tmp_path, "extra.csv", f"{BOOKING_HEADER},cell\n1,501,{day(3)},1{NO_PERSON},B4\n")
    why = refused(site, path)
    assert "column 'cell' is neither mapped nor listed in [kinds.booking.unused_columns]" in why
    assert untouched(earlier)


def test_unparseable_and_impossible_dates_are_quarantined(site, tmp_path, earlier):
    path = bookings_csv(
        tmp_path,
        [
            f"1,501,{day(3)},1",
            "2,502,yesterday,1",
            "3,503,2024-02-30T10:00:00,1",
            f"4,504,{day(-400)},1",
            "5,505,1850-01-01,1",
            "6,506,2024-01,1",
            "7,507,12024-01-01,1",
        ],
    )
    outcome, rows = quarantined(site, path)
    assert (outcome.counts.accepted, outcome.counts.rejected) == (1, 6)
    assert rows[3].errors == [
        {"column": "booked_at", "message": "not a valid date: 'yesterday' (expected ISO8601)"}
    ]
    assert "not a valid date: '2024-02-30T10:00:00'" in rows[4].errors[0]["message"]
    assert "after today" in rows[5].errors[0]["message"]
    assert "before 1900" in rows[6].errors[0]["message"]
    assert "not a valid date: '2024-01'" in rows[7].errors[0]["message"]
    assert "after today" in rows[8].errors[0]["message"]
    assert rows[3].file_name == "bookings.csv"
    assert rows[3].values == {
        "booking_id": "2",
        "justice_person_id": "502",
        "booked_at": "yesterday",
        "area_id": "1",
        **dict.fromkeys(["first_name", "last_name", "dob", "sex", "race"]),
    }
    assert untouched(earlier[:]) is False  # one good row was added...
    assert (
        JusticeEvent.objects.filter(source_event_id="booking-100").get().source_person_id == "900"
    )


def test_duplicate_source_keys_in_a_file_are_all_quarantined(site, tmp_path, earlier):
    path = bookings_csv(tmp_path, [f"7,501,{day(3)},1", f"8,502,{day(3)},1", f"7,503,{day(2)},1"])
    outcome, rows = quarantined(site, path)
    assert sorted(rows) == [2, 4]
    assert rows[2].errors == [
        {"column": "booking_id", "message": "source key '7' appears on rows 2, 4"}
    ]
    assert not JusticeEvent.objects.filter(source_event_id="booking-7").exists()
    assert outcome.counts.accepted == 1


def test_a_truncated_last_line_is_quarantined(site, tmp_path, earlier):
    text = f"{BOOKING_HEADER}\n1,501,{day(3)},1{NO_PERSON}\n2,502"
    outcome, rows = quarantined(site, write(tmp_path, "cut.csv", text))
    assert list(rows) == [3]
    assert rows[3].errors[0]["message"] == "expected 9 fields, found 2"
    assert outcome.counts.accepted == 1


def test_a_last_line_cut_at_a_field_boundary_is_still_quarantined(site, tmp_path, earlier):
    text = f"{BOOKING_HEADER}\n1,501,{day(3)},1{NO_PERSON}\n2,502,{day(3)},1{NO_PERSON}"
    outcome, rows = quarantined(site, write(tmp_path, "cut.csv", text))
    assert list(rows) == [3]
    assert "ends without a line break" in rows[3].errors[0]["message"]
    assert not JusticeEvent.objects.filter(source_event_id="booking-2").exists()


def test_ragged_rows_are_quarantined_with_their_text(site, tmp_path, earlier):
    path = bookings_csv(
        tmp_path, [f"1,501,{day(3)},1", f"2,502,{day(3)},1,extra", f"3,503,{day(3)},1"]
    )
    outcome, rows = quarantined(site, path)
    assert list(rows) == [3]
    assert rows[3].errors[0]["message"] == "expected 9 fields, found 5"
    assert rows[3].values == {"": f"2,502,{day(3)},1,extra"}
    assert outcome.counts.accepted == 2


def test_a_formula_looking_cell_never_reaches_the_records(site, tmp_path, earlier):
    path = bookings_csv(
        tmp_path,
        [f"1,501,{day(3)},1", f"2,=cmd|' /C calc'!A0,{day(3)},1", f"3,@SUM(A1),{day(3)},1"],
    )
    outcome, rows = quarantined(site, path)
    assert sorted(rows) == [3, 4]
    assert rows[3].errors == [
        {
            "column": "justice_person_id",
            "message": "looks like a spreadsheet formula; refused so it can never run",
        }
    ]
    assert not JusticeEvent.objects.filter(source_person_id__startswith="=").exists()
    assert outcome.counts.accepted == 1


@pytest.mark.parametrize(
    "space", [" ", "\t", "\u00a0", "\u3000"], ids=["space", "tab", "nbsp", "ideographic"]
)
def test_a_formula_behind_spaces_is_refused_too(site, tmp_path, space):
    path = bookings_csv(tmp_path, [f"1,501,{day(3)},1", f'2,"{space}=cmd|x",{day(3)},1'])
    outcome, rows = quarantined(site, path)
    assert list(rows) == [3]
    assert rows[3].errors[0]["column"] == "justice_person_id"
    assert "formula" in rows[3].errors[0]["message"]
    assert outcome.counts.accepted == 1


def test_a_negative_number_is_not_a_formula(site, tmp_path):
    outcome = run(site, "booking", bookings_csv(tmp_path, [f"1,-501,{day(3)},-1"]))
    assert outcome.counts.accepted == 1


@pytest.mark.parametrize("cell", ["-1+cmd|' /C calc'!A0", "-2-SUM(A1)", "-", "-.5e3"])
def test_a_minus_that_starts_a_formula_and_not_a_number_is_refused(site, tmp_path, cell):
    path = bookings_csv(tmp_path, [f"1,501,{day(3)},1", f'2,"{cell}",{day(3)},1'])
    outcome, rows = quarantined(site, path)
    assert list(rows) == [3]
    assert rows[3].errors[0]["column"] == "justice_person_id"
    assert "formula" in rows[3].errors[0]["message"]
    assert outcome.counts.accepted == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x00\x01\x02binary\x00stuff" * 10, "this is a binary file, not CSV text"),
        (b"PK\x03\x04 rest of a zip", "this is a zip archive (an Excel .xlsx?), not a CSV"),
        (b"", "the file is empty"),
        (b"\n\n", "the file is empty"),
        (f"{BOOKING_HEADER}\n".encode(), "the file has a header and no rows"),
    ],
    ids=["binary", "zip", "empty", "blank-lines", "header-only"],
)
def test_files_that_are_not_exports_are_refused(site, tmp_path, earlier, content, message):
    why = refused(site, write(tmp_path, "export.csv", content))
    assert why.startswith("export.csv") and message in why
    assert untouched(earlier)


def test_a_mapping_naming_a_column_the_file_lacks_is_refused(site, tmp_path, earlier):
    mapping = SYNTH_MAPPING.replace(
        'booked_at = "occurred_on"', 'booked_at = "occurred_on"\nrelease = "ended_on"'
    )
    why = refused(site, bookings_csv(tmp_path, [f"1,501,{day(3)},1"]), mapping=mapping)
    assert "the mapping names column 'release', which the file lacks" in why
    assert untouched(earlier)


def test_a_code_the_mapping_cannot_map_is_quarantined_naming_the_value(site, tmp_path, earlier):
    header = "charge_id,booking_id,justice_person_id,nibrs,severity,domestic_violence,filed,filed_at,source,court_events"
    text = "\n".join(
        [
            header,
            f"1,100,900,35A,felony,False,True,{day(3)},booking,1",
            f"2,100,900,35A,FEL-B,False,True,{day(3)},booking,1",
            f"3,100,900,99Z,misdemeanor,False,True,{day(3)},booking,1",
        ]
    )
    outcome = run(site, "charge", write(tmp_path, "charges.csv", text + "\n"))
    rows = {q.row: q for q in QuarantinedRow.objects.filter(run=outcome.run)}
    assert rows[3].errors == [
        {
            "column": "severity",
            "message": "unknown level code 'FEL-B': add it to [codes.level] in mapping "
            "synth-county-jail",
        }
    ]
    assert rows[4].errors == [{"column": "nibrs", "message": "unknown NIBRS code '99Z'"}]
    assert outcome.counts.accepted == 1


def test_a_broken_mapping_stores_nothing(site, tmp_path, earlier):
    with pytest.raises(MappingError, match="booking: no column maps to occurred_on"):
        run(
            site,
            "booking",
            bookings_csv(tmp_path, [f"1,501,{day(3)},1"]),
            mapping=SYNTH_MAPPING.replace('booked_at = "occurred_on"', ""),
        )
    assert ImportRun.objects.count() == 1  # the earlier import's
    assert untouched(earlier)


def test_the_same_bad_row_sent_twice_is_quarantined_once(site, tmp_path):
    path = bookings_csv(tmp_path, [f"1,501,{day(3)},1", "2,502,never,1"])
    first = run(site, "booking", path).counts
    second = run(site, "booking", path).counts
    assert (first.rejected, first.quarantined) == (1, 1)
    assert (second.rejected, second.quarantined) == (1, 0)
    assert QuarantinedRow.objects.count() == 1
