"""The dashboard's figures: both scorecards from one site's live rows, every shown count
11 or more (or 0), officers named only for those who may see staff."""

import datetime
import time

import pytest
from django.core.cache import caches
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from divert.audit.models import AuditEntry
from divert.evaluation.suppression import small
from divert.field.models import Encounter, Screening
from divert.field.policies import policy_active
from divert.jurisdictions.models import Area, Organization
from divert.program import dashboard
from divert.staff.models import User
from divert.staff.roles import Role


def _user(site, role: Role) -> User:
    org = Organization.objects.filter(jurisdiction=site).first()
    return User.objects.create_user(
        username=f"{site.slug}-{role.value}-dash", password="pw-for-tests-only",
        organization=org, roles=[role.value], first_name="Pat", last_name=role.label,
    )  # fmt: skip


def _shown_counts(data):
    for g in data["goals"].values():
        for m in g["measures"]:
            yield from _counts(m)
    for m in data["fidelity"]:
        yield from _counts(m)


def _counts(m):
    for k in ("n", "numerator"):
        if k in m and m[k] is not None:
            yield m["key"], k, m[k]
    for key in ("trend", "monthly"):
        for row in m.get(key, []):
            yield from ((m["key"], f"{key}.{k}", row.get(k)) for k in ("n", "numerator"))
    for col, rows in m.get("breakdowns", {}).items():
        for row in rows:
            yield from ((m["key"], f"{col}.{k}", row.get(k)) for k in ("n", "numerator"))


@pytest.fixture
def fresh_cache():
    caches["dashboard"].clear()
    yield
    caches["dashboard"].clear()


def test_the_program_manager_sees_both_scorecards_suppressed(db, loaded, fresh_cache):
    site = loaded[0]
    pm = _user(site, Role.PROGRAM_MANAGER)
    began = time.perf_counter()
    data = dashboard.dashboard_get(user=pm)
    seconds = time.perf_counter() - began
    print(f"dashboard computed in {seconds:.1f}s")
    assert list(data["goals"]) == ["reorient", "safety", "system", "equity", "savings", "relations"]
    shown = list(_shown_counts(data))
    assert shown and not [s for s in shown if small(s[2])]
    hidden = [
        row for g in data["goals"].values() for m in g["measures"]
        for rows in m.get("breakdowns", {}).values() for row in rows if row["suppressed"]
    ]  # fmt: skip
    assert hidden, "a county has officers with fewer than 11 referrals: some cells are hidden"
    months = [m["monthly"] for m in data["goals"]["reorient"]["measures"] if m.get("monthly")]
    assert months and any(len(rows) >= 12 for rows in months)
    keys = [m["key"] for m in data["fidelity"]]
    assert "fidelity.meetings_held" in keys and "fidelity.caseloads" in keys
    # Officers by name for a role that sees staff.
    assert data["officer_labels"] and not all(
        v.startswith("Officer ") for v in data["officer_labels"].values()
    )


def test_evaluators_see_officers_under_pseudonyms(db, loaded, fresh_cache):
    ev = _user(loaded[0], Role.EVALUATOR)
    labels = dashboard.dashboard_get(user=ev)["officer_labels"]
    assert labels and all(v.startswith("Officer ") for v in labels.values())


def test_roles_without_aggregates_are_refused(db, loaded):
    with pytest.raises(PermissionDenied):
        dashboard.dashboard_get(user=_user(loaded[0], Role.OFFICER))


def test_an_area_filter_narrows_and_another_sites_area_is_ignored(db, loaded, fresh_cache):
    site, other = loaded
    pm = _user(site, Role.PROGRAM_MANAGER)
    area = Area.objects.filter(jurisdiction=site, lead_since__isnull=False).first()
    whole = dashboard.dashboard_get(user=pm)
    narrow = dashboard.dashboard_get(user=pm, area_id=area.pk)

    def mix(d):
        return next(
            m for m in d["goals"]["reorient"]["measures"] if m["key"] == "reorient.pathway_mix"
        )

    assert narrow["area_id"] == area.pk and mix(narrow)["n"] < mix(whole)["n"]
    far = Area.objects.get(jurisdiction=other["site"])
    assert dashboard.dashboard_get(user=pm, area_id=far.pk)["area_id"] is None


def test_results_are_cached_until_the_data_changes(db, loaded, fresh_cache, monkeypatch):
    site = loaded[0]
    pm = _user(site, Role.PROGRAM_MANAGER)
    calls = []
    real = dashboard.compute
    monkeypatch.setattr(dashboard, "compute", lambda *a, **k: calls.append(1) or real(*a, **k))
    dashboard.dashboard_get(user=pm)
    dashboard.dashboard_get(user=pm)
    assert len(calls) == 1
    Encounter.objects.create(jurisdiction=site, occurred_at=timezone.now(), outcome="released")
    dashboard.dashboard_get(user=pm)
    assert len(calls) == 2


def test_the_missed_diversion_list_names_people_for_supervisors_only(db, loaded):
    site = loaded[0]
    enc = (
        Encounter.objects.filter(
            jurisdiction=site, outcome="booked", area__lead_since__isnull=False
        )
        .order_by("-occurred_at")
        .first()
    )
    enc.area.lead_since = datetime.date(2000, 1, 1)
    enc.area.save()
    policy, _ = policy_active(jurisdiction_id=site.pk)
    Screening.objects.create(
        jurisdiction=site, policy=policy, screened_by=enc.officer, screened_at=enc.occurred_at,
        person=enc.person, encounter=enc, case={}, decision={}, eligible=True,
    )  # fmt: skip
    sup = _user(site, Role.SUPERVISOR)
    before = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    rows = dashboard.missed_diversions(user=sup)
    assert [r["person"] for r in rows] == [str(enc.person)]
    assert AuditEntry.objects.filter(
        id__gt=before, action="view", kind="encounter", outcome="allowed", actor_id=sup.pk
    ).exists()
    assert dashboard.missed_diversions(user=_user(site, Role.PROGRAM_MANAGER)) is None
    assert dashboard.missed_diversions(user=_user(site, Role.EVALUATOR)) is None
