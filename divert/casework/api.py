import datetime
import uuid

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Field, Router, Schema, Status

from divert.apitypes import Day, Moment
from divert.casework import contacts, corrections, plans, selectors, services
from divert.casework.models import CaseNote, Contact, Goal, InterventionPlan, ServiceReferral

router = Router(tags=["casework"])

_CONFLICT = {"responses": {409: {"description": "Saved by someone else since `version`"}}}


class EnrollmentOut(Schema):
    id: int
    person_id: int
    case_manager_id: int | None
    status: str
    referred_on: datetime.date
    intake_due_on: datetime.date | None
    intake_completed_on: datetime.date | None
    exited_on: datetime.date | None
    exit_reason: str
    previous_id: int | None


class StatusChangeIn(Schema):
    to_status: str = Field(max_length=20)
    on: Day
    reason: str = Field("", max_length=300)


class CaseNoteOut(Schema):
    id: int
    version: int
    written_at: datetime.datetime
    author: str
    topic: CaseNote.Topic
    text: str

    @staticmethod
    def resolve_author(note) -> str:
        return note.author.get_full_name() or note.author.get_username()


class CaseNoteIn(Schema):
    topic: CaseNote.Topic = CaseNote.Topic.GENERAL
    text: str = Field(min_length=1, max_length=20_000)
    client_id: uuid.UUID | None = Field(None, description="Made by the client: a resend is one")


class CaseNoteCorrectionIn(Schema):
    version: int = Field(ge=1, description="The version you opened; a newer one answers 409")
    reason: str = Field(min_length=1, max_length=corrections.REASON_MAX)
    topic: CaseNote.Topic | None = None
    text: str | None = Field(None, min_length=1, max_length=20_000)


class ChangedOut(Schema):
    field: str
    was: str
    now: str


class HistoryOut(Schema):
    at: datetime.datetime
    by: str
    why: str
    type: str
    changes: list[ChangedOut]


class ProgressOut(Schema):
    enrollment_id: int
    status: str
    intake_completed: bool
    intake_completed_on: datetime.date | None
    intake_due_on: datetime.date | None
    last_contact_on: datetime.date | None
    domains_in_progress: list[Goal.Domain]
    goals_met: int
    goals_open: int
    barriers: str
    notice: str


class StepOut(Schema):
    id: int
    version: int
    description: str
    done_on: datetime.date | None


class GoalOut(Schema):
    id: int
    version: int
    domain: Goal.Domain
    description: str
    owner: Goal.Owner
    status: Goal.Status
    target_on: datetime.date | None
    steps: list[StepOut]

    @staticmethod
    def resolve_steps(goal) -> list:
        return list(goal.steps.all())


class PlanOut(Schema):
    id: int
    version: int
    summary: str
    barriers: str
    goals: list[GoalOut]

    @staticmethod
    def resolve_goals(plan) -> list:
        return list(plan.goals.all())


_BARRIERS_MAX = InterventionPlan._meta.get_field("barriers").max_length


class PlanIn(Schema):
    summary: str = Field("", max_length=5_000)
    barriers: str = Field("", max_length=_BARRIERS_MAX)


class PlanCorrectionIn(Schema):
    version: int = Field(ge=1, description="The version you opened; a newer one answers 409")
    reason: str = Field(min_length=1, max_length=corrections.REASON_MAX)
    summary: str | None = Field(None, max_length=5_000)
    barriers: str | None = Field(None, max_length=_BARRIERS_MAX)


class GoalIn(Schema):
    domain: Goal.Domain
    description: str = Field(min_length=1, max_length=500)
    owner: Goal.Owner = Goal.Owner.PARTICIPANT
    status: Goal.Status = Goal.Status.OPEN
    target_on: Day | None = None
    client_id: uuid.UUID | None = Field(None, description="Made by the client: a resend is one")


class GoalCorrectionIn(Schema):
    version: int = Field(ge=1)
    reason: str = Field(min_length=1, max_length=corrections.REASON_MAX)
    domain: Goal.Domain | None = None
    description: str | None = Field(None, min_length=1, max_length=500)
    owner: Goal.Owner | None = None
    status: Goal.Status | None = None
    target_on: Day | None = None


class StepIn(Schema):
    description: str = Field(min_length=1, max_length=300)
    client_id: uuid.UUID | None = None


class StepCorrectionIn(Schema):
    version: int = Field(ge=1)
    reason: str = Field(min_length=1, max_length=corrections.REASON_MAX)
    description: str | None = Field(None, min_length=1, max_length=300)
    done_on: Day | None = None
    undone: bool = Field(False, description="Mark the step not done (clears done_on)")


class ContactOut(Schema):
    id: int
    version: int
    client_id: uuid.UUID | None
    enrollment_id: int
    staff: str
    occurred_at: datetime.datetime
    place: Contact.Place
    kind: Contact.Kind
    minutes: int | None
    present: str
    note: str

    @staticmethod
    def resolve_staff(contact) -> str:
        return contact.staff.get_full_name() or contact.staff.get_username()


