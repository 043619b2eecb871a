"""The synthetic county's legitimacy surveys: once a year from launch, every area's
community, the LEAD areas' officers and the participants enrolled by then answer the
instrument shipped in instruments/surveys. Scores are drawn per respondent and item around
the scenario's mean for the group (illustrative: there is no published baseline)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from divert.surveys.instrument import DIRECTORY, load_survey_instrument
from divert.synth.rng import stream
from divert.synth.scenario import Scenario

INSTRUMENT = DIRECTORY / "police-legitimacy.toml"


def survey_scores(
    s: Scenario,
    areas: pd.DataFrame,
    officers: pd.DataFrame,
    enrollments: pd.DataFrame,
    end: np.datetime64,
    seed: int,
) -> pd.DataFrame:
    rng = stream(seed, "surveys")
    inst = load_survey_instrument(INSTRUMENT)
    days = np.arange(np.datetime64(s.program.launch_date, "D"), end.astype("datetime64[D]"), 365)[
        1:
    ]  # a year after launch, then yearly
    lead_areas = set(areas.loc[areas.lead_area, "area_id"])
    lead_officers = int(officers.area_id.isin(lead_areas).sum())
    asked: list[tuple[str, int | None, int]] = []  # respondents, area, how many
    rows: list[dict] = []
    survey_id = response_id = 0
    for day in days:
        asked = [("community", int(a), s.surveys.community_per_area) for a in areas.area_id]
        asked.append(("officer", None, round(s.surveys.officer_share * lead_officers)))
        enrolled = int((enrollments.referred_at.values.astype("datetime64[D]") <= day).sum())
        asked.append(("participant", None, round(s.surveys.participant_share * enrolled)))
        for respondents, area, n in asked:
            survey_id += 1
            items = inst.items_for(respondents)
            if n == 0 or not items:
                continue
            mean = s.surveys.mean_score[respondents]
            person = rng.normal(mean, s.surveys.score_sd, size=(n, 1))
            answers = np.clip(np.rint(person + rng.normal(0, 0.5, size=(n, len(items)))), 1, 5)
            for r in range(n):
                response_id += 1
                given = {item.key: int(answers[r, j]) for j, item in enumerate(items)}
                for measure, score in inst.scores(respondents, given).items():
                    rows.append(
                        {
                            "response_id": response_id,
                            "survey_id": survey_id,
                            "respondents": respondents,
                            "area_id": area,
                            "answered_on": day,
                            "measure": measure,
                            "score": score,
                            "agrees": score >= inst.agree_at,
                        }
                    )
    out = pd.DataFrame(
        rows,
        columns=[
            "response_id",
            "survey_id",
            "respondents",
            "area_id",
            "answered_on",
            "measure",
            "score",
            "agrees",
        ],
    )
    out["area_id"] = out["area_id"].astype("Int64")
    out["answered_on"] = pd.to_datetime(out["answered_on"]).astype("datetime64[ns]")
    return out
