"""The plan: made only when a case manager makes it; goals by domain with steps; corrections."""

import datetime
import uuid

import pytest

from divert.casework.models import Contact, Goal, GoalStep, InterventionPlan
from divert.staff.roles import Role
from tests.conftest import local_today

JSON = "application/json"


@pytest.fixture
def bare(participant):
    """The participant's enrollment, with no plan yet."""
    InterventionPlan.objects.filter(enrollment=participant["enrollment"]).delete()
    return participant["enrollment"]


def _api(enrollment) -> str:
    return f"/api/v1/casework/enrollments/{enrollment.pk}/plan"


def test_reading_never_makes_a_plan(client, site, bare):
    client.force_login(site["users"][Role.CASE_MANAGER])
    assert client.get(_api(bare)).status_code == 404
    assert client.get(f"/casework/enrollments/{bare.pk}/plan/").status_code == 200
    assert client.get(f"/casework/enrollments/{bare.pk}/").status_code == 200
    assert client.get(f"/api/v1/casework/enrollments/{bare.pk}/progress").status_code == 200
    assert not InterventionPlan.objects.filter(enrollment=bare).exists()


def test_a_case_manager_makes_the_plan_once_and_a_double_submit_finds_it(client, site, bare):
    client.force_login(site["users"][Role.CASE_MANAGER])
    body = {"summary": "Housing first.", "barriers": "No ID"}
    first = client.post(_api(bare), body, content_type=JSON)
    plan = InterventionPlan.objects.get(enrollment=bare)
    again = client.post(_api(bare), body, content_type=JSON)
    # The second answers 200 (nothing made) and changes nothing: no new version, no history.
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    saved = InterventionPlan.objects.get(enrollment=bare)
    assert (saved.version, saved.updated, saved.history.count()) == (1, plan.updated, 1)
    other = client.post(_api(bare), {"summary": "Something else"}, content_type=JSON)
    assert other.status_code == 422 and other.json()["detail"][0]["field"] == "enrollment"
    assert InterventionPlan.objects.filter(enrollment=bare).count() == 1


def test_goals_by_domain_with_steps_owner_target_and_status(client, site, bare):
    client.force_login(site["users"][Role.CASE_MANAGER])
    client.post(_api(bare), {}, content_type=JSON)
    target = (local_today() + datetime.timedelta(days=60)).isoformat()
    goal = client.post(
        _api(bare) + "/goals",
        {
            "domain": "housing",
            "description": "A room of his own",
            "owner": "together",
            "target_on": target,
        },
        content_type=JSON,
    )
    assert goal.status_code == 201, goal.content
    goal_id = goal.json()["id"]
    step = client.post(
        f"/api/v1/casework/goals/{goal_id}/steps", {"description": "Get ID"}, content_type=JSON
    )
    assert step.status_code == 201
    done = client.patch(
        f"/api/v1/casework/steps/{step.json()['id']}",
        {"version": 1, "reason": "done", "done_on": local_today().isoformat()},
        content_type=JSON,
    )
    assert done.status_code == 200 and done.json()["done_on"] == local_today().isoformat()
    plan = client.get(_api(bare)).json()
    [g] = plan["goals"]
    assert (g["domain"], g["owner"], g["target_on"], g["status"]) == (
        "housing",
        "together",
        target,
        "open",
    )
    assert g["steps"][0]["description"] == "Get ID" and g["steps"][0]["done_on"]


def test_bad_goals_are_refused_naming_the_field_and_nothing_is_saved(client, site, bare):
    client.force_login(site["users"][Role.CASE_MANAGER])
    url = _api(bare) + "/goals"
    no_plan = client.post(url, {"domain": "housing", "description": "x"}, content_type=JSON)
    assert no_plan.status_code == 422 and no_plan.json()["detail"][0]["field"] == "plan"
    client.post(_api(bare), {}, content_type=JSON)
    early = (bare.referred_on - datetime.timedelta(days=1)).isoformat()
    cases = {
        "target_on": {"domain": "housing", "description": "x", "target_on": early},
        "domain": {"domain": "abstinence", "description": "x"},
        "description": {"domain": "housing", "description": ""},
    }
    for field, body in cases.items():
        answer = client.post(url, body, content_type=JSON)
        assert answer.status_code == 422, field
        assert answer.json()["detail"][0]["field"] == field
    assert not Goal.objects.exists()


def test_a_goal_sent_twice_with_its_id_is_one_goal_and_the_id_cannot_be_borrowed(
    client, site, bare, other_site
):
    client.force_login(site["users"][Role.CASE_MANAGER])
    client.post(_api(bare), {}, content_type=JSON)
    body = {"domain": "income", "description": "SSI", "client_id": str(uuid.uuid4())}
    first = client.post(_api(bare) + "/goals", body, content_type=JSON)
    second = client.post(_api(bare) + "/goals", body, content_type=JSON)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert Goal.objects.count() == 1
    # The same id under another goal's step: refused, and the goal is not shown.
    step = client.post(
        f"/api/v1/casework/goals/{first.json()['id']}/steps",
        {"description": "apply", "client_id": body["client_id"]},
        content_type=JSON,
    )
    assert step.status_code == 201  # steps and goals are separate kinds of record
    again = client.post(
        f"/api/v1/casework/goals/{first.json()['id']}/steps",
        {"description": "other", "client_id": body["client_id"]},
        content_type=JSON,
    )
    assert again.status_code == 200 and again.json()["description"] == "apply"
    assert GoalStep.objects.count() == 1


