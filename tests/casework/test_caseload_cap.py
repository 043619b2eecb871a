"""The hard cap holds: every open case counts, and parallel placements take turns."""

import threading
from pathlib import Path

import pytest
from django.db import connection

from divert.casework.models import Enrollment
from divert.field import diversion
from divert.field.models import Referral
from divert.field.policies import policy_load
from divert.people.models import Person
from divert.staff.roles import Role
from tests.conftest import local_today

POLICY = Path(__file__).resolve().parents[2] / "policies" / "seattle-2011.toml"
POSSESSION = {
    "area": "West",
    "person": {"date_of_birth": "1984-02-29"},
    "offenses": [{"nibrs": "35A", "activity": "possess", "drug": "heroin", "grams": 2.5}],
}


def _full_caseload(site, manager, n: int, status: str = "active") -> None:
    for i in range(n):
        Enrollment.objects.create(
            jurisdiction=site["site"],
            person=Person.objects.create(
                jurisdiction=site["site"], first_name=f"Held{i}", last_name="Case"
            ),
            case_manager=manager,
            status=status,
            referred_on=local_today(),
        )


def _screenings(site, officer, n: int):
    screenings = []
    for i in range(n):
        person = Person.objects.create(
            jurisdiction=site["site"], first_name=f"New{i}", last_name="Arrival"
        )
        case = {**POSSESSION, "date": local_today().isoformat()}
        screenings.append(diversion.screening_run(user=officer, case=case, person=person))
    return screenings


@pytest.fixture
def at_capacity(site):
    policy_load(jurisdiction=site["site"], text=POLICY.read_text(), source=POLICY.name)
    manager = site["users"][Role.CASE_MANAGER]
    manager.on_call = True
    manager.save()
    return manager


def test_new_hand_offs_count_against_the_cap(site, at_capacity):
    """A case manager with 25 fresh hand-offs (not yet at intake) is full."""
    _full_caseload(site, at_capacity, 25, status="referred")
    officer = site["users"][Role.OFFICER]
    [screening] = _screenings(site, officer, 1)
    referral = diversion.diversion_create(
        user=officer, screening=screening, pathway="arrest_diversion"
    )
    assert referral.capacity_refused and referral.case_manager is None


def test_twelve_parallel_diversions_against_a_case_manager_at_24_leave_exactly_25(
    committed_db, site, at_capacity
):
    _full_caseload(site, at_capacity, 24)
    officer = site["users"][Role.OFFICER]
    screenings = _screenings(site, officer, 12)
    start = threading.Barrier(len(screenings))
    errors: list[BaseException] = []

    def divert(screening):
        try:
            start.wait()
            diversion.diversion_create(
                user=officer, screening=screening, pathway="arrest_diversion"
            )
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=divert, args=(s,)) for s in screenings]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    open_cases = Enrollment.objects.filter(
        case_manager=at_capacity, status__in=["referred", "intake_pending", "active", "inactive"]
    )
    assert open_cases.count() == 25
    placed = Referral.objects.filter(encounter__screening__in=screenings)
    assert placed.filter(capacity_refused=True).count() == 11
    assert placed.filter(capacity_refused=False).count() == 1
