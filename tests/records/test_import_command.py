"""`divert import`: counts printed, refusals exit 1, bad use exits 2."""

import pytest
from typer.testing import CliRunner

from divert.cli import app
from divert.records.models import ImportRun, JusticeEvent
from tests.records.helpers import bookings_csv, day, write

runner = CliRunner()
MAPPING = "mappings/synth-county-jail.toml"


@pytest.mark.django_db
def test_the_command_imports_and_prints_the_counts(site, tmp_path):
    path = bookings_csv(tmp_path, [f"1,501,{day(3)},1", "2,502,soon,1"])
    result = runner.invoke(
        app, ["import", "booking", str(path), "--mapping", MAPPING, "-j", "cascadia"]
    )
    assert result.exit_code == 0, result.output
    assert "accepted 1, updated 0, unchanged 0, rejected 1, quarantined 1" in result.output
    assert "bookings.csv, row 3, column booked_at: not a valid date: 'soon'" in result.output
    assert JusticeEvent.objects.count() == 1
    assert ImportRun.objects.get().origin == "cli"


@pytest.mark.django_db
def test_a_dry_run_shows_the_rows_as_mapped_and_writes_nothing(site, tmp_path):
    path = bookings_csv(tmp_path, [f"1,501,{day(3)},1"])
    result = runner.invoke(app, ["import", "booking", str(path), "-m", MAPPING, "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Dry run (nothing written)" in result.output and "501" in result.output
    assert JusticeEvent.objects.count() == 0


@pytest.mark.django_db
def test_a_refused_file_exits_1_and_names_the_file(site, tmp_path):
    result = runner.invoke(
        app, ["import", "booking", str(write(tmp_path, "e.csv", b"")), "-m", MAPPING]
    )
    assert result.exit_code == 1
    assert (
        "Refused, nothing imported:" in result.output
        and "e.csv: the file is empty" in result.output
    )


@pytest.mark.django_db
def test_a_kind_the_mapping_lacks_or_an_unknown_kind_is_bad_use(site, tmp_path):
    path = bookings_csv(tmp_path, [f"1,501,{day(3)},1"])
    lacking = runner.invoke(app, ["import", "arrest", str(path), "-m", MAPPING])
    assert lacking.exit_code == 2 and "has no [kinds.arrest] section" in lacking.output
    unknown = runner.invoke(app, ["import", "parking", str(path), "-m", MAPPING])
    assert unknown.exit_code == 2
    assert ImportRun.objects.count() == 0
