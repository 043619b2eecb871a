"""Justice records that may be one person, side by side, decided by key and undone.

Shown: how each system spells the person, date of birth, sex, race, how many records each
holds and whom each is linked to. The program's case content is never on this page.
"""

from django.core.exceptions import ValidationError
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from divert.access import Action, Kind
from divert.linkage import justice_dedupe
from divert.linkage.labels import AlreadyDecided
from divert.linkage.models import JusticePerson, Link, PairDecision
from divert.linkage.pages.views import _dob, pair_form
from divert.records.models import JusticeEvent
from divert.web.pages import page

FIELDS = [
    "First name",
    "Last name",
    "Date of birth",
    "Sex",
    "Race",
    "Records",
    "Linked to",
    "Record",
]


@page((Action.VIEW, Kind.LINK), (Action.CHANGE, Kind.LINK))
def justice_review(request: HttpRequest) -> HttpResponse:
    queue = justice_dedupe.justice_review_queue(user=request.user)
    recent = justice_dedupe.justice_recent(user=request.user)
    records = _records(
        {i for d in queue for i in (d["first_id"], d["second_id"])}
        | {i for d in recent for i in (d.first_id, d.second_id)}
    )
    cards = [
        _card(records, d["first_id"], d["second_id"], d["match_probability"], d["model_version"])
        for d in queue
        if d["first_id"] in records and d["second_id"] in records
    ]
    for d in recent:
        d.names = " and ".join(_name(records.get(i)) for i in (d.first_id, d.second_id))
    return render(request, "linkage/justice_review.html", {"cards": cards, "recent": recent})


@page((Action.VIEW, Kind.LINK), (Action.CHANGE, Kind.LINK))
@require_POST
def justice_decide(request: HttpRequest) -> HttpResponse:
    form = request.POST
    try:
        first_id, second_id = pair_form(form)
        decision = justice_dedupe.justice_pair_decide(
            user=request.user,
            first_id=first_id,
            second_id=second_id,
            decision=form.get("decision", ""),
        )
    except ValidationError as exc:
        return HttpResponse("; ".join(exc.messages), status=422)
    except AlreadyDecided as exc:
        return HttpResponse(str(exc), status=409)
    return _answer(request, decision)


@page((Action.VIEW, Kind.LINK), (Action.CHANGE, Kind.LINK))
@require_POST
def justice_undo(request: HttpRequest, decision_id: int) -> HttpResponse:
    decision = justice_dedupe.justice_pair_undo(user=request.user, decision_id=decision_id)
    return _answer(request, decision)


def _answer(request: HttpRequest, decision: PairDecision) -> HttpResponse:
    if not request.htmx:
        return redirect("justice-review")
    records = _records({decision.first_id, decision.second_id})
    card = _card(
        records,
        decision.first_id,
        decision.second_id,
        decision.match_probability,
        decision.model_version,
    )
    if decision.decision != PairDecision.Decision.UNDONE:
        card["decision"] = decision
    return render(request, "linkage/_justice_pair.html", {"card": card})


def _records(ids: set[int]) -> dict[int, dict]:
    found = {j.pk: j for j in JusticePerson.objects.filter(pk__in=ids)}
    counts = {
        (r["source_system"], r["source_person_id"]): r
        for r in JusticeEvent.objects.filter(
            jurisdiction_id__in={j.jurisdiction_id for j in found.values()},
            source_system__in={j.source_system for j in found.values()},
            source_person_id__in={j.source_person_id for j in found.values()},
        )
        .values("source_system", "source_person_id")
        .annotate(n=Count("pk"), last=Max("occurred_on"))
    }
    linked: dict[int, list[str]] = {}
    for jp, person, status in Link.objects.filter(justice_person_id__in=ids).values_list(
        "justice_person_id", "person_id", "status"
    ):
        if status in justice_dedupe.IN_FORCE:
            linked.setdefault(jp, []).append(f"divert person {person}")
    out = {}
    for pk, j in found.items():
        events = counts.get((j.source_system, j.source_person_id))
        held = f"{events['n']}, latest {events['last'].isoformat()}" if events else "none"
        out[pk] = {
            "record": j,
            "values": [
                j.first_name or "—",
                j.last_name or "—",
                _dob(j.date_of_birth, j.dob_precision),
                j.get_sex_display(),
                j.get_race_display(),
                held,
                ", ".join(sorted(linked.get(pk, []))) or "no one",
                f"{j.source_system} {j.source_person_id}",
            ],
        }
    return out


def _name(entry: dict | None) -> str:
    if entry is None:
        return "a removed record"
    j = entry["record"]
    return f"{j.first_name} {j.last_name} ({j.source_system} {j.source_person_id})"


def _card(records: dict, first_id: int, second_id: int, probability, version: str) -> dict:
    a, b = records[first_id], records[second_id]
    rows = [
        (field, x, y, x.lower() == y.lower() or field in ("Records", "Linked to", "Record"))
        for field, x, y in zip(FIELDS, a["values"], b["values"], strict=True)
    ]
    return {
        "first": a["record"],
        "second": b["record"],
        "left": a["values"][-1],
        "right": b["values"][-1],
        "probability": probability,
        "model_version": version,
        "rows": rows,
    }
