"""Bad cases are refused with an error naming each field at fault."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from divert.eligibility import Case, validation_errors

from .helpers import case_data


def fields_at_fault(data: dict) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        Case.model_validate(data)
    return {e["field"]: e["message"] for e in validation_errors(caught.value)}


def offense(**changes) -> list[dict]:
    return [{"nibrs": "35A", "activity": "possess", "drug": "heroin", "grams": 1.0} | changes]


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"offenses": offense(nibrs="35Z")}, "offenses.0.nibrs", "35Z"),
        ({"offenses": offense(grams=-0.5)}, "offenses.0.grams", "greater than or equal to 0"),
        ({"offenses": offense(grams=1001)}, "offenses.0.grams", "less than or equal to 1000"),
        ({"offenses": offense(grams="2.5")}, "offenses.0.grams", "number"),
        ({"offenses": offense(activity="deal")}, "offenses.0.activity", "subsistence_sale"),
        ({"offenses": offense(drug="kratom")}, "offenses.0.drug", "heroin"),
        ({"flags": ["on_bail"]}, "flags.0", "no_contact_order"),
        ({"date": "14/03/2026"}, "date", "YYYY-MM-DD"),
        ({"date": "2026-02-30"}, "date", "not a real calendar date"),
        ({"date": 1773446400}, "date", "YYYY-MM-DD"),
        ({"person": {"date_of_birth": "1984-13"}}, "person.date_of_birth", "not a real"),
        ({"person": {"date_of_birth": "84"}}, "person.date_of_birth", "YYYY"),
        ({"person": {"date_of_birth": "2030"}}, "person.date_of_birth", "after the case date"),
        ({"person": {}}, "person.date_of_birth", "missing"),
        ({"history": [{"nibrs": "120", "disposition": "convicted"}]}, "history.0.date", "missing"),
        (
            {"history": [{"nibrs": "120", "disposition": "guilty", "date": "2019-01-01"}]},
            "history.0.disposition",
            "convicted",
        ),
        (
            {"history": [{"nibrs": "120", "disposition": "convicted", "date": "2027-01-01"}]},
            "history.0.date",
            "after the case date",
        ),
        ({"pathway": "walk_in"}, "pathway", "arrest_diversion"),
        ({"time": "25:00"}, "time", "not a time of day"),
        ({"time": "7:00"}, "time", "HH:MM"),
        ({"time": "07:00:00"}, "time", "HH:MM"),
        ({"offenses": offense(nibrs="23C", value=-5.0)}, "offenses.0.value", "greater than"),
        (
            {"verified_activity": [{"date": "2025-01-01", "source": "rumour"}]},
            "verified_activity.0.source",
            "reliable_information",
        ),
        ({"amenable": "maybe"}, "amenable", "boolean"),
        ({"colour": "blue"}, "colour", "unknown key"),
    ],
)
def test_a_bad_case_names_the_field_at_fault(changes, field, words):
    errors = fields_at_fault(case_data(**changes))
    assert field in errors, errors
    assert words in errors[field]


def test_a_case_without_a_person_names_the_person():
    data = case_data()
    del data["person"]
    assert "person" in fields_at_fault(data)


def test_every_bad_field_is_reported_at_once():
    errors = fields_at_fault(case_data(offenses=offense(nibrs="XX", grams=-1), flags=["nope"]))
    assert {"offenses.0.nibrs", "offenses.0.grams", "flags.0"} <= set(errors)


def test_lower_case_codes_are_accepted_and_normalised():
    case = Case.model_validate(case_data(offenses=offense(nibrs="35a")))
    assert case.offenses[0].nibrs == "35A"
