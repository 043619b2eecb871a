from pathlib import Path

import pytest

from divert.synth import TABLES, read_table
from divert.synth.tables import check, parse_markdown, render_markdown

DOCS = Path(__file__).resolve().parents[2] / "docs" / "data-model.md"


def test_the_data_model_doc_matches_the_schema_in_code():
    documented = parse_markdown(DOCS.read_text())
    in_code = {
        name: [(c.name, c.type, c.unit, c.meaning) for c in t.columns] for name, t in TABLES.items()
    }
    assert documented == in_code, "regenerate docs/data-model.md from tables.render_markdown()"


def test_the_doc_parser_reads_back_what_render_writes():
    assert set(parse_markdown(render_markdown())) == set(TABLES)


def test_the_doc_check_would_catch_a_renamed_column():
    text = DOCS.read_text().replace("| booked_at |", "| booking_time |")
    assert parse_markdown(text)["bookings"] != [
        (c.name, c.type, c.unit, c.meaning) for c in TABLES["bookings"].columns
    ]


@pytest.mark.parametrize("name", sorted(TABLES))
def test_every_written_table_matches_its_documented_schema(written, name):
    df = read_table(written, name)
    assert check(name, df) == []
    key = list(TABLES[name].key)
    assert df[key].equals(df.sort_values(key, kind="stable")[key].reset_index(drop=True))


def test_every_in_memory_table_matches_its_documented_schema(small):
    assert set(small.tables) == set(TABLES)
    for name, df in small.tables.items():
        assert check(name, df) == [], name


def test_ids_are_unique_where_they_are_keys(small):
    for name, t in TABLES.items():
        df = small.tables[name]
        assert not df.duplicated(list(t.key)).any(), name
