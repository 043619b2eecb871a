"""Real case-work records for the API-wide checks to aim at: every id a case-work path takes."""

import datetime

from django.utils import timezone

from divert.assessment.services import assessment_create
from divert.casework.models import Contact, Goal, GoalStep, InterventionPlan, Task, WaitlistEntry
from divert.field.models import Referral
from divert.people.models import Person
from divert.staff.roles import Role
from tests.conftest import local_today


def casework_ids(site: dict, participant: dict) -> dict[str, int]:
    users, enrollment = site["users"], participant["enrollment"]
    manager = users[Role.CASE_MANAGER]
    plan = InterventionPlan.objects.get(enrollment=enrollment)
    goal = Goal.objects.create(plan=plan, domain="housing", description="A room")
    step = GoalStep.objects.create(goal=goal, description="Get ID")
    contact = Contact.objects.create(
        enrollment=enrollment,
        staff=manager,
        occurred_at=timezone.now(),
        kind="in_person",
        place="street",
    )
    task = Task.objects.create(
        jurisdiction=site["site"],
        enrollment=enrollment,
        owner=manager,
        created_by=manager,
        title="Call back",
        due_on=local_today(),
    )
    turned_away = Person.objects.create(
        jurisdiction=site["site"], first_name="Wes", last_name="Wait"
    )
    refused = Referral.objects.create(
        jurisdiction=site["site"],
        person=turned_away,
        pathway="social_contact",
        referred_by=users[Role.OFFICER],
        referred_at=timezone.now() - datetime.timedelta(hours=3),
        capacity_refused=True,
    )
    waiting = WaitlistEntry.objects.create(
        jurisdiction=site["site"],
        person=turned_away,
        referral=refused,
        pathway="social_contact",
        turned_away_at=refused.referred_at,
        reason="No room",
        added_at=timezone.now(),
        added_by=users[Role.SUPERVISOR],
    )
    assessment = assessment_create(
        user=manager,
        enrollment=enrollment,
        taken_on=local_today(),
        answers={"living_situation": "shelter"},
    )
    return {
        "note_id": participant["note"].pk,
        "release_id": participant["release"].pk,
        "goal_id": goal.pk,
        "step_id": step.pk,
        "contact_id": contact.pk,
        "task_id": task.pk,
        "assessment_id": assessment.pk,
        "waitlist_entry_id": waiting.pk,
        "case_manager_id": manager.pk,
    }