class ContactIn(Schema):
    client_id: uuid.UUID | None = Field(
        None, description="Made by the phone; sending the same id again returns the stored one"
    )
    occurred_at: Moment
    place: Contact.Place
    kind: Contact.Kind
    minutes: int | None = Field(None, ge=0, le=24 * 60)
    present: str = Field("", max_length=200)
    note: str = Field("", max_length=500)


class ContactCorrectionIn(Schema):
    version: int = Field(ge=1)
    reason: str = Field(min_length=1, max_length=corrections.REASON_MAX)
    occurred_at: Moment | None = None
    place: Contact.Place | None = None
    kind: Contact.Kind | None = None
    minutes: int | None = Field(None, ge=0, le=24 * 60)
    present: str | None = Field(None, max_length=200)
    note: str | None = Field(None, max_length=500)


class ServiceReferralOut(Schema):
    id: int
    provider: str
    service: str
    domain: str
    status: ServiceReferral.Status
    sent_on: datetime.date
    closed_on: datetime.date | None

    @staticmethod
    def resolve_provider(service) -> str:
        return service.provider.name


def _given(payload: Schema, *names: str) -> dict:
    """The fields a correction sets: those sent, and not null."""
    sent = payload.model_dump(exclude_unset=True)
    return {name: sent[name] for name in names if sent.get(name) is not None}


@router.get("/enrollments", response=list[EnrollmentOut], summary="Enrollments you may see")
def enrollment_list(request):
    return list(selectors.enrollment_list(user=request.user)[:500])


@router.get("/enrollments/{int:enrollment_id}", response=EnrollmentOut)
def enrollment_detail(request, enrollment_id: int):
    return selectors.enrollment_get(user=request.user, enrollment_id=enrollment_id)


@router.post("/enrollments/{int:enrollment_id}/status", response=EnrollmentOut)
def enrollment_status_change(request, enrollment_id: int, payload: StatusChangeIn):
    enrollment = selectors.enrollment_get(user=request.user, enrollment_id=enrollment_id)
    return services.enrollment_move(
        user=request.user,
        enrollment=enrollment,
        to_status=payload.to_status,
        on=payload.on,
        reason=payload.reason,
    )


@router.get("/enrollments/{int:enrollment_id}/notes", response=list[CaseNoteOut])
def case_note_list(request, enrollment_id: int):
    return list(selectors.case_note_list(user=request.user, enrollment_id=enrollment_id))


@router.post(
    "/enrollments/{int:enrollment_id}/notes",
    response={201: CaseNoteOut, 200: CaseNoteOut},
    summary="Write a case note; a resend with the same client_id returns the stored one (200)",
)
def case_note_create(request, enrollment_id: int, payload: CaseNoteIn):
    enrollment = selectors.enrollment_get(user=request.user, enrollment_id=enrollment_id)
    note, new = services.case_note_create(
        user=request.user,
        enrollment=enrollment,
        text=payload.text,
        topic=payload.topic,
        client_id=payload.client_id,
    )
    return Status(201 if new else 200, note)


@router.get("/enrollments/{int:enrollment_id}/progress", response=ProgressOut)
def progress_detail(request, enrollment_id: int):
    return selectors.progress_get(user=request.user, enrollment_id=enrollment_id)


@router.get("/enrollments/{int:enrollment_id}/plan", response=PlanOut)
def plan_detail(request, enrollment_id: int):
    plan = selectors.plan_get(user=request.user, enrollment_id=enrollment_id)
    if plan is None:
        raise Http404("no plan yet")
    return plan


@router.post(
    "/enrollments/{int:enrollment_id}/plan",
    response={201: PlanOut, 200: PlanOut},
    summary="Start the plan; the same start sent again returns the plan unchanged (200)",
)
def plan_create(request, enrollment_id: int, payload: PlanIn):
    enrollment = selectors.enrollment_get(user=request.user, enrollment_id=enrollment_id)
    plan, new = plans.plan_create(
        user=request.user,
        enrollment=enrollment,
        summary=payload.summary,
        barriers=payload.barriers,
    )
    return Status(201 if new else 200, plan)


@router.patch(
    "/enrollments/{int:enrollment_id}/plan",
    response=PlanOut,
    summary="Correct the plan's summary or barriers, with a reason",
    openapi_extra=_CONFLICT,
)
def plan_correct(request, enrollment_id: int, payload: PlanCorrectionIn):
    plan = selectors.plan_get(user=request.user, enrollment_id=enrollment_id)
    if plan is None:
        raise Http404("no plan yet")
    return plans.plan_correct(
        user=request.user,
        plan=plan,
        values=_given(payload, "summary", "barriers"),
        version=payload.version,
        reason=payload.reason,
    )


@router.get("/enrollments/{int:enrollment_id}/plan/history", response=list[HistoryOut])
def plan_history(request, enrollment_id: int):
    plan = selectors.plan_get(user=request.user, enrollment_id=enrollment_id)
    if plan is None:
        raise Http404("no plan yet")
    return corrections.history_of(plan)


