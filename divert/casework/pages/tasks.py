"""Task pages: the list with a form to add one, a task's own page to change it, done."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from divert.access import Action, Kind
from divert.casework import tasks as services
from divert.casework.task_forms import TaskForm
from divert.errors import field_errors
from divert.jurisdictions.clock import site_today
from divert.web.pages import page

FORM_FIELDS = {"owner_id": "owner", "enrollment_id": "enrollment_id"}


def _errors_onto(form: TaskForm, exc: ValidationError) -> None:
    for error in field_errors(exc):
        name = FORM_FIELDS.get(error["field"], error["field"])
        form.add_error(name if name in form.fields else None, error["message"])


def _next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    # Only this site's own pages: never an address elsewhere.
    return target if target.startswith("/") and not target.startswith("//") else default


@page((Action.VIEW, Kind.TASK))
def task_list(request: HttpRequest) -> HttpResponse:
    form = TaskForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                services.task_create(
                    user=request.user,
                    title=data["title"],
                    due_on=data["due_on"],
                    owner_id=data["owner"].pk if data["owner"] else None,
                    enrollment_id=data["enrollment_id"],
                )
        except ValidationError as exc:
            _errors_onto(form, exc)
        else:
            messages.success(request, f"Task added: {data['title']}")
            return redirect(_next(request, request.path))
    show_done = request.GET.get("done") == "1"
    tasks = services.task_list(user=request.user, owner_id=request.user.pk, include_done=show_done)
    return render(
        request,
        "casework/tasks.html",
        {
            "form": form,
            "tasks": tasks[:200],
            "show_done": show_done,
            "today": site_today(request.user.jurisdiction),
        },
        status=422 if form.errors else 200,
    )


@page((Action.VIEW, Kind.TASK))
def task_detail(request: HttpRequest, task_id: int) -> HttpResponse:
    task = services.task_get(user=request.user, task_id=task_id)
    initial = {"title": task.title, "due_on": task.due_on, "owner": task.owner_id}
    form = TaskForm(request.POST or None, user=request.user, initial=initial)
    form.fields["due_on"].required = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                task = services.task_update(
                    user=request.user,
                    task=task,
                    title=data["title"],
                    due_on=data["due_on"],
                    owner_id=data["owner"].pk if data["owner"] else request.user.pk,
                )
        except ValidationError as exc:
            _errors_onto(form, exc)
        else:
            messages.success(request, "Task saved.")
            return redirect("task", task_id=task.pk)
    return render(
        request,
        "casework/task.html",
        {"task": task, "form": form},
        status=422 if form.errors else 200,
    )


@page((Action.CHANGE, Kind.TASK))
@require_POST
def task_done(request: HttpRequest, task_id: int) -> HttpResponse:
    task = services.task_get(user=request.user, task_id=task_id, action=Action.CHANGE)
    done = request.POST.get("done", "1") == "1"
    with transaction.atomic():
        services.task_update(user=request.user, task=task, done=done)
    messages.success(request, f"{'Done' if done else 'Opened again'}: {task.title}")
    return redirect(_next(request, "/tasks/"))
