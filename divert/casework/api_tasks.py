"""Tasks in the API: the same services and checks as the task pages."""

import datetime

from ninja import Field, Query, Router, Schema, Status

from divert.apitypes import Day
from divert.casework import tasks as services

router = Router(tags=["tasks"])


class TaskOut(Schema):
    id: int
    title: str
    due_on: datetime.date
    done_on: datetime.date | None
    owner_id: int
    enrollment_id: int | None
    participant: str

    @staticmethod
    def resolve_participant(task) -> str:
        return str(task.enrollment.person) if task.enrollment_id else ""


class TaskIn(Schema):
    title: str = Field(max_length=200)
    due_on: Day
    owner_id: int | None = None
    enrollment_id: int | None = None


class TaskChangeIn(Schema):
    title: str | None = Field(None, max_length=200)
    due_on: Day | None = None
    owner_id: int | None = None


class TaskFilter(Schema):
    mine: bool = True
    enrollment_id: int | None = None
    include_done: bool = False


@router.get("/tasks", response=list[TaskOut], summary="Tasks you may see, soonest due first")
def task_list(request, filters: Query[TaskFilter]):
    tasks = services.task_list(
        user=request.user,
        owner_id=request.user.pk if filters.mine and filters.enrollment_id is None else None,
        enrollment_id=filters.enrollment_id,
        include_done=filters.include_done,
    )
    return list(tasks[:500])


@router.post("/tasks", response={201: TaskOut})
def task_create(request, payload: TaskIn):
    task = services.task_create(user=request.user, **payload.dict())
    return Status(201, task)


@router.get("/tasks/{int:task_id}", response=TaskOut)
def task_detail(request, task_id: int):
    return services.task_get(user=request.user, task_id=task_id)


@router.patch("/tasks/{int:task_id}", response=TaskOut)
def task_change(request, task_id: int, payload: TaskChangeIn):
    from divert.access import Action

    task = services.task_get(user=request.user, task_id=task_id, action=Action.CHANGE)
    return services.task_update(user=request.user, task=task, **payload.dict(exclude_unset=True))


@router.post("/tasks/{int:task_id}/done", response=TaskOut)
def task_done(request, task_id: int):
    from divert.access import Action

    task = services.task_get(user=request.user, task_id=task_id, action=Action.CHANGE)
    return services.task_update(user=request.user, task=task, done=True)