def test_the_plan_has_no_abstinence_sanction_or_compliance_field():
    forbidden = ("abstin", "sanction", "complian", "sober", "clean", "violation", "fail")
    for model in (InterventionPlan, Goal, GoalStep, Contact):
        names = [f.name for f in model._meta.get_fields()]
        choices = [str(value) for f in model._meta.fields for value, _ in (f.choices or [])]
        for word in forbidden:
            assert not any(word in n for n in names + choices), (model, word)


def test_a_goal_correction_keeps_why_and_a_stale_one_is_a_409(client, site, participant):
    plan = participant["enrollment"].plan
    manager, supervisor = site["users"][Role.CASE_MANAGER], site["users"][Role.SUPERVISOR]
    client.force_login(manager)
    goal = client.post(
        _api(participant["enrollment"]) + "/goals",
        {"domain": "housing", "description": "Room"},
        content_type=JSON,
    ).json()
    url = f"/api/v1/casework/goals/{goal['id']}"
    client.force_login(supervisor)
    met = client.patch(
        url, {"version": 1, "reason": "moved in", "status": "met"}, content_type=JSON
    )
    assert met.status_code == 200 and met.json()["version"] == 2
    client.force_login(manager)
    stale = client.patch(
        url, {"version": 1, "reason": "wording", "description": "A room"}, content_type=JSON
    )
    assert stale.status_code == 409
    assert stale.json()["detail"] == [
        {"field": "status", "message": stale.json()["detail"][0]["message"]}
    ]
    assert "'met'" in stale.json()["detail"][0]["message"]
    history = client.get(url + "/history").json()
    assert [h["why"] for h in history] == ["moved in", ""]
    assert plan.goals.get().status == "met"


def test_the_current_case_manager_may_correct_the_plan_another_may_not(client, site, participant):
    from divert.staff.models import User

    colleague = User.objects.create_user(
        username="colleague",
        organization=site["orgs"]["case_management"],
        roles=[Role.CASE_MANAGER.value],
    )
    client.force_login(colleague)
    body = {"version": 1, "reason": "r", "summary": "mine"}
    url = _api(participant["enrollment"])
    assert client.patch(url, body, content_type=JSON).status_code == 403
    client.force_login(site["users"][Role.CASE_MANAGER])  # assigned; did not write it
    assert client.patch(url, body, content_type=JSON).status_code == 200


@pytest.mark.parametrize(
    "role", [Role.OFFICER, Role.PROSECUTOR, Role.DEFENDER, Role.PARTNER, Role.ADMINISTRATOR]
)
def test_enforcement_and_others_get_403_on_every_plan_page_and_endpoint(
    client, site, participant, role
):
    enrollment = participant["enrollment"]
    goal = Goal.objects.create(plan=enrollment.plan, domain="housing", description="Room")
    step = GoalStep.objects.create(goal=goal, description="ID")
    client.force_login(site["users"][role])
    e = enrollment.pk
    reads = [
        f"/api/v1/casework/enrollments/{e}/plan",
        f"/api/v1/casework/enrollments/{e}/plan/history",
        f"/api/v1/casework/goals/{goal.pk}",
        f"/api/v1/casework/goals/{goal.pk}/history",
        f"/api/v1/casework/steps/{step.pk}/history",
        f"/casework/enrollments/{e}/plan/",
        f"/casework/enrollments/{e}/plan/history/",
        f"/casework/goals/{goal.pk}/history/",
        f"/casework/steps/{step.pk}/history/",
    ]
    for url in reads:
        answer = client.get(url)
        assert answer.status_code == 403, url
        assert "Room" not in answer.content.decode()
    writes = [
        (client.post, f"/api/v1/casework/enrollments/{e}/plan", {}),
        (client.patch, f"/api/v1/casework/enrollments/{e}/plan", {"version": 1, "reason": "r"}),
        (
            client.post,
            f"/api/v1/casework/enrollments/{e}/plan/goals",
            {"domain": "housing", "description": "x"},
        ),
        (client.patch, f"/api/v1/casework/goals/{goal.pk}", {"version": 1, "reason": "r"}),
        (client.post, f"/api/v1/casework/goals/{goal.pk}/steps", {"description": "x"}),
        (client.patch, f"/api/v1/casework/steps/{step.pk}", {"version": 1, "reason": "r"}),
    ]
    for call, url, body in writes:
        assert call(url, body, content_type=JSON).status_code == 403, url
    for url in [
        f"/casework/enrollments/{e}/plan/start/",
        f"/casework/enrollments/{e}/plan/correct/",
        f"/casework/enrollments/{e}/plan/goals/",
        f"/casework/goals/{goal.pk}/",
        f"/casework/goals/{goal.pk}/steps/",
        f"/casework/steps/{step.pk}/done/",
    ]:
        assert client.post(url, {"description": "x", "version": 1}).status_code == 403, url
    assert Goal.objects.count() == 1 and GoalStep.objects.get().done_on is None


