"""Surveys: opened by the program manager, answered through the link with no account or
entered by staff, results as aggregates with small counts hidden, on pages and the API."""

import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from divert.audit.models import AuditEntry
from divert.jurisdictions.models import Area
from divert.program.canonical import site_tables
from divert.staff.roles import Role
from divert.surveys import services
from divert.surveys.models import Survey, SurveyResponse
from tests.casework.helpers import days, enroll

ALL_AGREE = {"pj_respect": 5, "pj_fair": 4, "pj_voice": 4, "pj_explain": 5, "lg_trust": 4}
ALL_DISAGREE = {"pj_respect": 1, "pj_fair": 2, "pj_voice": 2, "pj_explain": 1, "lg_trust": 2}


def _open(site, **kw):
    fields = {
        "title": "Downtown neighbours 2026",
        "respondents": "community",
        "instrument": "police-legitimacy",
        "opens_on": days(0),
    } | kw
    survey, _ = services.survey_open(user=site["users"][Role.PROGRAM_MANAGER], **fields)
    return survey


@pytest.fixture
def survey(site):
    return _open(site)


def _answer(client, survey, answers):
    form = {"client_id": str(uuid.uuid4()), **{k: str(v) for k, v in answers.items()}}
    return client.post(f"/s/{survey.token}/", form)


def test_anyone_answers_through_the_link_once_per_browser_and_nothing_names_them(client, survey):
    page = client.get(f"/s/{survey.token}/")
    assert page.status_code == 200
    assert "Police here treat people with dignity and respect." in page.content.decode()
    assert "Referring people to LEAD" not in page.content.decode()  # officers' items only
    response = _answer(client, survey, ALL_AGREE)
    assert response.status_code == 200 and b'data-state="answered"' in response.content
    [stored] = SurveyResponse.objects.filter(survey=survey)
    assert stored.person is None and stored.channel == "link"
    assert stored.answered_on == days(0)
    assert stored.answers["pj_respect"] == 5 and stored.answers["lg_obey"] is None
    assert stored.scores == {"procedural_justice": 4.5}  # legitimacy: 1 of 4 answered
    # The same browser again: thanked, not asked.
    again = client.get(f"/s/{survey.token}/")
    assert b'data-state="answered"' in again.content and b"<form" not in again.content
    _answer(client, survey, ALL_AGREE)
    assert SurveyResponse.objects.filter(survey=survey).count() == 1
    # The trail records an answer to the survey, with no address and no response id.
    [entry] = AuditEntry.objects.filter(kind="survey_response")
    assert entry.object_id == str(survey.pk) and entry.origin == "" and entry.actor_id is None
    assert entry.action == "create" and entry.outcome == "success"


def test_a_double_submit_through_the_link_makes_one_response(client, survey):
    form = {"client_id": str(uuid.uuid4()), "pj_respect": "4", "pj_fair": "4"}
    client.post(f"/s/{survey.token}/", form)
    client.cookies.clear()  # a resend from a phone that lost the first answer's cookie
    client.post(f"/s/{survey.token}/", form)
    assert SurveyResponse.objects.filter(survey=survey).count() == 1


@pytest.mark.parametrize(
    ("answers", "field"),
    [({"pj_respect": "9"}, "pj_respect"), ({"pj_respect": "-1"}, "pj_respect"), ({}, None)],
)
def test_bad_answers_are_refused_and_nothing_is_stored(client, survey, answers, field):
    response = _answer(client, survey, answers)
    assert response.status_code == 422
    form = response.context["form"]
    assert form.errors[field] if field else form.non_field_errors()
    assert not SurveyResponse.objects.exists()


def test_a_closed_or_unknown_survey_takes_no_answers(client, site, survey):
    services.survey_close(user=site["users"][Role.PROGRAM_MANAGER], survey=survey)
    Survey.objects.filter(pk=survey.pk).update(closes_on=days(-1))
    closed = client.get(f"/s/{survey.token}/")
    assert b'data-state="closed"' in closed.content
    assert b'data-state="closed"' in _answer(client, survey, ALL_AGREE).content
    assert not SurveyResponse.objects.exists()
    assert client.get("/s/not-a-real-token/").status_code == 404
    assert client.get("/s/" + "x" * 200 + "/").status_code == 404
    with pytest.raises(ValidationError):
        services.response_by_link(token=survey.token, answers=ALL_AGREE)


def test_a_survey_opening_tomorrow_is_not_open_today(client, site):
    later = _open(site, opens_on=days(1))
    assert b'data-state="closed"' in client.get(f"/s/{later.token}/").content


