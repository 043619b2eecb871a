"""The officer's pages: find, screen, divert, hand off. Phone-sized, one screen per step."""

import datetime
import uuid

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from divert.access import Action, Kind, require, visible
from divert.casework.capacity import caseloads
from divert.errors import field_errors
from divert.field import diversion
from divert.field.community import community_referral_create
from divert.field.forms import (
    CloseForm,
    CommunityReferralForm,
    PersonForm,
    ScreenForm,
    SearchForm,
)
from divert.field.models import Referral, Screening
from divert.field.policies import NoPolicy
from divert.field.selectors import decision_shown_to
from divert.jurisdictions.clock import site_today
from divert.linkage.duplicates import (
    PossibleDuplicate,
    duplicate_choice_record,
    possible_duplicates,
)
from divert.people.models import Person
from divert.people.search import person_search
from divert.people.selectors import enrollment_status_get
from divert.people.services import person_create
from divert.staff.models import User
from divert.web.pages import page


@page((Action.VIEW, Kind.ENROLLMENT_STATUS))
def lookup(request):
    """Find the person. Shows only enrolled-and-whom-to-call, never case content."""
    require(request.user, Action.VIEW, Kind.ENROLLMENT_STATUS, audit=False)
    form = SearchForm(request.GET or None)
    results = []
    if form.is_valid():
        found = person_search(
            jurisdiction_id=request.user.jurisdiction_id,
            query=form.cleaned_data["q"],
            dob=form.cleaned_data["dob"],
        )
        for person, _score in found:
            status = enrollment_status_get(user=request.user, person_id=person.pk)
            born = person.date_of_birth.year if person.date_of_birth else "—"
            results.append({"id": person.pk, "name": str(person), "born": born, **status})
    query = request.GET.get("q", "")
    template = "field/_results.html" if request.htmx else "field/lookup.html"
    return render(request, template, {"form": form, "query": query, "results": results})


@login_required
def person_add(request):
    """Not found: add the person with what the officer knows, then screen.

    If the engine finds someone like this person already, the officer chooses: screen that
    person, or add a new one anyway. Either choice is recorded.
    """
    form = PersonForm(request.POST or None, initial=request.GET)
    candidates, code = [], 200
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action", "")
        if action == "existing":
            chosen = _duplicate_chosen(request, form.cleaned_data)
            if chosen is not None:
                return redirect("field-screen", person_id=chosen.pk)
            form.add_error(None, "Choose one of the people shown, or add a new person.")
            code = 422
        else:
            try:
                person = person_create(
                    user=request.user, create_anyway=action == "new", **form.cleaned_data
                )
            except PossibleDuplicate as exc:
                candidates = exc.candidates
            except ValidationError as exc:
                for error in field_errors(exc):
                    form.add_error(error["field"] or None, error["message"])
            else:
                return redirect("field-screen", person_id=person.pk)
    require(request.user, Action.CREATE, Kind.PERSON, audit=False)
    duplicates = [
        {"id": p.pk, "name": str(p), "born": p.date_of_birth.year if p.date_of_birth else "—"}
        for p, _ in candidates
    ]
    return render(
        request, "field/person_add.html", {"form": form, "duplicates": duplicates}, status=code
    )


def _duplicate_chosen(request, data: dict) -> Person | None:
    """The person the officer chose, only if the engine offers them for what was typed."""
    candidates = possible_duplicates(jurisdiction_id=request.user.jurisdiction_id, **data)
    wanted = request.POST.get("person_id", "")
    for person, _ in candidates:
        if str(person.pk) == wanted:
            duplicate_choice_record(
                user=request.user, choice="existing", person=person, candidates=candidates
            )
            return person
    return None


@login_required
def screen(request, person_id: int):
    require(request.user, Action.CREATE, Kind.SCREENING, audit=False)
    person = get_object_or_404(Person, pk=person_id, jurisdiction_id=request.user.jurisdiction_id)
    data = request.POST if request.method == "POST" else None
    form = ScreenForm(data, jurisdiction_id=request.user.jurisdiction_id)
    error = ""
    if request.method == "POST" and form.is_valid():
        case = form.case(site_today(request.user.jurisdiction).isoformat())
        try:
            screening = diversion.screening_run(user=request.user, case=case, person=person)
        except ValidationError as exc:
            error = "; ".join(f"{e['field']}: {e['message']}" for e in field_errors(exc))
        except NoPolicy as exc:
            error = str(exc)
        else:
            area = form.cleaned_data["area"]
            request.session[f"screening-{screening.pk}"] = {
                "area_id": area.pk if area else None,
                "location": form.cleaned_data["location"],
            }
            return redirect("field-decision", screening_id=screening.pk)
    return render(request, "field/screen.html", {"form": form, "person": person, "error": error})


