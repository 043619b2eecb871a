"""The plan page: make the plan, add goals and steps, correct any of them.

Every form posts to its own address. With htmx the answer is the plan section, redrawn in
place (with the form's errors, or a conflict, where they belong); without it, a redirect back
to the page, or the page with the errors (422) or the conflict (409).
"""

import contextlib
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from divert.access import Action, Kind, can
from divert.casework import corrections, plans, selectors
from divert.casework.forms import (
    GoalCorrectionForm,
    GoalForm,
    PlanCorrectionForm,
    PlanForm,
    StepForm,
    errors_onto,
    fresh_id,
    reopened,
)
from divert.casework.models import Enrollment, Goal, GoalStep, InterventionPlan
from divert.jurisdictions.clock import site_today
from divert.web.pages import page


def _goal_form(goal: Goal, data=None) -> GoalCorrectionForm:
    initial = {
        "version": goal.version,
        "domain": goal.domain,
        "description": goal.description,
        "owner": goal.owner,
        "target_on": goal.target_on,
        "status": goal.status,
    }
    return GoalCorrectionForm(data, initial=initial, prefix=f"g{goal.pk}")


def _context(
    request: HttpRequest, enrollment: Enrollment, plan: InterventionPlan | None, **forms: Any
) -> dict[str, Any]:
    """Everything the plan section draws; `forms` replaces the blank ones that failed."""
    user = request.user
    goals = list(plan.goals.all()) if plan else []
    for goal in goals:
        goal.form = forms.get(f"goal{goal.pk}") or _goal_form(goal)
        goal.step_form = forms.get(f"step{goal.pk}") or StepForm(
            initial={"client_id": fresh_id()}, prefix=f"s{goal.pk}"
        )
        goal.conflict = forms.get(f"conflict{goal.pk}")
        goal.correctable = corrections.may_correct(user, goal)
    return {
        "enrollment": enrollment,
        "person": enrollment.person,
        "plan": plan,
        "goals": goals,
        "today": site_today(enrollment.jurisdiction),
        "can_change": can(user, Action.CHANGE, Kind.PLAN, enrollment),
        "plan_form": forms.get("plan_form") or PlanForm(),
        "plan_correction": forms.get("plan_correction")
        or (
            PlanCorrectionForm(
                initial={
                    "version": plan.version,
                    "summary": plan.summary,
                    "barriers": plan.barriers,
                }
            )
            if plan
            else None
        ),
        "plan_conflict": forms.get("plan_conflict"),
        "plan_correctable": bool(plan) and corrections.may_correct(user, plan),
        "goal_form": forms.get("goal")
        or GoalForm(initial={"client_id": fresh_id(), "status": Goal.Status.OPEN}),
    }


def _answer(
    request: HttpRequest, enrollment: Enrollment, *, failed: int = 0, **forms: Any
) -> HttpResponse:
    """Redraw the section (htmx), redirect (done) or draw the page with what failed."""
    if not failed and not request.htmx:
        return redirect(reverse("casework-plan", args=[enrollment.pk]))
    plan = selectors.plan_get(user=request.user, enrollment_id=enrollment.pk)
    context = _context(request, enrollment, plan, **forms)
    if request.htmx:
        return render(request, "casework/_plan.html", context)
    return render(request, "casework/plan.html", context, status=failed)


