"""Tasks and reminders: create, change, complete and list, for pages and the API alike.

A task belongs to the site of the person who made it. Its owner is a case manager or
supervisor of that site; its participant, if any, an enrollment that person may see.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from divert.access import Action, Kind, require, visible
from divert.casework.models import Enrollment, Task
from divert.jurisdictions.clock import site_today
from divert.staff.models import User
from divert.staff.roles import Role

TITLE_MAX = Task._meta.get_field("title").max_length
DUE_SOON_DAYS = 7  # the inbox shows tasks due within a week, and every overdue one

CASE_WORKERS = (Role.CASE_MANAGER, Role.SUPERVISOR)


def task_owners(*, user: Any) -> QuerySet:
    """Who may own a task made by `user`: the active case workers of the same site."""
    return (
        User.objects.filter(
            organization__jurisdiction_id=user.jurisdiction_id,
            is_active=True,
            role_grants__role__in=CASE_WORKERS,
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def _check(user: Any, *, title: str, due_on: datetime.date, owner_id: int | None) -> None:
    errors = {}
    if not title.strip():
        errors["title"] = "Say what needs doing."
    elif len(title) > TITLE_MAX:
        errors["title"] = f"Keep it under {TITLE_MAX} characters."
    if due_on is None:
        errors["due_on"] = "Give a due date."
    if owner_id is not None and not task_owners(user=user).filter(pk=owner_id).exists():
        errors["owner_id"] = "No such case manager or supervisor in your site."
    if errors:
        raise ValidationError(errors)


def _enrollment(user: Any, enrollment_id: int | None) -> Enrollment | None:
    if enrollment_id is None:
        return None
    found = visible(user, Kind.ENROLLMENT, Enrollment.objects.all()).filter(pk=enrollment_id)
    enrollment = found.first()
    if enrollment is None:
        raise ValidationError({"enrollment_id": "No such participant in your site."})
    return enrollment


@transaction.atomic
def task_create(
    *,
    user: Any,
    title: str,
    due_on: datetime.date,
    owner_id: int | None = None,
    enrollment_id: int | None = None,
) -> Task:
    require(user, Action.CREATE, Kind.TASK)
    _check(user, title=title, due_on=due_on, owner_id=owner_id)
    if due_on < site_today(user.jurisdiction):
        raise ValidationError({"due_on": "A new task cannot be due before today."})
    enrollment = _enrollment(user, enrollment_id)
    task = Task(
        jurisdiction_id=user.jurisdiction_id,
        enrollment=enrollment,
        owner_id=owner_id or user.pk,
        title=title.strip(),
        due_on=due_on,
        created_by=user,
    )
    task.full_clean()
    task.save()
    return task


def task_get(*, user: Any, task_id: int, action: Action = Action.VIEW) -> Task:
    task = get_object_or_404(Task.objects.select_related("enrollment__person", "owner"), pk=task_id)
    require(user, action, Kind.TASK, task)
    return task


@transaction.atomic
def task_update(
    *,
    user: Any,
    task: Task,
    title: str | None = None,
    due_on: datetime.date | None = None,
    owner_id: int | None = None,
    done: bool | None = None,
) -> Task:
    """Change what was given; `done` marks the task done today or opens it again."""
    require(user, Action.CHANGE, Kind.TASK, task)
    task = Task.objects.select_for_update().get(pk=task.pk)
    _check(
        user,
        title=task.title if title is None else title,
        due_on=task.due_on if due_on is None else due_on,
        owner_id=owner_id,
    )
    if title is not None:
        task.title = title.strip()
    if due_on is not None and due_on != task.due_on:
        if due_on < site_today(task.jurisdiction):
            raise ValidationError({"due_on": "Move a task to today or later."})
        task.due_on = due_on
    if owner_id is not None:
        task.owner_id = owner_id
    if done is True and task.done_on is None:
        task.done_on = site_today(task.jurisdiction)
    elif done is False:
        task.done_on = None
    task.full_clean()
    task.save()
    return task


def task_list(
    *,
    user: Any,
    owner_id: int | None = None,
    enrollment_id: int | None = None,
    include_done: bool = False,
    due_by: datetime.date | None = None,
    audit: bool = True,
) -> QuerySet[Task]:
    """Tasks `user` may see, soonest due first; one audited list read."""
    require(user, Action.VIEW, Kind.TASK, audit=audit)
    tasks = visible(user, Kind.TASK, Task.objects.all()).select_related(
        "enrollment__person", "owner"
    )
    if owner_id is not None:
        tasks = tasks.filter(owner_id=owner_id)
    if enrollment_id is not None:
        tasks = tasks.filter(enrollment_id=enrollment_id)
    if not include_done:
        tasks = tasks.filter(done_on__isnull=True)
    if due_by is not None:
        tasks = tasks.filter(due_on__lte=due_by)
    return tasks.order_by("due_on", "pk")
