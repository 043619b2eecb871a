import datetime

from ninja import Field, Router, Schema, Status

from divert.apitypes import Day
from divert.casework import corrections, selectors, services
from divert.casework.models import CaseNote, Contact, Goal, ServiceReferral

router = Router(tags=["casework"])


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
    goals_met: int
    goals_open: int
    barriers: str
    notice: str


class GoalOut(Schema):
    id: int
    domain: Goal.Domain
    description: str
    status: Goal.Status
    target_on: datetime.date | None


class PlanOut(Schema):
    summary: str
    barriers: str
    goals: list[GoalOut]

    @staticmethod
    def resolve_goals(plan) -> list:
        return list(plan.goals.all())


class ContactOut(Schema):
    id: int
    occurred_at: datetime.datetime
    kind: Contact.Kind
    minutes: int | None


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


class ReleaseOut(Schema):
    id: int
    discloser: str
    recipients: list[str]
    shares_participation: bool
    shares_progress: bool
    shares_barriers: bool
    purpose: str
    signed_on: datetime.date
    expires_on: datetime.date
    revoked_on: datetime.date | None

    @staticmethod
    def resolve_discloser(release) -> str:
        return release.discloser.name

    @staticmethod
    def resolve_recipients(release) -> list[str]:
        return [o.name for o in release.recipients.all()]


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


@router.post("/enrollments/{int:enrollment_id}/notes", response={201: CaseNoteOut})
def case_note_create(request, enrollment_id: int, payload: CaseNoteIn):
    enrollment = selectors.enrollment_get(user=request.user, enrollment_id=enrollment_id)
    note = services.case_note_create(
        user=request.user, enrollment=enrollment, text=payload.text, topic=payload.topic
    )
    return Status(201, note)


@router.get("/enrollments/{int:enrollment_id}/progress", response=ProgressOut)
def progress_detail(request, enrollment_id: int):
    return selectors.progress_get(user=request.user, enrollment_id=enrollment_id)


@router.get("/enrollments/{int:enrollment_id}/plan", response=PlanOut)
def plan_detail(request, enrollment_id: int):
    return selectors.plan_get(user=request.user, enrollment_id=enrollment_id)


@router.get("/enrollments/{int:enrollment_id}/contacts", response=list[ContactOut])
def contact_list(request, enrollment_id: int):
    return list(selectors.contact_list(user=request.user, enrollment_id=enrollment_id))


@router.get("/enrollments/{int:enrollment_id}/services", response=list[ServiceReferralOut])
def service_referral_list(request, enrollment_id: int):
    return list(selectors.service_referral_list(user=request.user, enrollment_id=enrollment_id))


@router.get("/enrollments/{int:enrollment_id}/releases", response=list[ReleaseOut])
def release_list(request, enrollment_id: int):
    return list(selectors.release_list(user=request.user, enrollment_id=enrollment_id))


def _given(payload: Schema, *names: str) -> dict:
    """The fields a correction sets: those sent, and not null."""
    sent = payload.model_dump(exclude_unset=True)
    return {name: sent[name] for name in names if sent.get(name) is not None}


@router.patch(
    "/notes/{int:note_id}",
    response=CaseNoteOut,
    summary="Correct a case note (its author or a supervisor), with a reason",
    openapi_extra={"responses": {409: {"description": "Saved by someone else since `version`"}}},
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
