"""The synthetic county's legitimacy surveys as survey and response rows.

The canonical table holds scores, not answers: each seeded response answers every item of
a measure with its score rounded, and keeps the table's score as it was drawn.
"""

import datetime

import pandas as pd

from divert.jurisdictions.models import Jurisdiction
from divert.surveys.instrument import RESPONDENTS, SurveyInstrument
from divert.surveys.models import Survey, SurveyResponse

OPEN_DAYS = 30


def surveys_create(
    *,
    site: Jurisdiction,
    scores: pd.DataFrame,
    instrument: SurveyInstrument,
    areas: dict[int, int],
    area_names: dict[int, str],
    created_by: int,
) -> None:
    if scores.empty:
        return
    snapshot = instrument.model_dump(mode="json")
    items = {
        m.key: [i.key for i in instrument.items if i.measure == m.key] for m in instrument.measures
    }
    responses: list[SurveyResponse] = []
    for _, rows in scores.groupby("survey_id", sort=True):
        first = rows.iloc[0]
        area = None if pd.isna(first.area_id) else int(first.area_id)
        day: datetime.date = first.answered_on.date()
        where = f": {area_names[area]}" if area is not None else ""
        survey = Survey.objects.create(
            jurisdiction=site,
            title=f"{RESPONDENTS[first.respondents]} {day.year}{where}",
            respondents=first.respondents,
            area_id=areas.get(area) if area is not None else None,
            anonymous=True,
            instrument=snapshot,
            opens_on=day,
            closes_on=day + datetime.timedelta(days=OPEN_DAYS),
            created_by_id=created_by,
        )
        for _, answered in rows.groupby("response_id", sort=True):
            answers: dict[str, int | None] = {
                key: None for key in (i.key for i in instrument.items_for(survey.respondents))
            }
            for measure, score in zip(answered.measure, answered.score, strict=True):
                for key in items[measure]:
                    answers[key] = int(round(score))
            responses.append(
                SurveyResponse(
                    survey=survey,
                    answered_on=day,
                    channel=SurveyResponse.Channel.LINK,
                    answers=answers,
                    scores={
                        m: float(s) for m, s in zip(answered.measure, answered.score, strict=True)
                    },
                )
            )
    SurveyResponse.objects.bulk_create(responses, batch_size=1000)
