"""The merge review: likely duplicate program people side by side, decided by key.

Only what tells two records apart is shown: names, other names, date of birth, sex, race,
outside identifiers and enrollment status. Never case notes, plans or health.
"""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from divert.access import Action, Kind
from divert.audit.services import audit_records
from divert.linkage import pairs
from divert.linkage.labels import AlreadyDecided
from divert.linkage.models import PairDecision
from divert.linkage.pages.views import _dob, pair_form
from divert.people.models import Person
from divert.web.pages import page


@page((Action.VIEW, Kind.LINK), (Action.CHANGE, Kind.LINK))
def merge_review(request: HttpRequest) -> HttpResponse:
    queue = pairs.duplicate_queue(user=request.user)
    people = _people({i for d in queue for i in (d["person_id"], d["other_id"])})
    _audit_reads(request, people.values())
    cards = [
        _card(
            people[d["person_id"]],
            people[d["other_id"]],
            d["match_probability"],
            d["model_version"],
        )
        for d in queue
    ]
    recent = list(pairs.recent_decisions(user=request.user))
    for d in recent:
        d.names = f"divert person {d.first_id} and {d.second_id}"
    context = {"cards": cards, "recent": recent}
    return render(request, "linkage/merge_review.html", context)


@page((Action.VIEW, Kind.LINK), (Action.CHANGE, Kind.LINK))
@require_POST
def merge_decide(request: HttpRequest) -> HttpResponse:
    form = request.POST
    try:
        first_id, second_id = pair_form(form)
        decision = pairs.pair_decide(
            user=request.user,
            first_id=first_id,
            second_id=second_id,
            decision=form.get("decision", ""),
        )
    except ValidationError as exc:
        return HttpResponse("; ".join(exc.messages), status=422)
    except AlreadyDecided as exc:
        return HttpResponse(str(exc), status=409)
    if not request.htmx:
        return redirect("merge-review")
    return _decided(request, decision)


@page((Action.VIEW, Kind.LINK), (Action.CHANGE, Kind.LINK))
@require_POST
def merge_undo(request: HttpRequest, decision_id: int) -> HttpResponse:
    decision = pairs.pair_undo(user=request.user, decision_id=decision_id)
    if not request.htmx:
        return redirect("merge-review")
    people = _people({decision.first_id, decision.second_id})
    _audit_reads(request, people.values())
    card = _card(
        people[decision.first_id],
        people[decision.second_id],
        decision.match_probability,
        decision.model_version,
    )
    return render(request, "linkage/_merge_pair.html", {"card": card})


def _decided(request: HttpRequest, decision: PairDecision) -> HttpResponse:
    people = _people({decision.first_id, decision.second_id})
    card = _card(
        people[decision.first_id],
        people[decision.second_id],
        decision.match_probability,
        decision.model_version,
    )
    card["decision"] = decision
    if decision.merge_id:
        card["kept"] = get_object_or_404(Person, pk=decision.merge.kept_id)
    return render(request, "linkage/_merge_pair.html", {"card": card})


def _people(ids: set[int]) -> dict[int, Person]:
    return {
        p.pk: p
        for p in Person.objects.filter(pk__in=ids).prefetch_related(
            "other_names", "identifiers", "enrollments"
        )
    }


def _audit_reads(request: HttpRequest, people) -> None:
    audit_records(
        [
            {
                "action": "view",
                "kind": Kind.PERSON.value,
                "outcome": "allowed",
                "object_id": p.pk,
                "jurisdiction_id": p.jurisdiction_id,
                "user": request.user,
                "detail": {"page": "merge review"},
            }
            for p in people
        ]
    )


def _enrollment(p: Person) -> str:
    enrollments = sorted(p.enrollments.all(), key=lambda e: (e.referred_on, e.pk), reverse=True)
    if not enrollments:
        return "none"
    e = enrollments[0]
    more = f" (+{len(enrollments) - 1} earlier)" if len(enrollments) > 1 else ""
    return f"{e.get_status_display()}, referred {e.referred_on.isoformat()}{more}"


def _side(p: Person) -> list[str]:
    return [
        p.first_name + (f" {p.middle_name}" if p.middle_name else ""),
        p.last_name,
        ", ".join(sorted(str(n) for n in p.other_names.all())) or "none",
        _dob(p.date_of_birth, p.dob_precision),
        p.get_sex_display(),
        p.get_race_display(),
        ", ".join(sorted(str(i) for i in p.identifiers.all())) or "none",
        _enrollment(p),
        f"divert person {p.pk}",
    ]


FIELDS = [
    "First name",
    "Last name",
    "Other names",
    "Date of birth",
    "Sex",
    "Race",
    "Identifiers",
    "Enrollment",
    "Record",
]


def _card(first: Person, second: Person, probability, version: str) -> dict:
    kept, _ = pairs.kept_of(first, second)
    a, b = _side(first), _side(second)
    rows = [
        (field, x, y, x.lower() == y.lower() or field == "Record")
        for field, x, y in zip(FIELDS, a, b, strict=True)
    ]
    return {
        "first": first,
        "second": second,
        "left": f"divert person {first.pk}",
        "right": f"divert person {second.pk}",
        "probability": probability,
        "model_version": version,
        "rows": rows,
        "keeps": kept,
    }
