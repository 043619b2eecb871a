"""The intervention plan: made when a case manager makes it, goals by domain, steps.

Nothing here creates a plan as a side effect of reading one. Every record is correctable
(divert.casework.corrections); a goal or step form carries a client-made id, so submitting
it twice makes one goal.
"""

import datetime
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from divert.access import Action, Kind, require
from divert.casework import corrections, once
from divert.casework.models import Enrollment, Goal, GoalStep, InterventionPlan
from divert.jurisdictions.clock import site_today
from divert.meetings.legal_words import check_into

# A target date further out than this is a typo, not a plan.
TARGET_HORIZON = datetime.timedelta(days=5 * 365)


def check_barriers(enrollment: Enrollment, barriers: str) -> None:
    """Refuse barriers that carry health or substance-use detail: a prosecutor or defender
    reads them under a release (docs/access-policy.md, "Barriers under a release")."""
    errors: dict[str, str] = {}
    check_into(
        errors,
        "barriers",
        barriers,
        enrollment.jurisdiction.slug,
        read_by="Barriers are read by the prosecutor and defender under a release",
        hint="keep health and substance use to case notes",
    )
    if errors:
        raise ValidationError(errors)


def _same_plan(enrollment: Enrollment, summary: str, barriers: str) -> InterventionPlan | None:
    """The enrollment's plan if it is the one asked for (a double submit); refused if another."""
    existing = InterventionPlan.objects.filter(enrollment=enrollment).first()
    if existing is None:
        return None
    if (existing.summary, existing.barriers) != (summary, barriers):
        raise ValidationError(
            {"enrollment": "This participant already has a plan: correct it instead."}
        )
    return existing


@transaction.atomic
def plan_create(
    *, user: Any, enrollment: Enrollment, summary: str = "", barriers: str = ""
) -> tuple[InterventionPlan, bool]:
    """Start the plan; returns it and whether it is new. A second start (a double submit)
    finds the first plan and changes nothing; a different one is refused."""
    require(user, Action.CREATE, Kind.PLAN, enrollment)
    Enrollment.objects.select_for_update().filter(pk=enrollment.pk).first()
    existing = _same_plan(enrollment, summary, barriers)
    if existing is not None:
        return existing, False
    check_barriers(enrollment, barriers)
    plan = InterventionPlan(enrollment=enrollment, summary=summary, barriers=barriers)
    plan.full_clean(validate_unique=False)
    plan._history_user = user
    # SQLite takes no row lock: a twin racing this one may insert first.
    return once.insert_or_find(plan, lambda: _same_plan(enrollment, summary, barriers))


def plan_correct(
    *, user: Any, plan: InterventionPlan, values: dict[str, Any], version: int, reason: str
) -> InterventionPlan:
    if "barriers" in values:
        check_barriers(plan.enrollment, values["barriers"] or "")
    return corrections.correct(
        user=user, kind=Kind.PLAN, record=plan, values=values, version=version, reason=reason
    )


def _check_target(enrollment: Enrollment, target_on: datetime.date | None) -> None:
    if target_on is None:
        return
    if target_on < enrollment.referred_on:
        raise ValidationError({"target_on": "A target date cannot precede the referral."})
    if target_on > site_today(enrollment.jurisdiction) + TARGET_HORIZON:
        raise ValidationError({"target_on": "Set a target date within five years."})


def goal_add(
    *,
    user: Any,
    plan: InterventionPlan,
    domain: str,
    description: str,
    owner: str = Goal.Owner.PARTICIPANT,
    target_on: datetime.date | None = None,
    status: str = Goal.Status.OPEN,
    client_id: uuid.UUID | None = None,
) -> tuple[Goal, bool]:
    """Add a goal; returns it and whether it is new (False: the same form sent again)."""
    require(user, Action.CHANGE, Kind.PLAN, plan)
    found = once.made_before(Goal, client_id, {"plan": plan})
    if found is not None:
        return found, False
    _check_target(plan.enrollment, target_on)
    goal = Goal(
        plan=plan,
        domain=domain,
        description=description,
        owner=owner,
        target_on=target_on,
        status=status,
        client_id=client_id,
    )
    goal.full_clean(validate_unique=False)
    goal._history_user = user
    saved = once.save_once(goal, {"plan": plan})
    return saved, saved is goal


def goal_correct(
    *, user: Any, goal: Goal, values: dict[str, Any], version: int, reason: str
) -> Goal:
    corrections.require_correct(user, Kind.PLAN, goal)
    if "target_on" in values:
        _check_target(goal.plan.enrollment, values["target_on"])
    return corrections.correct(
        user=user, kind=Kind.PLAN, record=goal, values=values, version=version, reason=reason
    )


def step_add(
    *, user: Any, goal: Goal, description: str, client_id: uuid.UUID | None = None
) -> tuple[GoalStep, bool]:
    """Add a step; returns it and whether it is new (False: the same form sent again)."""
    require(user, Action.CHANGE, Kind.PLAN, goal)
    found = once.made_before(GoalStep, client_id, {"goal": goal})
    if found is not None:
        return found, False
    step = GoalStep(goal=goal, description=description, client_id=client_id)
    step.full_clean(validate_unique=False)
    step._history_user = user
    saved = once.save_once(step, {"goal": goal})
    return saved, saved is step


def step_correct(
    *, user: Any, step: GoalStep, values: dict[str, Any], version: int, reason: str
) -> GoalStep:
    corrections.require_correct(user, Kind.PLAN, step)
    done_on = values.get("done_on")
    if done_on is not None:
        enrollment = step.goal.plan.enrollment
        if done_on > site_today(enrollment.jurisdiction):
            raise ValidationError({"done_on": "A step cannot be done in the future."})
        if done_on < enrollment.referred_on:
            raise ValidationError({"done_on": "A step cannot be done before the referral."})
    return corrections.correct(
        user=user, kind=Kind.PLAN, record=step, values=values, version=version, reason=reason
    )
