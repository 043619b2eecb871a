"""A named survey response: only for a participant on the case manager's own open caseload
(a supervisor: any open enrollment of the site; a program manager: none), decided by the
access policy on the page and the API; one response per participant per survey, held by the
database; a retry key belongs to the account that sent it; answers are whole numbers."""

import threading
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from divert.staff.models import User
from divert.staff.roles import Role
from divert.surveys import services
from divert.surveys.models import SurveyResponse
from tests.casework.helpers import days, enroll

ANSWERS = {"pj_respect": 4, "pj_fair": 5, "lg_trust": 4}


@pytest.fixture
def named(site):
    survey, _ = services.survey_open(
        user=site["users"][Role.PROGRAM_MANAGER],
        title="Participants",
        respondents="participant",
        instrument="police-legitimacy",
        opens_on=days(0),
        anonymous=False,
    )
    return survey


@pytest.fixture
def colleague(site):
    """A second case manager of the same site."""
    return User.objects.create_user(
        username="cascadia-cm2",
        password="pw-for-tests-only",
        organization=site["users"][Role.CASE_MANAGER].organization,
        roles=[Role.CASE_MANAGER.value],
    )


def _post(client, survey, **body):
    return client.post(
        f"/api/v1/surveys/{survey.pk}/responses",
        {"answers": ANSWERS} | body,
        content_type="application/json",
    )


def test_a_case_manager_cannot_name_another_case_managers_participant(
    client, site, named, colleague
):
    theirs = enroll(site, "Bo Theirs", manager=colleague)
    client.force_login(site["users"][Role.CASE_MANAGER])
    answer = _post(client, named, enrollment_id=theirs.pk, client_id=str(uuid.uuid4()))
    assert answer.status_code == 403
    page = client.get(f"/surveys/{named.pk}/enter/").content.decode()
    assert "Bo Theirs" not in page
    posted = client.post(
        f"/surveys/{named.pk}/enter/",
        {"client_id": str(uuid.uuid4()), "enrollment_id": theirs.pk, "pj_respect": "4"},
    )
    assert posted.status_code == 422
    assert not SurveyResponse.objects.exists()


def test_an_exited_participant_is_refused_even_to_their_case_manager(client, site, named):
    gone = enroll(site, "Cy Gone", status="exited")
    client.force_login(site["users"][Role.CASE_MANAGER])
    assert _post(client, named, enrollment_id=gone.pk).status_code == 403
    client.force_login(site["users"][Role.SUPERVISOR])
    assert _post(client, named, enrollment_id=gone.pk).status_code == 403
    assert not SurveyResponse.objects.exists()


def test_a_supervisor_names_any_open_participant_and_a_program_manager_none(
    client, site, named, colleague
):
    theirs = enroll(site, "Bo Theirs", manager=colleague)
    client.force_login(site["users"][Role.SUPERVISOR])
    assert _post(client, named, enrollment_id=theirs.pk).status_code == 201
    other = enroll(site, "Di Other", manager=colleague)
    with pytest.raises(PermissionDenied):
        services.response_enter(
            user=site["users"][Role.PROGRAM_MANAGER],
            survey=named,
            answers=ANSWERS,
            enrollment_id=other.pk,
        )
    assert list(SurveyResponse.objects.values_list("person_id", flat=True)) == [theirs.person_id]


def test_one_response_per_participant_per_survey(client, site, named):
    mine = enroll(site, "Ada Mine")
    client.force_login(site["users"][Role.CASE_MANAGER])
    assert _post(client, named, enrollment_id=mine.pk).status_code == 201
    again = _post(client, named, enrollment_id=mine.pk)
    assert again.status_code == 422
    [error] = again.json()["detail"]
    assert error["field"] == "enrollment_id" and "already answered" in error["message"]
    client.force_login(site["users"][Role.SUPERVISOR])
    assert _post(client, named, enrollment_id=mine.pk).status_code == 422
    assert SurveyResponse.objects.count() == 1


