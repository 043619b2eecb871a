"""The program dashboard (staff) and the public aggregate page (anyone): both scorecards,
every count from 1 to 10 hidden. Thin: the figures come from divert.program.dashboard."""

import datetime
from typing import Any

from django import forms
from django.http import Http404
from django.shortcuts import render

from divert.access import Action, Kind
from divert.evaluation.report import monthly_sparkline, sparkline
from divert.evaluation.suppression import SHOWN_AS
from divert.jurisdictions.models import Jurisdiction
from divert.program import dashboard
from divert.web.pages import page

PERCENT_KINDS = ("proportion", "top_share")


class FilterForm(forms.Form):
    start = forms.DateField(required=False, label="From")
    end = forms.DateField(required=False, label="Up to (not including)")
    area = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="Area")

    def __init__(self, *args: Any, areas: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", "All areas"), *areas]

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        for name in ("start", "end"):
            day = data.get(name)
            if day is not None and not datetime.date(1990, 1, 1) <= day <= datetime.date(
                2100, 1, 1
            ):
                self.add_error(name, "Choose a date between 1990 and 2100.")
        if start and end and start >= end:
            self.add_error("end", "This must come after the first day.")
        return data


def _number(v: float | None, kind: str, unit: str) -> str:
    if v is None:
        return ""
    if kind in PERCENT_KINDS:
        return f"{v * 100:.1f}%"
    if kind == "ratio" and unit == "dollars":
        return f"${v:,.2f}"
    return f"{v:,.2f}"


def shown(m: dict) -> dict:
    """A measure as the page writes it: value, interval and n as text."""
    kind, unit = m.get("kind", ""), m.get("unit", "")
    out = {
        "key": m.get("key"),
        "title": m.get("title") or m.get("value"),
        "suppressed": m.get("suppressed"),
        "not_estimable": m.get("not_estimable"),
        "unit": unit if kind not in PERCENT_KINDS else "",
    }
    if m.get("not_estimable"):
        return out | {"value": "", "ci": "", "n": ""}
    value = SHOWN_AS if m.get("suppressed") else _number(m.get("estimate"), kind, unit)
    ci = ""
    if not m.get("suppressed") and m.get("ci_low") is not None:
        ci = f"{_number(m['ci_low'], kind, unit)} to {_number(m['ci_high'], kind, unit)}"
    n = m.get("n")
    return out | {"value": value, "ci": ci, "n": SHOWN_AS if n is None else f"{n:,}"}


def _groups(m: dict) -> list[dict]:
    return [
        shown({"kind": "ratio", "value": g} | row | {"title": g})
        for g, row in (m.get("groups") or {}).items()
    ]


def _measures(data: dict, labels: dict[str, str], area_names: dict[int, str]) -> list[dict]:
    goals = []
    for key, g in data["goals"].items():
        rows = []
        for m in g["measures"]:
            row = shown(m)
            row["trend"] = sparkline([t for t in m.get("trend") or [] if not t.get("suppressed")])
            row["monthly"] = monthly_sparkline(m.get("monthly") or [])
            row["months_hidden"] = sum(1 for t in m.get("monthly") or [] if t.get("suppressed"))
            row["groups"] = _groups(m)
            row["drill"] = []
            for col, items in m.get("breakdowns", {}).items():
                if col not in ("officer_id", "area_id"):
                    continue
                name = {"officer_id": "By officer", "area_id": "By area"}[col]
                cells = []
                for item in items:
                    v = item.get("value")
                    label = labels.get(str(v)) if col == "officer_id" else area_names.get(v)
                    cells.append(shown(m | item | {"title": label or "unknown"}))
                row["drill"].append({"title": name, "rows": cells})
            rows.append(row)
        goals.append({"key": key, "title": g["title"], "measures": rows})
    return goals


@page((Action.VIEW, Kind.AGGREGATE))
def program_scorecard(request):
    user = request.user
    areas = dashboard.areas_of(user.jurisdiction)
    form = FilterForm(request.GET or None, areas=areas)
    start = end = area = None
    if form.is_bound and form.is_valid():
        start, end, area = (form.cleaned_data[k] for k in ("start", "end", "area"))
    data = dashboard.dashboard_get(user=user, start=start, end=end, area_id=area)
    context = {
        "form": form,
        "goals": _measures(data, data["officer_labels"], dict(areas)),
        "fidelity": [_fidelity(m) for m in data["fidelity"]],
        "missed": dashboard.missed_diversions(user=user, start=start, end=end),
        "computed_at": data["computed_at"],
        "area": dict(areas).get(data["area_id"]),
        "shown_as": SHOWN_AS,
    }
    return render(request, "web/program_scorecard.html", context)


def _fidelity(m: dict) -> dict:
    row = shown(m)
    row["extra"] = {
        k: m[k] for k in ("case_managers", "highest", "over_target", "over_cap", "target", "cap")
        if k in m
    }  # fmt: skip
    row["note"] = m.get("note", "")
    row["by"] = [
        shown(m | item | {"title": item.get("label") or item.get("value")})
        for items in m.get("breakdowns", {}).values()
        for item in items
    ]
    return row


def public_scorecard(request, slug: str):
    """Anyone may read it: the scorecard's figures, no person, no breakdown. Query parameters
    are ignored; the figures come from the server's cache, so a flood of requests computes
    nothing again."""
    site = Jurisdiction.objects.filter(slug=slug).first()
    if site is None:
        raise Http404("No such site.")
    data = dashboard.cached(site, None, None, None)
    goals = []
    for key, g in data["goals"].items():
        rows = [shown(m) | {"groups": _groups(m)} for m in g["measures"]]
        goals.append({"key": key, "title": g["title"], "measures": rows})
    context = {"site": site, "goals": goals, "computed_at": data["computed_at"],
               "shown_as": SHOWN_AS}  # fmt: skip
    return render(request, "web/public_scorecard.html", context)