def _own_screening(request, screening_id: int) -> Screening:
    screening = get_object_or_404(Screening.objects.select_related("person"), pk=screening_id)
    require(request.user, Action.VIEW, Kind.SCREENING, screening)
    return screening


@login_required
def decision(request, screening_id: int):
    screening = _own_screening(request, screening_id)
    return render(
        request,
        "field/decision.html",
        {
            "screening": screening,
            "decision": decision_shown_to(request.user, screening.decision),
            "close": CloseForm(),
        },
    )


@login_required
@require_POST
def divert(request, screening_id: int):
    screening = _own_screening(request, screening_id)
    where = request.session.get(f"screening-{screening.pk}", {})
    try:
        referral = diversion.diversion_create(
            user=request.user,
            screening=screening,
            pathway=request.POST.get("pathway", ""),
            location=where.get("location", ""),
            area_id=where.get("area_id"),
        )
    except ValidationError as exc:
        return render(
            request,
            "field/decision.html",
            {
                "screening": screening,
                "decision": decision_shown_to(request.user, screening.decision),
                "close": CloseForm(),
                "error": "; ".join(e["message"] for e in field_errors(exc)),
            },
            status=422,
        )
    return redirect("field-handoff", referral_id=referral.pk)


@login_required
@require_POST
def close(request, screening_id: int):
    screening = _own_screening(request, screening_id)
    form = CloseForm(request.POST)
    referral = None
    if request.POST.get("referral"):
        if not request.POST["referral"].isdigit():
            raise Http404("no such referral")
        referral = get_object_or_404(Referral, pk=int(request.POST["referral"]))
    if form.is_valid():
        try:
            diversion.encounter_close(
                user=request.user,
                screening=screening,
                referral=referral,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            for error in field_errors(exc):
                form.add_error(
                    error["field"] if error["field"] in form.fields else None, error["message"]
                )
        else:
            return render(request, "field/closed.html", {"outcome": form.cleaned_data["outcome"]})
    return render(
        request,
        "field/decision.html",
        {
            "screening": screening,
            "decision": decision_shown_to(request.user, screening.decision),
            "close": form,
        },
        status=422,
    )


@login_required
def handoff(request, referral_id: int):
    referral = get_object_or_404(
        Referral.objects.select_related("case_manager", "encounter__screening"), pk=referral_id
    )
    require(request.user, Action.CHANGE, Kind.REFERRAL, referral, audit=False)
    if request.method == "POST":
        with transaction.atomic():
            referral = diversion.handoff_complete(user=request.user, referral=referral)
    target = settings.DIVERT_HANDOFF_TARGET_MINUTES
    due = referral.referred_at + datetime.timedelta(minutes=target)
    return render(
        request,
        "field/handoff.html",
        {"referral": referral, "target": target, "due": due, "close": CloseForm()},
    )


@page((Action.CREATE, Kind.REFERRAL))
def community_referral(request):
    """A partner refers someone with no police involvement."""
    require(request.user, Action.CREATE, Kind.REFERRAL, audit=False)
    form = CommunityReferralForm(request.POST or None, initial={"request_id": uuid.uuid4().hex})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        choice = request.POST.get("duplicate", "")
        try:
            referral = community_referral_create(
                user=request.user,
                idempotency_key=data.pop("request_id"),
                duplicate=choice if choice in ("existing", "new") else "",
                **data,
            )
        except PossibleDuplicate:
            return render(request, "field/community_referral.html", {"form": form, "known": True})
        except ValidationError as exc:
            for error in field_errors(exc):
                field = error["field"] if error["field"] in form.fields else None
                form.add_error(field, error["message"])
        except NoPolicy as exc:
            form.add_error(None, str(exc))
        else:
            return render(request, "field/community_sent.html", {"referral": referral})
    return render(request, "field/community_referral.html", {"form": form})


@page((Action.VIEW, Kind.AGGREGATE))
def capacity_refusals(request):
    """Referrals turned away because every case manager was full: the supervisor's signal."""
    require(request.user, Action.VIEW, Kind.AGGREGATE, audit=False)
    refusals = list(
        visible(request.user, Kind.REFERRAL, Referral.objects.all())
        .filter(capacity_refused=True)
        .select_related("person", "referred_by")
        .order_by("-referred_at")[:200]
    )
    if refusals:
        require(request.user, Action.VIEW, Kind.REFERRAL)  # they name people: an audited read
    loads = caseloads(jurisdiction=request.user.jurisdiction)
    managers = User.objects.filter(pk__in=loads).order_by("last_name", "first_name")
    return render(
        request,
        "field/capacity.html",
        {
            "refusals": refusals,
            "caseloads": [(m, loads[m.pk]) for m in managers],
            "jurisdiction": request.user.jurisdiction,
        },
    )
