"""Goal 6: police-community relations. Legitimacy surveys (survey_scores, from the survey
pages or the synthetic county) and complaints against police (complaints, from the oversight
body's extract or the synthetic county). Officer referrals over time, the proxy, are
reorient.officer_participation."""

from __future__ import annotations

import ibis

from divert.evaluation.goals.common import area_months, flag
from divert.evaluation.registry import register
from divert.evaluation.source import Source

SURVEYED = (
    "Completed survey responses in the period that answered at least half the measure's "
    "questions; anonymous, so a person answering two surveys counts twice."
)
BY = ("respondents", "area_id")


def _agreeing(measure: str):
    def units(src: Source) -> ibis.Table:
        t = src.table("survey_scores", "measure", "agrees", "answered_on", "respondents")
        t = t.filter(t.measure == measure)
        return t.mutate(at=t.answered_on, hit=flag(t.agrees))

    return units


register(
    key="relations.legitimacy_survey",
    title="Perceived police legitimacy",
    kind="proportion",
    definition=(
        "Share of respondents (participants, community members) whose mean answer on the "
        "legitimacy items (trust, confidence, obligation to obey, shared values) is 'agree' or "
        "above; by who answered and area."
    ),
    numerator="Respondents agreeing.",
    denominator="Respondents scored on the measure.",
    inclusion=SURVEYED,
    units=_agreeing("legitimacy"),
    breakdowns=BY,
)
register(
    key="relations.procedural_justice",
    title="Perceived procedural justice",
    kind="proportion",
    definition=(
        "Share of respondents whose mean answer on the procedural-justice items (respect, "
        "fair decisions, voice, explaining) is 'agree' or above; by who answered and area."
    ),
    numerator="Respondents agreeing.",
    denominator="Respondents scored on the measure.",
    inclusion=SURVEYED,
    units=_agreeing("procedural_justice"),
    breakdowns=BY,
)
register(
    key="relations.officer_support",
    title="Officers' support for LEAD",
    kind="proportion",
    definition=(
        "Share of responding officers whose mean answer on the LEAD items (worth the time, "
        "knowing how to refer, quick take-up, safer areas) is 'agree' or above."
    ),
    numerator="Officers agreeing.",
    denominator="Officers scored on the measure.",
    inclusion=SURVEYED,
    units=_agreeing("officer_support"),
    breakdowns=("area_id",),
)
register(
    key="relations.complaints",
    title="Complaints against police in program areas against comparison areas",
    kind="did",
    unit="ratio of rate ratios",
    definition=(
        "Difference in differences on the ratio scale: the change (after / before launch) in "
        "complaints against police per area-month in program areas, divided by the same "
        "change in the other areas. Under 1: fewer complaints where LEAD ran than the trend "
        "elsewhere predicts."
    ),
    numerator="Complaints per area-month after / before launch, program areas.",
    denominator="The same, comparison areas.",
    inclusion=(
        "Every area and every month the complaints table covers (months without complaints "
        "count 0); the month of the first launch is left out; 95% interval on the log scale."
    ),
    units=lambda src: area_months(src, "complaints"),
    needs="a complaints table (complaint_id, area_id, received_at) from the police oversight body",
)