# --- pages --------------------------------------------------------------------------------


def test_the_plan_page_starts_a_plan_adds_a_goal_and_a_step_and_ticks_it(client, site, bare):
    client.force_login(site["users"][Role.CASE_MANAGER])
    page = f"/casework/enrollments/{bare.pk}/plan/"
    assert "Start the plan" in client.get(page).content.decode()
    assert client.post(page + "start/", {"summary": "Housing first"}).status_code == 302
    once = str(uuid.uuid4())
    goal_body = {
        "domain": "housing",
        "description": "A room",
        "owner": "participant",
        "status": "open",
        "client_id": once,
    }
    for _ in "12":  # a double submit
        answer = client.post(page + "goals/", goal_body, HTTP_HX_REQUEST="true")
        assert answer.status_code == 200
        assert "A room" in answer.content.decode()
    goal = Goal.objects.get()
    answer = client.post(
        f"/casework/goals/{goal.pk}/steps/",
        {f"s{goal.pk}-description": "Get ID", f"s{goal.pk}-client_id": str(uuid.uuid4())},
    )
    assert answer.status_code == 302
    step = GoalStep.objects.get()
    client.post(f"/casework/steps/{step.pk}/done/", {"version": 1, "done": "1"})
    step.refresh_from_db()
    assert step.done_on == local_today()
    assert step.history.latest().history_change_reason == "done"


def test_the_plan_page_shows_field_errors_and_saves_nothing(client, site, participant):
    client.force_login(site["users"][Role.CASE_MANAGER])
    e = participant["enrollment"]
    early = (e.referred_on - datetime.timedelta(days=3)).isoformat()
    answer = client.post(
        f"/casework/enrollments/{e.pk}/plan/goals/",
        {
            "domain": "housing",
            "description": "Room",
            "owner": "participant",
            "status": "open",
            "target_on": early,
        },
    )
    assert answer.status_code == 422
    assert "cannot precede the referral" in answer.content.decode()
    assert not Goal.objects.exists()


def test_two_people_editing_a_goal_on_the_page_the_second_sees_what_changed(
    client, site, participant
):
    goal = Goal.objects.create(
        plan=participant["enrollment"].plan, domain="housing", description="Room"
    )
    p = f"g{goal.pk}"
    form = {
        f"{p}-version": 1,
        f"{p}-domain": "housing",
        f"{p}-owner": "participant",
        f"{p}-target_on": "",
        f"{p}-reason": "r",
    }
    client.force_login(site["users"][Role.SUPERVISOR])
    first = client.post(
        f"/casework/goals/{goal.pk}/",
        {**form, f"{p}-description": "Room", f"{p}-status": "met"},
    )
    assert first.status_code == 302
    client.force_login(site["users"][Role.CASE_MANAGER])
    second = client.post(
        f"/casework/goals/{goal.pk}/",
        {**form, f"{p}-description": "A room near work", f"{p}-status": "open"},
    )
    assert second.status_code == 409
    text = second.content.decode()
    assert "What changed since you opened it" in text and "“met”" in text
    assert "A room near work" in text  # the second editor's words are kept in the form
    goal.refresh_from_db()
    assert (goal.status, goal.description) == ("met", "Room")


def test_the_plan_page_started_twice_makes_one_plan_and_one_history_row(client, site, bare):
    client.force_login(site["users"][Role.CASE_MANAGER])
    page = f"/casework/enrollments/{bare.pk}/plan/"
    for _ in "12":  # a double submit
        assert client.post(page + "start/", {"summary": "Housing first"}).status_code == 302
    plan = InterventionPlan.objects.get(enrollment=bare)
    assert (plan.version, plan.history.count()) == (1, 1)


def test_two_plan_starts_at_once_make_one_plan_and_neither_fails(committed_db, participant, site):
    """Two taps racing each other: one makes the plan, the other finds it (no 500)."""
    import threading

    from django.db import connection

    from divert.casework import plans

    enrollment = participant["enrollment"]
    InterventionPlan.objects.filter(enrollment=enrollment).delete()
    manager = site["users"][Role.CASE_MANAGER]
    results, barrier = [], threading.Barrier(2)

    def start():
        try:
            barrier.wait()
            results.append(plans.plan_create(user=manager, enrollment=enrollment, summary="S")[1])
        finally:
            connection.close()

    threads = [threading.Thread(target=start) for _ in "12"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False, True]
    assert InterventionPlan.objects.filter(enrollment=enrollment).count() == 1