def test_two_entries_at_once_for_one_participant_store_one(committed_db, site, named):
    mine = enroll(site, "Ada Mine")
    manager = site["users"][Role.CASE_MANAGER]
    start = threading.Barrier(2)
    outcomes: list = []

    def send():
        try:
            start.wait()
            services.response_enter(
                user=manager, survey=named, answers=ANSWERS, enrollment_id=mine.pk
            )
            outcomes.append("made")
        except ValidationError as exc:
            outcomes.append(sorted(exc.message_dict))
        except BaseException as exc:  # noqa: BLE001 - reported below
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(map(str, outcomes)) == ["['enrollment_id']", "made"], outcomes
    assert SurveyResponse.objects.filter(survey=named).count() == 1


def test_a_retry_key_belongs_to_the_account_that_sent_it(client, site):
    survey, _ = services.survey_open(
        user=site["users"][Role.PROGRAM_MANAGER],
        title="Neighbours",
        respondents="community",
        instrument="police-legitimacy",
        opens_on=days(0),
    )
    key = str(uuid.uuid4())
    client.force_login(site["users"][Role.CASE_MANAGER])
    first = _post(client, survey, answers={"pj_respect": 4}, client_id=key)
    assert first.status_code == 201
    assert _post(client, survey, answers={"pj_respect": 4}, client_id=key).json() == first.json()
    client.force_login(site["users"][Role.SUPERVISOR])
    theirs = _post(client, survey, answers={"pj_respect": 2}, client_id=key)
    assert theirs.status_code == 201 and theirs.json()["id"] != first.json()["id"]
    assert sorted(SurveyResponse.objects.values_list("answers__pj_respect", flat=True)) == [2, 4]
    # The stored key is not the client's: it names no account.
    assert not SurveyResponse.objects.filter(client_id=key).exists()


def test_a_boolean_is_not_a_numeric_answer(client, site, named):
    mine = enroll(site, "Ada Mine")
    client.force_login(site["users"][Role.CASE_MANAGER])
    answer = _post(client, named, answers={"pj_respect": True}, enrollment_id=mine.pk)
    assert answer.status_code == 422
    assert "pj_respect" in answer.json()["detail"][0]["field"]
    assert not SurveyResponse.objects.exists()
    with pytest.raises(ValidationError) as exc:
        services.response_enter(
            user=site["users"][Role.CASE_MANAGER],
            survey=named,
            answers={"pj_respect": True},
            enrollment_id=mine.pk,
        )
    assert "answers.pj_respect" in exc.value.message_dict


def test_upgrading_a_database_that_holds_a_participant_twice_is_refused_naming_them(
    committed_db, site, named
):
    from django.db.migrations.executor import MigrationExecutor

    mine = enroll(site, "Ada Mine")
    first, _ = services.response_enter(
        user=site["users"][Role.CASE_MANAGER], survey=named, answers=ANSWERS, enrollment_id=mine.pk
    )
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes("surveys")
    before = [("surveys", "0001_initial")]
    try:
        MigrationExecutor(connection).migrate(before)
        twin = SurveyResponse.objects.get(pk=first.pk)
        twin.pk, twin.client_id = None, None
        twin.save()  # what a database written before the rule may hold
        with pytest.raises(RuntimeError) as refused:
            MigrationExecutor(connection).migrate(latest)
        message = str(refused.value)
        assert (
            f"survey {named.pk}, person {mine.person_id}: responses {first.pk}, {twin.pk}"
            in message
        )
        assert "Nothing was changed" in message
        assert SurveyResponse.objects.filter(person=mine.person).count() == 2
        twin.delete()
    finally:
        MigrationExecutor(connection).migrate(latest)
    with pytest.raises(ValidationError):
        services.response_enter(
            user=site["users"][Role.CASE_MANAGER],
            survey=named,
            answers=ANSWERS,
            enrollment_id=mine.pk,
        )
