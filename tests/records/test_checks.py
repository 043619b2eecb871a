"""The row checks on their own, over files large enough to arrive in many Arrow chunks."""

import datetime

from divert.records.checks import check_rows
from divert.records.mapping import mapping_from_text
from divert.records.reading import read_table
from tests.records.helpers import BOOKING_HEADER, SYNTH_MAPPING

TODAY = datetime.date(2026, 12, 1)
ROWS = 300_000  # DuckDB hands these back in several chunks


def bookings(tmp_path, odd: dict[int, str]):
    """ROWS tidy booking rows; row r (the file's numbering) replaced by odd[r]."""
    path = tmp_path / "big.csv"
    with open(path, "w", encoding="utf-8") as f:
        f.write(BOOKING_HEADER + "\n")
        for i in range(ROWS):
            row = i + 2
            f.write(
                odd.get(
                    row, f"B{i},P{i % 5000},2024-03-04T10:30:00,1,Ann,Lee,1980-01-02,female,white"
                )
                + "\n"
            )
    return read_table(path)


def check(table):
    return check_rows(
        table, mapping_from_text(SYNTH_MAPPING), "booking", today=TODAY, file="big.csv"
    )


def test_a_formula_deep_in_a_large_file_is_found(tmp_path):
    late = ROWS - 3
    out = check(
        bookings(tmp_path, {late: "X1,-cmd,2024-03-04T10:30:00,1,Ann,Lee,1980-01-02,female,white"})
    )
    assert [(e.row, e.column) for e in out.errors] == [(late, "justice_person_id")]
    assert out.good.num_rows == ROWS - 1
    assert out.good["row"].to_pylist()[-5:] == [late - 1, late + 1, late + 2, late + 3, late + 4]


def test_spaces_deep_in_a_large_file_are_trimmed_and_codes_still_map(tmp_path):
    late = ROWS - 10
    out = check(
        bookings(
            tmp_path,
            {
                late: "\u00a0X1\u00a0, P1 ,2024-03-04T10:30:00,1,Ann,Lee,1980-01-02,\u2003female\t,white"
            },
        )
    )
    assert out.errors == []
    good = out.good.to_pylist()
    row = next(r for r in good if r["row"] == late)
    assert (row["source_key"], row["source_person_id"], row["sex"]) == ("X1", "P1", "female")
    assert row["source_event_id"] == "booking-X1"


def test_a_key_repeated_far_apart_names_both_rows(tmp_path):
    out = check(
        bookings(tmp_path, {ROWS: "B7,P1,2024-03-04T10:30:00,1,Ann,Lee,1980-01-02,female,white"})
    )
    assert {(e.row, e.message) for e in out.errors} == {
        (9, f"source key 'B7' appears on rows 9, {ROWS}"),
        (ROWS, f"source key 'B7' appears on rows 9, {ROWS}"),
    }
    assert out.good.num_rows == ROWS - 2


def test_codes_map_the_same_however_many_distinct_spellings_a_column_holds():
    from divert.records.reading import text_table

    header = BOOKING_HEADER.split(",")
    for distinct in (3, 700):  # a SQL list, and past it a lookup in Arrow
        rows = [
            [f"B{i}", "P1", "2024-03-04", "1", "Ann", "Lee", "", "", race]
            for i, race in enumerate([" White ", "NATIVE", *(f"r{i}" for i in range(distinct - 2))])
        ]
        out = check(text_table(header, rows))
        assert out.good["race"].to_pylist() == ["white", "american_indian_alaska_native"]
        assert len(out.errors) == distinct - 2
        assert out.errors[-1].message.startswith(f"unknown race code 'r{distinct - 3}'")
