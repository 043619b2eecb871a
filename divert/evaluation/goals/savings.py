"""Goal 5: sustain funding by capturing and reinvesting justice-system savings."""

from __future__ import annotations

import ibis

from divert.evaluation.registry import register
from divert.evaluation.source import Source


def _program_cost(src: Source) -> ibis.Table:
    c = src.table("costs_by_year", "year", "program_month", "participant_months")
    c = c.filter(c.program_month.notnull() & (c.participant_months > 0))
    return c.select(
        period=c.year,
        num=c.program_month * c.participant_months,
        den=c.participant_months,
    )


register(
    key="savings.program_cost_per_participant_month",
    title="Program cost per participant-month",
    kind="ratio",
    unit="dollars",
    definition="Program spending divided by participant-months of case management.",
    numerator="Sum over years of program cost per participant-month x participant-months.",
    denominator="Participant-months.",
    inclusion="Years with a program cost and participants (costs_by_year).",
    units=_program_cost,
)
register(
    key="savings.legal_cost_per_person_year",
    title="Legal-system cost per person-year",
    kind="rate",
    unit="dollars per person-year",
    definition=(
        "Bookings, jail days, prosecution, defense and court events at the unit costs, per "
        "person-year before and after entry, participants against the comparison group."
    ),
    numerator="Legal-system dollars.",
    denominator="Person-years.",
    inclusion="Participants and the matched comparison group.",
    units=None,
    needs="a person_links table (person_id, justice_person_id) from record linkage, to cost each person's bookings, jail days and charges",
)
register(
    key="savings.reinvestment",
    title="Savings reinvested",
    kind="ratio",
    unit="dollars",
    definition="Budgeted reinvestment of justice-system savings into services.",
    numerator="Dollars reinvested.",
    denominator="Net savings.",
    inclusion="Budget years.",
    units=None,
    needs="budget data (year, line, dollars) entered by the policy coordinating group",
)