@router.post(
    "/enrollments/{int:enrollment_id}/plan/goals",
    response={201: GoalOut, 200: GoalOut},
    summary="Add a goal; a resend with the same client_id returns the stored one (200)",
)
def goal_add(request, enrollment_id: int, payload: GoalIn):
    plan = selectors.plan_get(user=request.user, enrollment_id=enrollment_id)
    if plan is None:
        raise ValidationError({"plan": "Make the plan first."})
    goal, new = plans.goal_add(user=request.user, plan=plan, **payload.model_dump())
    return Status(201 if new else 200, goal)


@router.get("/goals/{int:goal_id}", response=GoalOut)
def goal_detail(request, goal_id: int):
    return selectors.goal_get(user=request.user, goal_id=goal_id)


@router.patch("/goals/{int:goal_id}", response=GoalOut, openapi_extra=_CONFLICT)
def goal_correct(request, goal_id: int, payload: GoalCorrectionIn):
    goal = selectors.goal_get(user=request.user, goal_id=goal_id)
    return plans.goal_correct(
        user=request.user,
        goal=goal,
        values=_given(payload, "domain", "description", "owner", "status", "target_on"),
        version=payload.version,
        reason=payload.reason,
    )


@router.get("/goals/{int:goal_id}/history", response=list[HistoryOut])
def goal_history(request, goal_id: int):
    return corrections.history_of(selectors.goal_get(user=request.user, goal_id=goal_id))


@router.post(
    "/goals/{int:goal_id}/steps",
    response={201: StepOut, 200: StepOut},
    summary="Add a step; a resend with the same client_id returns the stored one (200)",
)
def step_add(request, goal_id: int, payload: StepIn):
    goal = selectors.goal_get(user=request.user, goal_id=goal_id)
    step, new = plans.step_add(user=request.user, goal=goal, **payload.model_dump())
    return Status(201 if new else 200, step)


@router.patch("/steps/{int:step_id}", response=StepOut, openapi_extra=_CONFLICT)
def step_correct(request, step_id: int, payload: StepCorrectionIn):
    step = selectors.step_get(user=request.user, step_id=step_id)
    values = _given(payload, "description", "done_on")
    if payload.undone:
        values["done_on"] = None
    return plans.step_correct(
        user=request.user, step=step, values=values, version=payload.version, reason=payload.reason
    )


@router.get("/steps/{int:step_id}/history", response=list[HistoryOut])
def step_history(request, step_id: int):
    return corrections.history_of(selectors.step_get(user=request.user, step_id=step_id))


@router.get("/enrollments/{int:enrollment_id}/contacts", response=list[ContactOut])
def contact_list(request, enrollment_id: int):
    return list(selectors.contact_list(user=request.user, enrollment_id=enrollment_id)[:500])


@router.post(
    "/enrollments/{int:enrollment_id}/contacts",
    response={201: ContactOut, 200: ContactOut},
    summary="Log a contact; a resend with the same client_id returns the stored one (200)",
)
def contact_log(request, enrollment_id: int, payload: ContactIn):
    enrollment = selectors.enrollment_get(user=request.user, enrollment_id=enrollment_id)
    contact, new = contacts.contact_log(
        user=request.user, enrollment=enrollment, **payload.model_dump()
    )
    return Status(201 if new else 200, contact)


@router.get("/contacts/{int:contact_id}", response=ContactOut)
def contact_detail(request, contact_id: int):
    return selectors.contact_get(user=request.user, contact_id=contact_id)


@router.patch("/contacts/{int:contact_id}", response=ContactOut, openapi_extra=_CONFLICT)
def contact_correct(request, contact_id: int, payload: ContactCorrectionIn):
    contact = selectors.contact_get(user=request.user, contact_id=contact_id)
    return contacts.contact_correct(
        user=request.user,
        contact=contact,
        values=_given(payload, "occurred_at", "place", "kind", "minutes", "present", "note"),
        version=payload.version,
        reason=payload.reason,
    )


@router.get("/contacts/{int:contact_id}/history", response=list[HistoryOut])
def contact_history(request, contact_id: int):
    contact = selectors.contact_get(user=request.user, contact_id=contact_id)
    return corrections.history_of(contact)


@router.get("/enrollments/{int:enrollment_id}/services", response=list[ServiceReferralOut])
def service_referral_list(request, enrollment_id: int):
    return list(selectors.service_referral_list(user=request.user, enrollment_id=enrollment_id))


@router.patch(
    "/notes/{int:note_id}",
    response=CaseNoteOut,
    summary="Correct a case note (its author or a supervisor), with a reason",
    openapi_extra=_CONFLICT,
)
def case_note_correct(request, note_id: int, payload: CaseNoteCorrectionIn):
    note = selectors.case_note_get(user=request.user, note_id=note_id)
    return services.case_note_correct(
        user=request.user,
        note=note,
        values=_given(payload, "topic", "text"),
        version=payload.version,
        reason=payload.reason,
    )


@router.get("/notes/{int:note_id}/history", response=list[HistoryOut])
def case_note_history(request, note_id: int):
    note = selectors.case_note_get(user=request.user, note_id=note_id)
    return corrections.history_of(note)
