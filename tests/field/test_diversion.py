import datetime

import pytest
from django.core.exceptions import ValidationError

from divert.casework.models import Enrollment
from divert.charges.models import ChargeHold
from divert.field import diversion
from divert.field.models import Encounter, Offense, Referral
from divert.people.models import Person
from tests.conftest import local_today
from tests.field.conftest import POSSESSION


@pytest.fixture
def person(site):
    return Person.objects.create(
        jurisdiction=site["site"],
        first_name="Ann",
        last_name="Lee",
        date_of_birth=datetime.date(1984, 2, 29),
    )


def _screening(officer, person, **changes):
    case = {**POSSESSION, "date": local_today().isoformat(), **changes}
    case.pop("person")
    return diversion.screening_run(user=officer, case=case, person=person)


def test_an_arrest_diversion_enrolls_holds_the_charge_and_notifies(
    officer, person, seattle, on_call, django_capture_on_commit_callbacks, capsys
):
    screening = _screening(officer, person)
    with django_capture_on_commit_callbacks(execute=True):
        referral = diversion.diversion_create(
            user=officer, screening=screening, pathway="arrest_diversion"
        )
    assert referral.case_manager == on_call and not referral.capacity_refused
    assert referral.encounter.outcome == Encounter.Outcome.DIVERTED
    enrollment = Enrollment.objects.get(referral=referral)
    assert enrollment.status == "referred"
    assert enrollment.intake_due_on == enrollment.referred_on + datetime.timedelta(days=30)
    hold = ChargeHold.objects.get(referral=referral)
    assert hold.due_on == enrollment.intake_due_on and hold.status == "holding"
    assert f"referral #{referral.pk}" in capsys.readouterr().out


def test_the_person_history_is_filled_from_records(officer, person, seattle):
    from divert.records.models import JusticeEvent

    JusticeEvent.objects.create(
        jurisdiction=person.jurisdiction,
        person=person,
        source_system="jail",
        source_person_id="J9",
        source_event_id="D1",
        kind="disposition",
        nibrs="120",
        disposition="Guilty",
        occurred_on=datetime.date(2019, 6, 1),
    )
    screening = _screening(officer, person)
    assert screening.case["history"] == [
        {"nibrs": "120", "disposition": "convicted", "date": "2019-06-01"}
    ]
    assert screening.eligible is False


def test_an_ineligible_case_cannot_be_diverted(officer, person, seattle, on_call):
    screening = _screening(
        officer,
        person,
        offenses=[{"nibrs": "35A", "activity": "possess", "drug": "heroin", "grams": 10}],
    )
    with pytest.raises(ValidationError) as exc:
        diversion.diversion_create(user=officer, screening=screening, pathway="arrest_diversion")
    assert "pathway" in exc.value.message_dict
    assert not Referral.objects.exists() and not Encounter.objects.exists()


def test_at_the_cap_a_referral_is_recorded_as_a_capacity_refusal(
    site, officer, person, seattle, on_call
):
    jurisdiction = site["site"]
    jurisdiction.caseload_target, jurisdiction.caseload_cap = 0, 0
    jurisdiction.save()
    screening = _screening(officer, person)
    referral = diversion.diversion_create(
        user=officer, screening=screening, pathway="arrest_diversion"
    )
    assert referral.capacity_refused and referral.case_manager is None
    assert not Enrollment.objects.exists() and not ChargeHold.objects.exists()
    encounter = diversion.encounter_close(
        user=officer,
        screening=screening,
        outcome="booked",
        reason="program full",
        referral=referral,
    )
    assert (encounter.outcome, encounter.outcome_reason) == ("booked", "program full")


def test_social_contacts_are_refused_before_diversions_as_capacity_runs_out(
    site, officer, on_call, seattle
):
    from divert.casework import capacity

    jurisdiction = site["site"]
    jurisdiction.caseload_target, jurisdiction.caseload_cap = 1, 2
    jurisdiction.save()
    Enrollment.objects.create(
        jurisdiction=jurisdiction,
        person=Person.objects.create(jurisdiction=jurisdiction, first_name="A", last_name="B"),
        case_manager=on_call,
        status="active",
        referred_on=local_today(),
    )
    assert capacity.case_manager_pick(jurisdiction=jurisdiction, pathway="social_contact") is None
    assert (
        capacity.case_manager_pick(jurisdiction=jurisdiction, pathway="arrest_diversion") == on_call
    )


def test_a_decline_is_recorded_with_its_reason(officer, person, seattle):
    screening = _screening(officer, person)
    encounter = diversion.encounter_close(
        user=officer, screening=screening, outcome="declined", reason="did not want services"
    )
    assert encounter.outcome == "declined" and encounter.screening == screening
    with pytest.raises(ValidationError):
        diversion.encounter_close(user=officer, screening=screening, outcome="cited", reason="x")


def test_a_close_without_a_reason_is_refused(officer, person, seattle):
    with pytest.raises(ValidationError) as exc:
        diversion.encounter_close(
            user=officer, screening=_screening(officer, person), outcome="released", reason=" "
        )
    assert "reason" in exc.value.message_dict


def test_the_handoff_clock_stops_once(officer, person, seattle, on_call):
    referral = diversion.diversion_create(
        user=officer, screening=_screening(officer, person), pathway="arrest_diversion"
    )
    first = diversion.handoff_complete(user=officer, referral=referral).handed_off_at
    assert first is not None
    assert diversion.handoff_complete(user=officer, referral=referral).handed_off_at == first


def test_another_officer_cannot_act_on_someone_elses_screening(site, person, seattle, on_call):
    from django.core.exceptions import PermissionDenied

    from divert.staff.models import User

    officer = site["users"]["officer"]
    other = User.objects.create_user(
        username="other-officer", organization=officer.organization, roles=["officer"]
    )
    screening = _screening(officer, person)
    with pytest.raises(PermissionDenied):
        diversion.diversion_create(user=other, screening=screening, pathway="arrest_diversion")


# 01:30 UTC on 2 March is 17:30 on 1 March in Seattle.
EVENING_IN_SEATTLE = datetime.datetime(2026, 3, 2, 1, 30, tzinfo=datetime.UTC)


def test_rescreening_in_the_evening_keeps_todays_contact_on_todays_date(
    site, seattle, officer, frozen_clock
):
    """After 16:00 Pacific the UTC date is tomorrow; a contact earlier this evening is today."""
    frozen_clock.move_to(EVENING_IN_SEATTLE)
    person = Person.objects.create(jurisdiction=site["site"], first_name="Ann", last_name="Lee")
    earlier = Encounter.objects.create(
        jurisdiction=site["site"],
        person=person,
        occurred_at=EVENING_IN_SEATTLE - datetime.timedelta(minutes=20),
        officer=officer,
        outcome="released",
    )
    Offense.objects.create(encounter=earlier, nibrs="35A", activity="possess")
    case = {k: v for k, v in POSSESSION.items() if k != "date"}
    screening = diversion.screening_run(user=officer, case=case, person=person)
    assert screening.case["date"] == "2026-03-01"
    assert [a["date"] for a in screening.case["verified_activity"]] == ["2026-03-01"]
