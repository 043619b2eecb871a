"""Excel and Parquet exports, and the example of a differently shaped one."""

import datetime

import pandas as pd
from openpyxl import Workbook

from divert.jurisdictions.models import StatuteMapping
from divert.linkage.models import JusticePerson
from divert.records.models import JusticeEvent, QuarantinedRow
from tests.conftest import local_today
from tests.records.helpers import ROOT, day, run, write

METRO = (ROOT / "mappings" / "example-metro-police.toml").read_text()
METRO_HEADER = [
    "Incident #",
    "Subject ID",
    "Subject Name",
    "Arrest Date/Time",
    "Statute",
    "Class",
    "Officer Badge",
    "Beat",
    "Narrative",
]


def metro_workbook(path, rows):
    book = Workbook()
    sheet = book.active
    sheet.title = "Notes"
    sheet["A1"] = "not the data"
    arrests = book.create_sheet("Arrests")
    arrests.append(METRO_HEADER)
    for row in rows:
        arrests.append(row)
    book.save(path)
    return path


def test_an_excel_export_of_another_shape_is_mapped(site, tmp_path):
    when = datetime.datetime.combine(local_today(), datetime.time(22, 15)) - datetime.timedelta(
        days=2
    )
    us = f"{when:%m/%d/%Y} 09:05"
    path = metro_workbook(
        tmp_path / "arrests.xlsx",
        [
            ["24-000101", "M-77", "Doe, Jan", when, "RCW 69.50.4013", "F", 4411, "K2", "..."],
            ["24-000102", "M-78", "Roe, Ann", us, "rcw  9a.88.030", "m", 4411, "K2", ""],
            ["24-000103", "M-79", "Poe, Ed", us, "RCW 46.61.502", "M", 4411, "K2", ""],
            ["24-000104", "M-80", "Loe, Al", us, "SMC 12A.08.040", "X", 4411, "K2", ""],
            ["24-000105", "M-81", "Moe, Di", '=HYPERLINK("http://x")', "RCW 9A.56.050", "M"],
        ],
    )
    StatuteMapping.objects.create(jurisdiction=site["site"], statute="RCW 46.61.502", nibrs="90D")
    outcome = run(site, "arrest", path, mapping=METRO)
    assert outcome.refusal == ""
    events = {e.source_event_id: e for e in JusticeEvent.objects.all()}
    assert set(events) == {"arrest-24-000101", "arrest-24-000102", "arrest-24-000103"}
    first = events["arrest-24-000101"]
    assert (first.kind, first.source_system, first.source_person_id) == (
        "arrest",
        "metro-rms",
        "M-77",
    )
    assert (first.nibrs, first.level, first.occurred_on) == ("35A", "felony", when.date())
    assert events["arrest-24-000102"].nibrs == "40A"  # the mapping's statute, any case or spacing
    assert events["arrest-24-000103"].nibrs == "90D"  # the site's statute map
    rows = {q.row: q.errors for q in QuarantinedRow.objects.all()}
    assert rows == {
        5: [
            {
                "column": "Class",
                "message": "unknown level code 'X': add it to [codes.level] in mapping "
                "example-metro-police",
            }
        ],
        6: [
            {
                "column": "Arrest Date/Time",
                "message": "looks like a spreadsheet formula; refused so it can never run",
            },
            {
                "column": "Arrest Date/Time",
                "message": "not a valid date: '=HYPERLINK(\"http://x\")' (expected m/d/Y H:M)",
            },
        ],
    }


def test_the_example_mapping_reads_its_csv_in_windows_1252(site, tmp_path):
    us = f"{local_today() - datetime.timedelta(days=1):%m/%d/%Y} 23:40"
    text = ",".join(f'"{h}"' for h in METRO_HEADER) + "\n"
    text += f'24-9,M-90,"Núñez, José",{us},RCW 69.50.4013,M,1,K2,"señal"\n'
    path = write(tmp_path, "arrests.csv", text.encode("cp1252"))
    outcome = run(site, "arrest", path, mapping=METRO)
    assert outcome.counts.accepted == 1
    assert JusticeEvent.objects.get().nibrs == "35A"


def test_a_parquet_export_imports_like_its_csv(site, tmp_path):
    frame = pd.DataFrame(
        {
            "booking_id": [1, 2],
            "justice_person_id": [501, 502],
            "booked_at": pd.to_datetime([day(3), day(2)]),
            "area_id": [1, 2],
            "first_name": ["Ann", "Bo"],
            "last_name": ["Lee", None],
            "dob": pd.to_datetime(["1980-01-02", None]),
            "sex": ["female", "male"],
            "race": ["white", None],
        }
    )
    frame.to_parquet(tmp_path / "bookings.parquet")
    outcome = run(site, "booking", tmp_path / "bookings.parquet")
    assert (outcome.counts.accepted, outcome.counts.persons_new) == (2, 2)
    ann = JusticePerson.objects.get(source_person_id="501")
    assert (ann.last_name, ann.date_of_birth.isoformat()) == ("Lee", "1980-01-02")
    event = JusticeEvent.objects.get(source_event_id="booking-2")
    assert (event.source_person_id, event.occurred_on.isoformat()) == ("502", day(2)[:10])
    csv = tmp_path / "bookings.csv"
    frame.to_csv(csv, index=False, date_format="%Y-%m-%dT%H:%M:%S")
    again = run(site, "booking", csv).counts
    assert (again.unchanged, again.persons_new, again.persons_updated) == (2, 0, 0)


def test_a_file_that_is_not_parquet_is_refused(site, tmp_path):
    path = write(tmp_path, "bookings.parquet", "booking_id\n1\n")
    outcome = run(site, "booking", path)
    assert outcome.refusal.startswith("bookings.parquet: cannot read as Parquet")


def test_a_file_that_is_not_a_workbook_is_refused(site, tmp_path):
    outcome = run(site, "arrest", write(tmp_path, "a.xlsx", "hello"), mapping=METRO)
    assert outcome.refusal.startswith("a.xlsx: cannot read as an Excel .xlsx workbook")
