"""Reading surveys: the site's list, one survey, and its results as aggregates only.

No selector returns a response's answers: results are counts per measure, and any count
from 1 to 10 (or a share that gives one away) is hidden, as everywhere on the dashboards.
"""

from typing import Any

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from divert.access import Action, Kind, can, require
from divert.evaluation.stats import wilson
from divert.evaluation.suppression import share_hidden, small
from divert.surveys.models import Survey, SurveyResponse
from divert.surveys.services import instrument_of


def survey_list(*, user: Any) -> QuerySet:
    require(user, Action.VIEW, Kind.SURVEY)
    return (
        Survey.objects.filter(jurisdiction_id=user.jurisdiction_id)
        .select_related("area")
        .annotate(answered=Count("responses"))
    )


def survey_get(*, user: Any, survey_id: int) -> Survey:
    survey = get_object_or_404(
        Survey.objects.select_related("area", "jurisdiction"),
        pk=survey_id,
        jurisdiction_id=user.jurisdiction_id,
    )
    require(user, Action.VIEW, Kind.SURVEY, survey)
    return survey


def survey_by_token(token: str) -> Survey | None:
    return Survey.objects.select_related("jurisdiction").filter(token=token).first()


def response_count(survey: Survey) -> int:
    return SurveyResponse.objects.filter(survey=survey).count()


def survey_results(*, user: Any, survey: Survey) -> list[dict[str, Any]] | None:
    """Per measure: respondents scored, how many agree, the share and its 95% CI; hidden
    where a count is small. None for someone who may not read aggregates."""
    if not can(user, Action.VIEW, Kind.AGGREGATE):
        return None
    instrument = instrument_of(survey)
    scores = SurveyResponse.objects.filter(survey=survey).values_list("scores", flat=True)
    rows = []
    for measure in instrument.measures_for(survey.respondents):
        values = [s[measure.key] for s in scores if measure.key in s]
        n = len(values)
        agree = sum(1 for v in values if v >= instrument.agree_at)
        hidden = small(n) or share_hidden(agree, n)
        low, high = wilson(agree, n) if n else (None, None)
        rows.append(
            {
                "key": measure.key,
                "title": measure.title,
                "n": None if small(n) else n,
                "agree": None if hidden else agree,
                "share": None if hidden or not n else agree / n,
                "ci_low": None if hidden else low,
                "ci_high": None if hidden else high,
                "suppressed": hidden,
            }
        )
    return rows
