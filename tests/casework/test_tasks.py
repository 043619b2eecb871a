"""Tasks: made, changed and done on pages and the API; refused to enforcement; bad input named."""

import pytest

from divert.audit.models import AuditEntry
from divert.casework.models import Task
from divert.casework.tasks import task_create
from divert.staff.models import User
from divert.staff.roles import Role
from tests.casework.helpers import days, enroll
from tests.conftest import token_for


@pytest.fixture
def cm(site):
    return site["users"][Role.CASE_MANAGER]


def test_a_case_manager_adds_a_task_about_a_participant_on_the_page(client, site, cm):
    enrollment = enroll(site, "Robert Jones")
    client.force_login(cm)
    response = client.post(
        "/tasks/",
        {"title": "Bring ID papers", "due_on": days(2).isoformat(), "enrollment_id": enrollment.pk},
    )
    assert response.status_code == 302
    task = Task.objects.get()
    assert (task.owner, task.enrollment, task.due_on, task.done_on) == (
        cm,
        enrollment,
        days(2),
        None,
    )
    assert task.jurisdiction == site["site"] and task.created_by == cm
    html = client.get("/tasks/").content.decode()
    assert "Bring ID papers" in html and "Robert Jones" in html


def test_bad_input_is_named_by_field_and_nothing_is_saved(client, site, cm):
    client.force_login(cm)
    response = client.post("/tasks/", {"title": "", "due_on": days(-1).isoformat()})
    assert response.status_code == 422 and b'class="field-error"' in response.content
    response = client.post("/tasks/", {"title": "Call back", "due_on": days(-1).isoformat()})
    assert response.status_code == 422 and b"cannot be due before today" in response.content
    response = client.post("/tasks/", {"title": "Call", "due_on": "2026-02-30"})
    assert response.status_code == 422
    assert not Task.objects.exists()


def test_marking_done_dates_it_in_the_sites_day_and_it_leaves_the_list(client, site, cm):
    task = task_create(user=cm, title="Call clinic", due_on=days(0))
    client.force_login(cm)
    assert client.post(f"/tasks/{task.pk}/done/").status_code == 302
    task.refresh_from_db()
    assert task.done_on == days(0)
    assert f'data-task="{task.pk}"' not in client.get("/tasks/").content.decode()
    assert f'data-task="{task.pk}"' in client.get("/tasks/", {"done": "1"}).content.decode()


def test_a_task_can_be_changed_and_handed_to_a_colleague(client, site, cm):
    task = task_create(user=cm, title="Call clinic", due_on=days(1))
    supervisor = site["users"][Role.SUPERVISOR]
    client.force_login(cm)
    response = client.post(
        f"/tasks/{task.pk}/",
        {"title": "Call the clinic", "due_on": days(3).isoformat(), "owner": supervisor.pk},
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.title, task.due_on, task.owner) == ("Call the clinic", days(3), supervisor)


def test_a_general_task_stays_with_its_owner_and_maker(client, site, cm):
    other = User.objects.create_user(
        username="cm2", organization=site["orgs"]["case_management"], roles=["case_manager"]
    )
    private = task_create(user=cm, title="Renew my badge", due_on=days(1))
    client.force_login(other)
    assert client.get(f"/tasks/{private.pk}/").status_code == 403
    client.force_login(site["users"][Role.SUPERVISOR])
    assert client.get(f"/tasks/{private.pk}/").status_code == 200


def test_an_owner_must_be_a_case_worker_of_the_site(site, other_site, cm):
    from django.core.exceptions import ValidationError

    for outsider in (site["users"][Role.OFFICER], other_site["users"][Role.CASE_MANAGER]):
        with pytest.raises(ValidationError) as refused:
            task_create(user=cm, title="x", due_on=days(1), owner_id=outsider.pk)
        assert "owner_id" in refused.value.message_dict


def test_the_api_creates_changes_completes_and_lists_tasks(client, site, cm):
    enrollment = enroll(site, "Robert Jones")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_for(cm)}"}
    made = client.post(
        "/api/v1/casework/tasks",
        {"title": "Housing form", "due_on": days(5).isoformat(), "enrollment_id": enrollment.pk},
        content_type="application/json",
        **auth,
    )
    assert made.status_code == 201, made.content
    task_id = made.json()["id"]
    changed = client.patch(
        f"/api/v1/casework/tasks/{task_id}",
        {"due_on": days(6).isoformat()},
        content_type="application/json",
        **auth,
    )
    assert changed.json()["due_on"] == days(6).isoformat()
    done = client.post(f"/api/v1/casework/tasks/{task_id}/done", **auth)
    assert done.json()["done_on"] == days(0).isoformat()
    listed = client.get("/api/v1/casework/tasks", {"include_done": "true"}, **auth).json()
    assert [t["id"] for t in listed] == [task_id]
    assert listed[0]["participant"] == "Robert Jones"


def test_the_api_answers_422_naming_the_field(client, site, cm):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_for(cm)}"}
    for body, field in (
        ({"title": "x", "due_on": days(-3).isoformat()}, "due_on"),
        ({"title": "x", "due_on": days(1).isoformat(), "enrollment_id": 999999}, "enrollment_id"),
        ({"title": "x", "due_on": "tomorrow"}, "due_on"),
        ({"title": "  ", "due_on": days(1).isoformat()}, "title"),
    ):
        response = client.post(
            "/api/v1/casework/tasks", body, content_type="application/json", **auth
        )
        assert response.status_code == 422, body
        assert field in {e["field"] for e in response.json()["detail"]}, response.json()
    assert not Task.objects.exists()


@pytest.mark.parametrize("role", [Role.OFFICER, Role.PROSECUTOR])
def test_enforcement_gets_403_on_every_task_page_and_endpoint(client, site, cm, role):
    task = task_create(user=cm, title="Call clinic", due_on=days(1))
    client.force_login(site["users"][role])
    for url in ("/tasks/", f"/tasks/{task.pk}/"):
        assert client.get(url).status_code == 403
    assert client.post(f"/tasks/{task.pk}/done/").status_code == 403
    assert client.get("/api/v1/casework/tasks").status_code == 403
    assert client.get(f"/api/v1/casework/tasks/{task.pk}").status_code == 403
    patched = client.patch(
        f"/api/v1/casework/tasks/{task.pk}", {"title": "x"}, content_type="application/json"
    )
    assert patched.status_code == 403
    assert client.post(f"/api/v1/casework/tasks/{task.pk}/done").status_code == 403
    task.refresh_from_db()
    assert task.done_on is None and task.title == "Call clinic"
    assert AuditEntry.objects.filter(kind="task", outcome="denied").count() >= 4


def test_a_task_change_is_kept_in_history_and_audited(site, cm):
    from divert.casework.tasks import task_update

    task = task_create(user=cm, title="Call clinic", due_on=days(1))
    task_update(user=cm, task=task, done=True)
    assert task.history.count() == 2
    changes = AuditEntry.objects.filter(kind="task", object_id=str(task.pk), outcome="success")
    assert list(changes.values_list("action", flat=True)) == ["create", "change"]