def test_results_hide_small_counts_then_show_share_and_interval(client, site, survey):
    manager = site["users"][Role.PROGRAM_MANAGER]
    client.force_login(manager)
    for _ in range(5):
        services.response_by_link(token=survey.token, answers=ALL_AGREE)
    page = client.get(f"/surveys/{survey.pk}/").content.decode()
    assert "too few answers to show" in page
    detail = client.get(f"/api/v1/surveys/{survey.pk}").json()
    pj = next(r for r in detail["results"] if r["key"] == "procedural_justice")
    assert pj["suppressed"] and pj["n"] is None and pj["share"] is None
    assert detail["answered"] == 5
    # 15 agree, 12 disagree: every count is 11 or more.
    for _ in range(10):
        services.response_by_link(token=survey.token, answers=ALL_AGREE)
    for _ in range(12):
        services.response_by_link(token=survey.token, answers=ALL_DISAGREE)
    detail = client.get(f"/api/v1/surveys/{survey.pk}").json()
    pj = next(r for r in detail["results"] if r["key"] == "procedural_justice")
    assert (pj["n"], pj["agree"], pj["suppressed"]) == (27, 15, False)
    assert pj["share"] == pytest.approx(15 / 27)
    assert pj["ci_low"] < 15 / 27 < pj["ci_high"]


def test_a_share_that_gives_away_a_small_count_is_hidden(client, site, survey):
    client.force_login(site["users"][Role.PROGRAM_MANAGER])
    for _ in range(20):
        services.response_by_link(token=survey.token, answers=ALL_AGREE)
    for _ in range(3):
        services.response_by_link(token=survey.token, answers=ALL_DISAGREE)
    detail = client.get(f"/api/v1/surveys/{survey.pk}").json()
    pj = next(r for r in detail["results"] if r["key"] == "procedural_justice")
    assert pj["n"] == 23 and pj["suppressed"] and pj["agree"] is None and pj["share"] is None


def test_opening_a_survey_on_the_page_and_the_api_once(client, site):
    client.force_login(site["users"][Role.PROGRAM_MANAGER])
    form = {
        "title": "Officers 2026",
        "respondents": "officer",
        "instrument": "police-legitimacy",
        "opens_on": days(0).isoformat(),
        "anonymous": "on",
        "client_id": str(uuid.uuid4()),
    }
    for _ in range(2):
        assert client.post("/surveys/", form).status_code == 302
    assert Survey.objects.filter(title="Officers 2026").count() == 1
    payload = {"title": "API", "respondents": "participant", "opens_on": days(0).isoformat()}
    payload["client_id"] = str(uuid.uuid4())
    first = client.post("/api/v1/surveys", payload, content_type="application/json")
    again = client.post("/api/v1/surveys", payload, content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["link"].endswith(f"/s/{Survey.objects.get(title='API').token}/")
    assert Survey.objects.get(title="API").history.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "a\x00b"}, "title"),
        ({"respondents": "martians"}, "respondents"),
        ({"instrument": "../../etc/passwd"}, "instrument"),
        ({"closes_on": "2026-01-01", "opens_on": "2026-02-01"}, "closes_on"),
        ({"opens_on": "1850-01-01"}, "opens_on"),
        ({"anonymous": False, "respondents": "community"}, "anonymous"),
        ({"area_id": 987654}, "area_id"),
    ],
)
def test_a_bad_survey_is_refused_naming_the_field(client, site, change, field):
    client.force_login(site["users"][Role.PROGRAM_MANAGER])
    payload = {"title": "X", "respondents": "community", "opens_on": days(0).isoformat()}
    response = client.post("/api/v1/surveys", payload | change, content_type="application/json")
    assert response.status_code == 422, response.content
    assert field in {e["field"].split(".")[-1] for e in response.json()["detail"]}
    assert not Survey.objects.exists()


def test_an_area_of_another_site_is_refused(site, other_site):
    theirs = Area.objects.create(jurisdiction=other_site["site"], name="Their area")
    with pytest.raises(ValidationError) as caught:
        _open(site, area_id=theirs.pk)
    assert "area_id" in caught.value.message_dict


@pytest.mark.parametrize(
    "role",
    [
        Role.OFFICER,
        Role.PROSECUTOR,
        Role.DEFENDER,
        Role.EVALUATOR,
        Role.ADMINISTRATOR,
        Role.PARTNER,
    ],
)
def test_roles_without_surveys_see_none_on_page_or_api(client, site, survey, role):
    client.force_login(site["users"][role])
    assert client.get("/surveys/").status_code == 403
    assert client.get(f"/surveys/{survey.pk}/").status_code == 403
    assert client.get("/api/v1/surveys").status_code == 403
    assert client.get(f"/api/v1/surveys/{survey.pk}").status_code == 403


def test_a_case_manager_enters_an_anonymous_response_but_reads_no_results(client, site, survey):
    manager = site["users"][Role.CASE_MANAGER]
    client.force_login(manager)
    page = client.get(f"/surveys/{survey.pk}/")
    assert page.status_code == 200 and page.context["results"] is None
    form = {"client_id": str(uuid.uuid4()), "pj_respect": "3", "pj_fair": "4"}
    assert client.post(f"/surveys/{survey.pk}/enter/", form).status_code == 302
    [stored] = SurveyResponse.objects.all()
    assert stored.channel == "staff" and stored.person is None
    assert client.get(f"/api/v1/surveys/{survey.pk}").json()["results"] is None
    assert client.post(f"/surveys/{survey.pk}/close/").status_code == 403


