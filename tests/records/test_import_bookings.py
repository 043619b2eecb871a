"""Importing bookings from CSV: what a run writes, counts and stores."""

from divert.records.models import ImportRun, JusticeEvent
from tests.records.helpers import bookings_csv, day, run


def test_a_booking_file_becomes_booking_records(site, tmp_path):
    path = bookings_csv(tmp_path, [f"1,501,{day(3)},2", f"2,502,{day(2)},1"])
    outcome = run(site, "booking", path)
    assert outcome.refusal == ""
    c = outcome.counts
    assert (c.rows, c.accepted, c.updated, c.unchanged, c.rejected) == (2, 2, 0, 0, 0)
    events = JusticeEvent.objects.filter(jurisdiction=site["site"]).order_by("source_event_id")
    assert [(e.source_event_id, e.source_person_id, e.kind) for e in events] == [
        ("booking-1", "501", "booking"),
        ("booking-2", "502", "booking"),
    ]
    assert events[0].occurred_on.isoformat() == day(3)[:10]
    assert events[0].source_system == "county-jail"
    assert {e.import_run_id for e in events} == {outcome.run.pk}
    assert [h.history_type for h in events[0].history.all()] == ["+"]


def test_the_run_is_stored_with_mapping_checksum_and_counts(site, tmp_path):
    path = bookings_csv(tmp_path, [f"1,501,{day(3)},2"])
    outcome = run(site, "booking", path)
    stored = ImportRun.objects.get(pk=outcome.run.pk)
    assert stored.status == "complete"
    assert (stored.mapping_id, stored.mapping_version) == ("synth-county-jail", 2)
    assert len(stored.file_sha256) == 64
    assert (stored.rows, stored.accepted, stored.rejected, stored.quarantined) == (1, 1, 0, 0)
    assert stored.finished_at is not None


def test_importing_the_same_file_again_changes_nothing(site, tmp_path):
    path = bookings_csv(tmp_path, [f"1,501,{day(3)},2", f"2,502,{day(2)},1"])
    run(site, "booking", path)
    before = list(JusticeEvent.objects.values().order_by("pk"))
    history = JusticeEvent.history.count()
    again = run(site, "booking", path).counts
    assert (again.accepted, again.updated, again.unchanged) == (0, 0, 2)
    assert list(JusticeEvent.objects.values().order_by("pk")) == before
    assert JusticeEvent.history.count() == history


def test_an_overlapping_extract_adds_only_the_new_records(site, tmp_path):
    run(site, "booking", bookings_csv(tmp_path, [f"1,501,{day(3)},2", f"2,502,{day(2)},1"]))
    later = bookings_csv(tmp_path, [f"2,502,{day(2)},1", f"3,503,{day(1)},1"], name="b2.csv")
    c = run(site, "booking", later).counts
    assert (c.accepted, c.updated, c.unchanged) == (1, 0, 1)
    assert JusticeEvent.objects.count() == 3


def test_a_corrected_record_is_updated_with_its_history(site, tmp_path):
    run(site, "booking", bookings_csv(tmp_path, [f"1,501,{day(3)},2"]))
    fixed = bookings_csv(tmp_path, [f"1,601,{day(4)},2"], name="fixed.csv")
    outcome = run(site, "booking", fixed)
    assert (outcome.counts.accepted, outcome.counts.updated) == (0, 1)
    event = JusticeEvent.objects.get()
    assert (event.source_person_id, event.occurred_on.isoformat()) == ("601", day(4)[:10])
    history = list(event.history.order_by("history_id"))
    assert [(h.history_type, h.source_person_id) for h in history] == [("+", "501"), ("~", "601")]
    assert history[-1].history_change_reason == f"import run {outcome.run.pk}"


def test_a_dry_run_counts_and_previews_but_writes_nothing(site, tmp_path):
    path = bookings_csv(tmp_path, [f"1,501,{day(3)},2", "2,502,not-a-date,1"])
    outcome = run(site, "booking", path, dry_run=True)
    assert (outcome.counts.accepted, outcome.counts.rejected) == (1, 1)
    assert outcome.preview[0]["source_key"] == "1"
    assert outcome.preview[0]["occurred_on"] == day(3)[:10]
    assert outcome.errors[0].row == 3
    assert JusticeEvent.objects.count() == 0
    assert ImportRun.objects.count() == 0


def test_records_are_keyed_by_site(site, other_site, tmp_path):
    path = bookings_csv(tmp_path, [f"1,501,{day(3)},2"])
    run(site, "booking", path)
    c = run(other_site, "booking", path).counts
    assert c.accepted == 1
    assert JusticeEvent.objects.filter(jurisdiction=other_site["site"]).count() == 1


def _fields(obj, model) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields}


def test_each_history_row_holds_exactly_what_was_stored(site, tmp_path):
    from divert.linkage.models import JusticePerson

    first = [
        f"1,J1,{day(3)},2,Tonia,Butler,1984-03-11T00:00:00,female,",
        f"2,J2,{day(2)},1,,Hill,,,",
    ]
    run(site, "booking", bookings_csv(tmp_path, first))
    later = bookings_csv(tmp_path, [f"1,J1,{day(3)},1,Tonya,,,,black"], name="later.csv")
    run(site, "booking", later)
    stored = [*JusticeEvent.objects.all(), *JusticePerson.objects.all()]
    assert len(stored) == 4
    for obj in stored:
        model = type(obj)
        latest = obj.history.order_by("-history_id").first()
        assert _fields(latest, model) == _fields(obj, model), obj
    # Where the rows gave nothing, the model's defaults, in the record and in its history.
    hill = JusticePerson.objects.get(source_person_id="J2")
    assert (hill.first_name, hill.sex, hill.race, hill.date_of_birth) == (
        "",
        "unknown",
        "unknown",
        None,
    )
    assert [
        h.history_type for h in JusticePerson.objects.get(source_person_id="J1").history.all()
    ] == ["~", "+"]


def test_names_that_look_like_null_markers_or_hold_quotes_are_stored_as_written(site, tmp_path):
    from divert.linkage.models import JusticePerson

    rows = [f'1,J1,{day(3)},1,\\N,"O\'Neil, ""Jr""",,,', f"2,J2,{day(2)},1,NULL,Hill,,,"]
    run(site, "booking", bookings_csv(tmp_path, rows))
    names = dict(JusticePerson.objects.values_list("source_person_id", "first_name"))
    assert names == {"J1": "\\N", "J2": "NULL"}
    assert JusticePerson.objects.get(source_person_id="J1").last_name == 'O\'Neil, "Jr"'