@page((Action.VIEW, Kind.PLAN))
@require_GET
def plan_page(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    enrollment = selectors.enrollment_get(user=request.user, enrollment_id=enrollment_id)
    plan = selectors.plan_get(user=request.user, enrollment_id=enrollment_id)
    return render(request, "casework/plan.html", _context(request, enrollment, plan))


@page((Action.CREATE, Kind.PLAN))
@require_POST
def plan_create(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    enrollment = selectors.enrollment_get(user=request.user, enrollment_id=enrollment_id)
    form = PlanForm(request.POST)
    if form.is_valid():
        try:
            plans.plan_create(user=request.user, enrollment=enrollment, **form.cleaned_data)
            return _answer(request, enrollment)
        except ValidationError as exc:
            errors_onto(form, exc)
    return _answer(request, enrollment, failed=422, plan_form=form)


@page((Action.CHANGE, Kind.PLAN))
@require_POST
def plan_correct(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    enrollment = selectors.enrollment_get(user=request.user, enrollment_id=enrollment_id)
    plan = selectors.plan_get(user=request.user, enrollment_id=enrollment_id)
    if plan is None:
        return redirect(reverse("casework-plan", args=[enrollment.pk]))
    form = PlanCorrectionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            plans.plan_correct(
                user=request.user,
                plan=plan,
                values={"summary": data["summary"], "barriers": data["barriers"]},
                version=data["version"],
                reason=data["reason"],
            )
            return _answer(request, enrollment)
        except corrections.Conflict as conflict:
            form = reopened(PlanCorrectionForm, request.POST, conflict.record)
            return _answer(
                request, enrollment, failed=409, plan_correction=form, plan_conflict=conflict
            )
        except ValidationError as exc:
            errors_onto(form, exc)
    return _answer(request, enrollment, failed=422, plan_correction=form)


@page((Action.CHANGE, Kind.PLAN))
@require_POST
def goal_add(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    enrollment = selectors.enrollment_get(user=request.user, enrollment_id=enrollment_id)
    plan = selectors.plan_get(user=request.user, enrollment_id=enrollment_id)
    form = GoalForm(request.POST)
    if plan is None:
        form.add_error(None, "Make the plan first.")
    elif form.is_valid():
        try:
            plans.goal_add(user=request.user, plan=plan, **form.cleaned_data)
            return _answer(request, enrollment)
        except ValidationError as exc:
            errors_onto(form, exc)
    return _answer(request, enrollment, failed=422, goal=form)


@page((Action.CHANGE, Kind.PLAN))
@require_POST
def goal_correct(request: HttpRequest, goal_id: int) -> HttpResponse:
    goal = selectors.goal_get(user=request.user, goal_id=goal_id)
    enrollment = goal.plan.enrollment
    form = GoalCorrectionForm(request.POST, prefix=f"g{goal.pk}")
    if form.is_valid():
        data = dict(form.cleaned_data)
        version, reason = data.pop("version"), data.pop("reason")
        try:
            plans.goal_correct(
                user=request.user, goal=goal, values=data, version=version, reason=reason
            )
            return _answer(request, enrollment)
        except corrections.Conflict as conflict:
            again = reopened(GoalCorrectionForm, request.POST, conflict.record, f"g{goal.pk}")
            forms = {f"goal{goal.pk}": again, f"conflict{goal.pk}": conflict}
            return _answer(request, enrollment, failed=409, **forms)
        except ValidationError as exc:
            errors_onto(form, exc)
    return _answer(request, enrollment, failed=422, **{f"goal{goal.pk}": form})


@page((Action.CHANGE, Kind.PLAN))
@require_POST
def step_add(request: HttpRequest, goal_id: int) -> HttpResponse:
    goal = selectors.goal_get(user=request.user, goal_id=goal_id)
    form = StepForm(request.POST, prefix=f"s{goal.pk}")
    if form.is_valid():
        try:
            plans.step_add(user=request.user, goal=goal, **form.cleaned_data)
            return _answer(request, goal.plan.enrollment)
        except ValidationError as exc:
            errors_onto(form, exc)
    return _answer(request, goal.plan.enrollment, failed=422, **{f"step{goal.pk}": form})


@page((Action.CHANGE, Kind.PLAN))
@require_POST
def step_done(request: HttpRequest, step_id: int) -> HttpResponse:
    """Tick a step done today, or untick it: a change kept in history like any other."""
    step = selectors.step_get(user=request.user, step_id=step_id)
    enrollment = step.goal.plan.enrollment
    done = request.POST.get("done") == "1"
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = 0
    # On a conflict the redrawn section shows the step as it now stands.
    with contextlib.suppress(corrections.Conflict, ValidationError):
        plans.step_correct(
            user=request.user,
            step=step,
            values={"done_on": site_today(enrollment.jurisdiction) if done else None},
            version=version,
            reason="done" if done else "not done after all",
        )
    return _answer(request, enrollment)


@page((Action.VIEW, Kind.PLAN))
@require_GET
def goal_history(request: HttpRequest, goal_id: int) -> HttpResponse:
    return _history(request, selectors.goal_get(user=request.user, goal_id=goal_id))


@page((Action.VIEW, Kind.PLAN))
@require_GET
def step_history(request: HttpRequest, step_id: int) -> HttpResponse:
    return _history(request, selectors.step_get(user=request.user, step_id=step_id))


@page((Action.VIEW, Kind.PLAN))
@require_GET
def plan_history(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, enrollment_id=enrollment_id)
    if plan is None:
        return redirect(reverse("casework-plan", args=[enrollment_id]))
    return _history(request, plan)


def _history(request: HttpRequest, record: InterventionPlan | Goal | GoalStep) -> HttpResponse:
    enrollment = record.enrollment if hasattr(record, "enrollment") else None
    if enrollment is None:
        plan = record.plan if isinstance(record, Goal) else record.goal.plan
        enrollment = plan.enrollment
    return render(
        request,
        "casework/history.html",
        {
            "record": record,
            "title": _title(record),
            "enrollment": enrollment,
            "back": reverse("casework-plan", args=[enrollment.pk]),
            "versions": corrections.history_of(record),
        },
    )


def _title(record) -> str:
    if isinstance(record, Goal):
        return f"Goal: {record.description}"
    if isinstance(record, GoalStep):
        return f"Step: {record.description}"
    return "Plan"
