"""The live database as canonical tables: one site's rows only, the evaluation's own types,
and the same Ibis metrics running on them (SQLite and PostgreSQL alike)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db.models import F

from divert.casework.models import Enrollment
from divert.evaluation.compute import run
from divert.evaluation.registry import all_metrics
from divert.field.models import Encounter, Referral
from divert.program.canonical import site_source, site_tables
from divert.synth.tables import DTYPES, TABLES


def test_one_row_per_live_row_of_the_site_and_none_of_another(db, county, loaded):
    site, other = loaded
    t = site_tables(site)
    for name in ("persons", "encounters", "referrals", "enrollments", "contacts", "areas"):
        assert len(t[name]) == len(county.tables[name]), name
    ids = other["ids"]
    assert ids["person"] not in set(t["persons"].person_id)
    assert ids["person"] not in set(t["encounters"].person_id)
    assert ids["encounter"] not in set(t["encounters"].encounter_id)
    assert ids["enrollment"] not in set(t["enrollments"].enrollment_id)
    assert ids["enrollment"] not in set(t["contacts"].enrollment_id)
    # The other site's own export holds its rows and nothing of the first.
    mine = site_tables(other["site"])
    assert list(mine["persons"].person_id) == [ids["person"]]
    assert list(mine["contacts"].enrollment_id) == [ids["enrollment"]]
    assert set(mine["encounters"].person_id) == {ids["person"]}


def test_columns_keep_the_canonical_types(db, loaded):
    t = site_tables(loaded[0])
    nullable = {"bool": ("bool", "boolean"), "int64": ("int64", "Int64")}
    for name, frame in t.items():
        declared = {c.name: DTYPES[c.type] for c in TABLES[name].columns}
        assert not set(frame.columns) - set(declared), name
        for c in frame.columns:
            ok = nullable.get(declared[c], (declared[c],))
            assert str(frame[c].dtype) in ok, f"{name}.{c}: {frame[c].dtype}"


def test_names_are_not_copied(db, loaded):
    assert not {"first_name", "last_name"} & set(site_tables(loaded[0])["persons"].columns)


def test_the_metrics_run_on_the_live_rows(db, county, loaded):
    src = site_source(loaded[0])
    metrics = all_metrics()
    intake = run(metrics["system.intake_within_deadline"], src)
    synth = county.tables["intakes"]
    assert intake["n"] == len(synth)
    # The live program counts whole days: completed on or before the due day.
    met = Enrollment.objects.filter(
        jurisdiction=loaded[0], intake_completed_on__lte=F("intake_due_on")
    )
    assert intake["numerator"] == met.count()
    mix = run(metrics["reorient.pathway_mix"], src)
    assert mix["n"] == len(county.tables["referrals"])
    # Nothing the live rows cannot answer is invented: it says what is missing.
    booked = run(metrics["system.eligible_people_booked"], src)
    assert "population" in booked["not_estimable"]


@pytest.mark.slow
def test_the_live_rows_give_the_same_figures_on_spark(db, loaded, spark_session):
    duck, spark = site_source(loaded[0]), site_source(loaded[0], "spark")
    assert (duck.engine, spark.engine) == ("duckdb", "spark")
    assert spark.names == duck.names
    metrics = all_metrics()
    for key in ("system.intake_within_deadline", "reorient.pathway_mix"):
        on_duck, on_spark = run(metrics[key], duck), run(metrics[key], spark)
        assert on_spark == on_duck, key
        assert on_duck.get("n"), key  # a figure, not two gaps alike


def test_local_times_are_the_sites(db, loaded):
    site = loaded[0]
    t = site_tables(site)
    first = Encounter.objects.filter(jurisdiction=site, person__isnull=False).order_by("pk")[0]
    local = first.occurred_at.astimezone(ZoneInfo(site.timezone)).replace(tzinfo=None)
    assert t["encounters"].occurred_at.iloc[0].to_pydatetime() == local


def test_evaluate_reads_one_site_of_the_live_database(db, loaded, tmp_path):
    import json

    from typer.testing import CliRunner

    from divert.cli import app

    out = tmp_path / "eval"
    result = CliRunner().invoke(
        app, ["evaluate", "--site", "loaded", "--out", str(out), "--no-pdf"]
    )
    assert result.exit_code == 0, result.output
    r = json.loads((out / "results.json").read_text())
    assert (
        r["metrics"]["reorient.pathway_mix"]["n"]
        == Referral.objects.filter(jurisdiction=loaded[0]).count()
    )
    missing = CliRunner().invoke(app, ["evaluate", "--site", "nowhere", "--out", str(out)])
    assert missing.exit_code == 2 and "no site with the slug 'nowhere'" in missing.output


def test_meetings_held_to_date_are_counted_for_their_site_only(db, loaded):
    from divert.evaluation.fidelity import meetings_held
    from divert.jurisdictions.clock import site_today
    from divert.meetings.models import Meeting
    from divert.staff.models import User

    site, other = loaded
    assert "meetings" not in site_tables(site)  # none recorded: the measure says so
    assert "no meeting records" in meetings_held(site_source(site))["not_estimable"]
    today = site_today(site)
    mine = User.objects.filter(organization__jurisdiction=site).first()
    theirs = next(iter(other["users"].values()))
    for days_ago in (0, 14, 28, -7):
        held_on = today - datetime.timedelta(days=days_ago)
        Meeting.objects.create(jurisdiction=site, held_on=held_on, created_by=mine)
    Meeting.objects.create(jurisdiction=other["site"], held_on=today, created_by=theirs)
    t = site_tables(site)
    assert len(t["meetings"]) == 3  # the planned one next week has not been held
    assert meetings_held(site_source(site))["estimate"] == 3
    assert len(site_tables(other["site"])["meetings"]) == 1