def test_a_named_participant_survey_records_the_participant_of_the_case_managers_caseload(
    client, site
):
    manager = site["users"][Role.CASE_MANAGER]
    named = _open(site, respondents="participant", anonymous=False, title="Participants")
    mine = enroll(site, "Ada Mine", manager=manager)
    client.force_login(manager)
    # A named survey has no public link.
    assert client.get(f"/s/{named.token}/").status_code == 404
    missing = client.post(
        f"/api/v1/surveys/{named.pk}/responses",
        {"answers": ALL_AGREE},
        content_type="application/json",
    )
    assert missing.status_code == 422 and missing.json()["detail"][0]["field"] == "enrollment_id"
    made = client.post(
        f"/api/v1/surveys/{named.pk}/responses",
        {"answers": ALL_AGREE, "enrollment_id": mine.pk},
        content_type="application/json",
    )
    assert made.status_code == 201
    assert SurveyResponse.objects.get().person == mine.person
    [entry] = AuditEntry.objects.filter(kind="survey_response")
    assert entry.object_id == str(made.json()["id"]) and entry.actor_id == manager.pk


def test_an_anonymous_survey_refuses_a_name(site, survey):
    mine = enroll(site, "Ada Mine", manager=site["users"][Role.CASE_MANAGER])
    with pytest.raises(ValidationError) as caught:
        services.response_enter(
            user=site["users"][Role.CASE_MANAGER],
            survey=survey,
            answers=ALL_AGREE,
            enrollment_id=mine.pk,
        )
    assert "enrollment_id" in caught.value.message_dict


def test_the_api_refuses_answers_off_the_scale_naming_the_item(client, site, survey):
    client.force_login(site["users"][Role.CASE_MANAGER])
    response = client.post(
        f"/api/v1/surveys/{survey.pk}/responses",
        {"answers": {"pj_respect": 6, "of_worth": 3}},
        content_type="application/json",
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["detail"]}
    assert fields == {"answers.pj_respect", "answers.of_worth"}
    assert not SurveyResponse.objects.exists()


def test_another_site_sees_nothing_of_this_sites_surveys(client, site, other_site, survey):
    services.response_by_link(token=survey.token, answers=ALL_AGREE)
    theirs = other_site["users"][Role.PROGRAM_MANAGER]
    client.force_login(theirs)
    assert client.get(f"/surveys/{survey.pk}/").status_code == 404
    assert client.get(f"/api/v1/surveys/{survey.pk}").status_code == 404
    assert client.get("/api/v1/surveys").json() == []
    assert client.post(f"/surveys/{survey.pk}/close/").status_code == 404
    with pytest.raises((PermissionDenied, ValidationError)):
        services.response_enter(user=theirs, survey=survey, answers=ALL_AGREE)
    assert "survey_scores" not in site_tables(other_site["site"])


def test_the_live_export_scores_responses_for_the_relations_measures(site, survey):
    for _ in range(3):
        services.response_by_link(token=survey.token, answers=ALL_AGREE)
    services.response_by_link(token=survey.token, answers=ALL_DISAGREE)
    scores = site_tables(site["site"])["survey_scores"]
    pj = scores[scores.measure == "procedural_justice"]
    assert len(pj) == 4 and pj.agrees.sum() == 3
    assert set(scores.respondents) == {"community"}
    assert str(scores.answered_on.dtype) == "datetime64[ns]"
    assert scores.answered_on.iloc[0] == datetime.datetime.combine(days(0), datetime.time())


def test_closing_is_the_program_managers_and_kept_in_history(client, site, survey):
    client.force_login(site["users"][Role.PROGRAM_MANAGER])
    assert client.post(f"/surveys/{survey.pk}/close/").status_code == 302
    survey.refresh_from_db()
    assert survey.closes_on == days(0)
    assert survey.history.count() == 2
    assert AuditEntry.objects.filter(kind="survey", action="change").exists()


def test_the_relations_measures_count_the_live_responses(site, survey):
    from divert.evaluation.compute import run
    from divert.evaluation.registry import all_metrics
    from divert.program.canonical import site_source

    for _ in range(15):
        services.response_by_link(token=survey.token, answers=ALL_AGREE)
    for _ in range(12):
        services.response_by_link(token=survey.token, answers=ALL_DISAGREE)
    result = run(all_metrics()["relations.procedural_justice"], site_source(site["site"]))
    assert (result["n"], result["numerator"]) == (27, 15)
    assert result["estimate"] == pytest.approx(15 / 27)
    [community] = result["breakdowns"]["respondents"]
    assert community["n"] == 27
    officers = run(all_metrics()["relations.officer_support"], site_source(site["site"]))
    assert officers["n"] == 0 or officers["not_estimable"]
