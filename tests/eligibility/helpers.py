"""Shared helpers: the shipped policies and a plain eligible-looking case.

A plain module rather than a conftest, so these tests need no pytest plugin or fixture.
"""

from __future__ import annotations

import copy
from pathlib import Path

from divert.eligibility import Case, Policy, load_policy

POLICIES = Path(__file__).resolve().parents[2] / "policies"
SITES = {
    "seattle": "seattle-2011.toml",
    "seattle-2015": "seattle-2015.toml",
    "seattle-2018": "seattle-2018.toml",
    "seattle-2020": "seattle-2020.toml",
    "san-francisco": "san-francisco.toml",
    "santa-fe": "santa-fe.toml",
}
# Each site's own area name, so a program-area rule does not fire on the plain case.
AREAS = {"san-francisco": "Tenderloin"}
_loaded: dict[str, Policy] = {}


def site(name: str) -> Policy:
    if name not in _loaded:
        _loaded[name] = load_policy(POLICIES / SITES[name])
    return _loaded[name]


# An adult found with one gram of heroin, nothing else known: eligible everywhere.
BASE_CASE = {
    "date": "2026-03-14",
    "area": "West",
    "person": {"date_of_birth": "1984-02-29"},
    "offenses": [{"nibrs": "35A", "activity": "possess", "drug": "heroin", "grams": 1.0}],
    "history": [],
    "flags": [],
}


def case_data(**changes) -> dict:
    data = copy.deepcopy(BASE_CASE)
    data.update(copy.deepcopy(changes))
    return data


def make_case(**changes) -> Case:
    return Case.model_validate(case_data(**changes))


def site_case(name: str, **changes) -> Case:
    """The plain case, placed in the site's own area unless the changes say otherwise."""
    return make_case(**({"area": AREAS.get(name, "West")} | changes))
