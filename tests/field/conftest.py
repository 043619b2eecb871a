from pathlib import Path

import pytest

from divert.field.policies import policy_load
from divert.staff.roles import Role

POLICIES = Path(__file__).resolve().parents[2] / "policies"


@pytest.fixture
def seattle(site):
    return policy_load(
        jurisdiction=site["site"],
        text=(POLICIES / "seattle-2011.toml").read_text(),
        source="seattle-2011.toml",
    )


@pytest.fixture
def seattle_2020(site):
    """Seattle's policy from 2020, which opens the community pathway."""
    return policy_load(jurisdiction=site["site"], text=(POLICIES / "seattle-2020.toml").read_text())


@pytest.fixture
def officer(site):
    return site["users"][Role.OFFICER]


@pytest.fixture
def on_call(site):
    manager = site["users"][Role.CASE_MANAGER]
    manager.on_call = True
    manager.save()
    return manager


POSSESSION = {
    "date": "2026-03-14",
    "area": "West",
    "person": {"date_of_birth": "1984-02-29"},
    "offenses": [{"nibrs": "35A", "activity": "possess", "drug": "heroin", "grams": 2.5}],
}
