"""The fidelity scorecard on tables small enough to count by hand."""

import pandas as pd

from divert.evaluation import fidelity
from divert.evaluation.source import from_frames

T = pd.Timestamp


def _src(**frames):
    return from_frames(frames)


def test_exits_under_a_reason_the_site_added_are_counted():
    e = pd.DataFrame(
        {
            "enrollment_id": [1, 2, 3, 4],
            "exited_at": [T("2025-01-05"), T("2025-02-01"), T("2025-03-01"), pd.NaT],
            "exit_reason": ["moved_away", "committee_termination", "completed_goals", None],
            "status": ["exited", "exited", "exited", "active"],
            "case_manager_id": [7, 7, 8, 8],
        }
    )
    r = fidelity.exits_outside_divert(_src(enrollments=e))
    assert (r["numerator"], r["n"]) == (1, 3)
    by = {row["value"]: row["n"] for row in r["breakdowns"]["exit_reason"]}
    assert by == {"committee_termination": 1, "completed_goals": 1, "moved_away": 1}


def test_caseloads_against_the_target_and_the_cap():
    e = pd.DataFrame(
        {
            "enrollment_id": range(1, 50),
            "case_manager_id": [1] * 26 + [2] * 21 + [3] * 2,
            "status": ["active"] * 47 + ["exited"] * 2,
        }
    )
    r = fidelity.caseloads(_src(enrollments=e))
    assert (r["highest"], r["over_target"], r["over_cap"], r["case_managers"]) == (26, 2, 1, 2)
    assert r["estimate"] == 47 / 2


def test_contacts_are_counted_in_active_months_only():
    s = pd.DataFrame(
        {
            "enrollment_id": [1, 1, 1],
            "seq": [1, 2, 3],
            "status": ["intake_pending", "active", "inactive"],
            "started_at": [T("2025-01-01"), T("2025-01-11"), T("2025-04-11")],
        }
    )
    c = pd.DataFrame(
        {
            "enrollment_id": [1, 1, 1, 1],
            "contacted_at": [T("2025-01-05"), T("2025-02-01"), T("2025-03-01"), T("2025-05-01")],
        }
    )
    r = fidelity.contacts_per_active_month(_src(enrollment_status=s, contacts=c))
    months = 90 / (365.25 / 12)
    assert r["numerator"] == 2 and abs(r["estimate"] - 2 / months) < 1e-9


def test_capacity_refusals_by_pathway():
    r = pd.DataFrame(
        {
            "referral_id": [1, 2, 3],
            "pathway": ["arrest_diversion", "community", "community"],
            "referred_at": [T("2025-01-01")] * 3,
            "capacity_refused": [False, True, False],
        }
    )
    out = fidelity.capacity_refusals(_src(referrals=r))
    by = {row["value"]: (row["numerator"], row["n"]) for row in out["breakdowns"]["pathway"]}
    assert by == {"arrest_diversion": (0, 1), "community": (1, 2)}


def test_meetings_are_not_estimable_without_meeting_records():
    r = fidelity.meetings_held(_src(areas=pd.DataFrame({"area_id": [1]})))
    assert r["estimate"] is None and "no meeting records" in r["not_estimable"]
    held = pd.DataFrame({"held_on": [T("2025-01-08"), T("2025-02-12")]})
    src = _src(meetings=held)
    src.names.add("meetings")
    assert fidelity.meetings_held(src)["estimate"] == 2
