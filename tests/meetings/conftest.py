import pytest

from divert.meetings.services import item_add, meeting_create
from divert.staff.roles import Role
from tests.casework.helpers import days, enroll


@pytest.fixture
def runner(site):
    return site["users"][Role.SUPERVISOR]


@pytest.fixture
def meeting(site, runner):
    made, _ = meeting_create(user=runner, held_on=days(0), seed=False)
    return made


@pytest.fixture
def legal_item(meeting, runner, participant):
    """Robert Jones (whose release names the prosecutor's and defender's offices), with a
    summary that touches on health and a legal line."""
    item, _ = item_add(
        user=runner,
        meeting=meeting,
        enrollment_id=participant["enrollment"].pk,
        summary="Using daily; wants buprenorphine.",
        decisions="Clinic referral this week.",
        legal="FTA warrant: defender to ask to quash.",
    )
    return item


@pytest.fixture
def other_item(site, meeting, runner):
    """Someone else's participant, with no release: team discussion only."""
    colleague = site["users"][Role.SUPERVISOR]
    enrollment = enroll(site, "Dana Other", manager=colleague)
    item, _ = item_add(
        user=runner,
        meeting=meeting,
        enrollment_id=enrollment.pk,
        summary="Housing application in; methadone clinic daily.",
        legal="No open cases.",
    )
    return item
