import datetime
from typing import Literal

from ninja import Field, Router, Schema

from divert.linkage import justice_dedupe, merging, services
from divert.linkage.models import Link

router = Router(tags=["linkage"])


class SideOut(Schema):
    first_name: str
    last_name: str
    date_of_birth: datetime.date | None
    dob_precision: str
    sex: str
    race: str


class JusticePersonOut(SideOut):
    id: int
    source_system: str
    source_person_id: str


class PersonSideOut(SideOut):
    id: int


class LinkOut(Schema):
    id: int
    person: PersonSideOut
    justice_person: JusticePersonOut
    match_probability: float
    match_weight: float
    model_version: str
    status: Link.Status
    decided_by_id: int | None
    decided_at: datetime.datetime | None


class DecisionIn(Schema):
    decision: Literal["confirm", "reject"]


class LinkRunOut(Schema):
    id: int
    model_version: str
    started_at: datetime.datetime
    finished_at: datetime.datetime | None
    people: int
    justice_people: int
    pairs: int
    auto: int
    review: int
    unchanged: int
    events_linked: int


@router.get("/links", response=list[LinkOut])
def link_list(request, status: Link.Status | None = None):
    """Links of the site, most likely first (program manager, administrator)."""
    return list(services.link_list(user=request.user, status=status)[:500])


@router.get("/links/{int:link_id}", response=LinkOut)
def link_get(request, link_id: int):
    return services.link_get(user=request.user, link_id=link_id)


@router.post("/links/{int:link_id}/decision", response=LinkOut)
def link_decide(request, link_id: int, payload: DecisionIn):
    """Confirm or reject a link; stored with who decided, as a label for training."""
    return services.link_decide(user=request.user, link_id=link_id, decision=payload.decision)


@router.post("/runs", response=LinkRunOut)
def linkage_run(request):
    """Run linkage over the site's program and justice people with the shipped model."""
    return services.linkage_run(jurisdiction=request.user.jurisdiction, user=request.user)


# --- deduplication within the program side --------------------------------------------------


class DuplicateOut(Schema):
    person_id: int
    other_id: int
    match_probability: float
    model_version: str


class MergeIn(Schema):
    kept_id: int
    merged_id: int
    reason: str = Field(min_length=3, max_length=300)


class MergeOut(Schema):
    id: int
    kept_id: int
    merged_id: int
    reason: str
    moved: dict[str, list[int]]
    merged_by_id: int
    merged_at: datetime.datetime
    undone_by_id: int | None
    undone_at: datetime.datetime | None


@router.get("/duplicates", response=list[DuplicateOut])
def person_duplicates(request):
    """Pairs of program people the engine finds likely to be one person."""
    return merging.person_duplicates_find(user=request.user)


@router.post("/merges", response=MergeOut)
def person_merge(request, payload: MergeIn):
    """Merge one program person into another: every row moves, both histories stay."""
    return merging.person_merge(
        user=request.user,
        kept_id=payload.kept_id,
        merged_id=payload.merged_id,
        reason=payload.reason,
    )


@router.post("/merges/{int:merge_id}/undo", response=MergeOut)
def person_merge_undo(request, merge_id: int):
    return merging.person_merge_undo(user=request.user, merge_id=merge_id)


# --- deduplication within the justice side ---------------------------------------------------


class JusticePairOut(Schema):
    first_id: int
    second_id: int
    match_probability: float
    model_version: str


class JusticePairIn(Schema):
    first_id: int
    second_id: int
    decision: Literal["same", "different"]


class PairDecisionOut(Schema):
    id: int
    side: str
    first_id: int
    second_id: int
    decision: str
    match_probability: float | None
    decided_by_id: int | None
    decided_at: datetime.datetime


@router.get("/justice-duplicates", response=list[JusticePairOut])
def justice_duplicates(request):
    """Pairs of justice records the engine is unsure are one person (between the thresholds,
    undecided); pairs at or above the link threshold are decided by each linkage run."""
    return justice_dedupe.justice_review_queue(user=request.user)


@router.post("/justice-duplicates/decision", response=PairDecisionOut)
def justice_duplicate_decide(request, payload: JusticePairIn):
    """ "same": each record gets the other's links in force; "different": the pair is closed."""
    return justice_dedupe.justice_pair_decide(
        user=request.user,
        first_id=payload.first_id,
        second_id=payload.second_id,
        decision=payload.decision,
    )


@router.post("/justice-duplicates/decisions/{int:decision_id}/undo", response=PairDecisionOut)
def justice_duplicate_undo(request, decision_id: int):
    """The pair waits for review again; the links a "same" gave are withdrawn with their
    bookings, unless a reviewer has decided them since or another "same" still gives them."""
    return justice_dedupe.justice_pair_undo(user=request.user, decision_id=decision_id)
