"""Goal 6: police-community relations. Legitimacy surveys (survey_scores, from the survey
pages or the synthetic county) and complaints, which the canonical tables do not hold yet.
Officer referrals over time, the proxy, are reorient.officer_participation."""

from __future__ import annotations

import ibis

from divert.evaluation.goals.common import flag
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
    title="Complaints against police in program areas",
    kind="rate",
    definition="Complaints against police per month in program areas against comparison areas.",
    numerator="Complaints.",
    denominator="Area-months.",
    inclusion="Program and comparison areas.",
    units=None,
    needs="a complaints table (area_id, received_at) from the police oversight body",
)
