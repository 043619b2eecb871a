"""The clerical review queue: one uncertain link at a time, side by side, decided by key."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from divert.access import Action, Kind
from divert.linkage import services
from divert.linkage.models import Link
from divert.web.pages import page

DECISION_KEYS = {"confirm": "y", "reject": "n"}


@page((Action.VIEW, Kind.LINK), (Action.CHANGE, Kind.LINK))
def link_review(request: HttpRequest) -> HttpResponse:
    after = request.GET.get("after", "")
    link = services.review_next(user=request.user, after=int(after) if after.isdigit() else None)
    if link is None:
        waiting = services.link_list(user=request.user, status=Link.Status.REVIEW).count()
        return render(request, "linkage/review.html", {"link": None, "waiting": waiting})
    return redirect("link-decide", link_id=link.pk)


@page((Action.VIEW, Kind.LINK), (Action.CHANGE, Kind.LINK))
def link_decide(request: HttpRequest, link_id: int) -> HttpResponse:
    link = services.link_get(user=request.user, link_id=link_id)
    error, code = "", 200
    if request.method == "POST":
        try:
            services.link_decide(
                user=request.user, link_id=link.pk, decision=request.POST.get("decision", "")
            )
        except ValidationError as exc:
            error, code = "; ".join(exc.messages), 422
        else:
            return redirect(reverse("link-review") + f"?after={link.pk}")
    waiting = services.link_list(user=request.user, status=Link.Status.REVIEW).count()
    context = {
        "link": link,
        "person": link.person,
        "other": link.justice_person,
        "waiting": waiting,
        "error": error,
        "skip": reverse("link-review") + f"?after={link.pk}",
        "rows": _rows(link),
    }
    return render(request, "linkage/review.html", context, status=code)


def pair_form(form) -> tuple[int, int]:
    """The two record ids a pair card posts; ValidationError if bad. (The pair's probability
    and model version are worked out on the server, never taken from the form.)"""
    try:
        return int(form.get("first_id", "")), int(form.get("second_id", ""))
    except (TypeError, ValueError):
        raise ValidationError("first_id, second_id: whole numbers") from None


def _dob(date, precision: str) -> str:
    if date is None:
        return "unknown"
    if precision == "year":
        return str(date.year)
    if precision == "month":
        return f"{date.year}-{date.month:02d}"
    return date.isoformat()


def _rows(link: Link) -> list[tuple[str, str, str, bool]]:
    """(field, program side, justice side, same?) for the side-by-side table."""
    p, j = link.person, link.justice_person
    aliases = ", ".join(str(n) for n in p.other_names.all())
    pairs = [
        ("First name", p.first_name, j.first_name),
        ("Last name", p.last_name, j.last_name),
        (
            "Date of birth",
            _dob(p.date_of_birth, p.dob_precision),
            _dob(j.date_of_birth, j.dob_precision),
        ),
        ("Sex", p.get_sex_display(), j.get_sex_display()),
        ("Race", p.get_race_display(), j.get_race_display()),
        ("Other names", aliases or "none", ""),
        ("Record", f"divert person {p.pk}", f"{j.source_system} {j.source_person_id}"),
    ]
    return [(f, a, b, a.lower() == b.lower()) for f, a, b in pairs]
