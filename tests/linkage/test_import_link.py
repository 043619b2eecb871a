"""End to end: a jail's booking export names the person; the import keeps the jail's person
record, linkage ties it to the program person, and the case manager sees the booking."""

import datetime

from divert.linkage.models import JusticePerson, Link
from divert.linkage.services import linkage_run
from divert.records.mapping import MappingError, mapping_from_text
from divert.records.models import JusticeEvent, QuarantinedRow
from divert.staff.roles import Role
from tests.casework.test_alerts import enroll, kinds, seen
from tests.records.helpers import SYNTH_MAPPING, bookings_csv, day, run

BORN = "1984-03-11T00:00:00"


def test_an_imported_booking_of_an_active_participant_links_and_raises_the_alert(site, tmp_path):
    cm = site["users"][Role.CASE_MANAGER]
    person, enrollment = enroll(site, "Tonya Butler")
    person.date_of_birth, person.sex, person.race = datetime.date(1984, 3, 11), "female", "black"
    person.save()
    seen(site, enrollment)
    assert "Tonya Butler" not in kinds(cm)
    path = bookings_csv(
        tmp_path,
        [
            # The jail spells her name its own way.
            f"1,J77,{day(2)},1,Tonia,Butler,{BORN},female,black",
            f"2,J78,{day(1)},1,Marcus,Hill,1990-06-01T00:00:00,male,other",
        ],
    )
    outcome = run(site, "booking", path)
    assert (outcome.counts.accepted, outcome.counts.persons_new) == (2, 2)
    jail = JusticePerson.objects.get(source_person_id="J77")
    assert (jail.first_name, jail.last_name, jail.date_of_birth, jail.sex, jail.race) == (
        "Tonia",
        "Butler",
        datetime.date(1984, 3, 11),
        "female",
        "black",
    )
    assert JusticePerson.objects.get(source_person_id="J78").race == "unknown"
    assert [h.history_type for h in jail.history.all()] == ["+"]
    # Imported, not yet linked: nobody's booking.
    assert JusticeEvent.objects.get(source_event_id="booking-1").person_id is None
    assert "Tonya Butler" not in kinds(cm)

    run_ = linkage_run(jurisdiction=site["site"])
    assert run_.auto == 1 and run_.events_linked == 1
    link = Link.objects.get()
    assert (link.person_id, link.justice_person_id, link.status) == (person.pk, jail.pk, "auto")
    assert JusticeEvent.objects.get(source_event_id="booking-1").person_id == person.pk
    assert kinds(cm)["Tonya Butler"] == "new_case"


def test_a_later_booking_corrects_the_person_and_an_empty_cell_erases_nothing(site, tmp_path):
    run(site, "booking", bookings_csv(tmp_path, [f"1,J77,{day(3)},1,Tonia,Butler,{BORN},female,"]))
    later = bookings_csv(
        tmp_path, [f"1,J77,{day(3)},1,Tonia,Butler,{BORN},female,", f"2,J77,{day(1)},1,Tonya,,,,black"],
        name="later.csv",
    )  # fmt: skip
    outcome = run(site, "booking", later)
    assert (outcome.counts.persons_new, outcome.counts.persons_updated) == (0, 1)
    jail = JusticePerson.objects.get()
    assert (jail.first_name, jail.last_name, jail.date_of_birth.isoformat(), jail.race) == (
        "Tonya",
        "Butler",
        "1984-03-11",
        "black",
    )
    assert [h.history_type for h in jail.history.all()] == ["~", "+"]
    assert jail.history.first().history_change_reason == f"import run {outcome.run.pk}"
    again = run(site, "booking", later)
    assert (again.counts.persons_new, again.counts.persons_updated) == (0, 0)


def test_a_bad_birth_date_or_sex_sets_the_row_aside_and_writes_neither_record(site, tmp_path):
    path = bookings_csv(
        tmp_path,
        [
            f"1,J77,{day(2)},1,Tonia,Butler,1984-02-30,female,black",
            f"2,J78,{day(2)},1,Marcus,Hill,{BORN},M,white",
            f"3,J79,{day(2)},1,Ann,Lee,{day(-1)[:10]},female,asian",  # born tomorrow
        ],
    )
    outcome = run(site, "booking", path)
    assert (outcome.counts.accepted, outcome.counts.rejected) == (0, 3)
    errors = {e.row: (e.column, e.message) for e in outcome.errors}
    assert errors[2][0] == "dob" and "not a valid date: '1984-02-30'" in errors[2][1]
    assert errors[3] == (
        "sex",
        "unknown sex code 'M': add it to [codes.sex] in mapping synth-county-jail",
    )
    assert errors[4][0] == "dob" and "after today" in errors[4][1]
    assert QuarantinedRow.objects.count() == 3
    assert not JusticePerson.objects.exists() and not JusticeEvent.objects.exists()


def test_person_fields_belong_on_the_file_that_carries_its_own_person():
    text = SYNTH_MAPPING.replace(
        'justice_person_id = "source_person_id"\nnibrs = "nibrs"',
        'justice_person_id = "source_person_id"\nnibrs = "nibrs"\ndob = "date_of_birth"',
    )
    assert text != SYNTH_MAPPING
    try:
        mapping_from_text(text)
    except MappingError as exc:
        assert "charge: date_of_birth describe the person" in str(exc)
    else:
        raise AssertionError("a charge file mapping a date of birth was accepted")


def test_names_with_quotes_commas_and_backslashes_are_stored_as_the_jail_wrote_them(site, tmp_path):
    # The persons go through a staging table (COPY as CSV on PostgreSQL): nothing in a name
    # may break a row, shift a column or become a null.
    path = bookings_csv(
        tmp_path,
        [f'1,J90,{day(1)},1,"Mary ""Mae""","O\'Brien, Jr.",{BORN},female,white',
         f"2,J91,{day(1)},1,\\N,Back\\slash,,male,"],
    )  # fmt: skip
    outcome = run(site, "booking", path)
    assert outcome.counts.persons_new == 2, outcome.errors
    mary = JusticePerson.objects.get(source_person_id="J90")
    assert (mary.first_name, mary.last_name) == ('Mary "Mae"', "O'Brien, Jr.")
    other = JusticePerson.objects.get(source_person_id="J91")
    assert (other.first_name, other.last_name, other.date_of_birth) == ("\\N", "Back\\slash", None)
