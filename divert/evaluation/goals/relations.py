"""Goal 6: police-community relations: surveys and complaints, which the canonical tables
do not hold yet. Officer referrals over time, the proxy, are reorient.officer_participation."""

from divert.evaluation.registry import register

register(
    key="relations.legitimacy_survey",
    title="Perceived police legitimacy",
    kind="proportion",
    definition=(
        "Share of respondents (participants, officers, community members) agreeing with the "
        "standard procedural-justice and legitimacy items; cells under 11 suppressed."
    ),
    numerator="Respondents agreeing.",
    denominator="Respondents.",
    inclusion="Completed surveys in the period.",
    units=None,
    needs="survey responses (respondent kind, date, item answers)",
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
