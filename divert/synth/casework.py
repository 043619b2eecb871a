"""After referral: intake against the deadline, engagement, contacts, services and monthly
housing/employment/income. Harm reduction: no sanctions, nobody fails out.

Monthly outcomes rise linearly from the baseline at intake to baseline x ratio by month 18
(Seattle 18-month within-person study, background) and stay there. Each person keeps one
uniform per outcome, so trajectories are monotone and the marginal shares are exact.

>>> import numpy as np
>>> _target(0.3, 2.0, np.array([0, 9, 18, 30])).round(2).tolist()
[0.3, 0.45, 0.6, 0.6]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from divert.synth.program import DAY_S, NEVER
from divert.synth.rng import stream
from divert.synth.scenario import Scenario

SERVICES = np.array(["housing", "treatment", "income", "legal", "health"], dtype=object)
KINDS = np.array(["street", "office", "phone"], dtype=object)


def _target(baseline: float, ratio: float, k: np.ndarray) -> np.ndarray:
    return baseline * (1 + (ratio - 1) * np.minimum(k, 18) / 18)


def _ts(seconds: np.ndarray) -> np.ndarray:
    """Epoch seconds to datetime64[ns], NEVER to NaT."""
    out = seconds.astype("datetime64[s]").astype("datetime64[ns]")
    out[seconds == NEVER] = np.datetime64("NaT")
    return out


def casework(
    s: Scenario, enr: pd.DataFrame, end: np.datetime64, seed: int
) -> dict[str, pd.DataFrame]:
    """Tables that follow from enrollments.

    `enr` columns: enrollment_id, person_id, referral_id, case_manager_id and epoch-second
    referred_at, intake_at, exit_at (NEVER = not happened).
    """
    rng = stream(seed, "casework")
    pr, oc = s.program, s.outcomes
    end_s = end.astype("datetime64[s]").astype(np.int64)
    ref = enr.referred_at.to_numpy()
    intake = enr.intake_at.to_numpy()
    intake = np.where(intake < end_s, intake, NEVER)
    exit_at = enr.exit_at.to_numpy()
    exit_at = np.where(exit_at < end_s, exit_at, NEVER)
    due = ref + pr.intake_deadline_days * DAY_S
    n = len(enr)

    # Months after intake, one row per enrollment-month.
    has = intake != NEVER
    stop = np.minimum(np.where(exit_at == NEVER, end_s, exit_at), end_s) - 1
    m0 = intake.astype("datetime64[s]").astype("datetime64[M]").astype(np.int64)
    m1 = stop.astype("datetime64[s]").astype("datetime64[M]").astype(np.int64)
    months = np.where(has, np.maximum(m1 - m0 + 1, 1), 0)
    row_enr = np.repeat(np.arange(n), months)
    k = np.arange(len(row_enr)) - np.repeat(np.cumsum(months) - months, months)
    month = (m0[row_enr] + k).astype("datetime64[M]")

    active = np.ones(len(row_enr), dtype=bool)
    u = rng.random(len(row_enr))
    order = np.argsort(k, kind="stable")
    kb = np.searchsorted(k[order], np.arange(k.max() + 2 if len(k) else 1))
    for kk in range(1, len(kb) - 1):
        rows = order[kb[kk] : kb[kk + 1]]
        prev = active[rows - 1]
        active[rows] = np.where(
            prev, u[rows] >= pr.active_to_inactive, u[rows] < pr.inactive_to_active
        )

    u_house, u_emp, u_inc = (rng.random(n)[row_enr] for _ in range(3))
    p_perm = _target(oc.permanent_baseline, oc.permanent_ratio_18m, k)
    p_shel = np.maximum(_target(oc.sheltered_baseline, oc.sheltered_ratio_18m, k), p_perm)
    housing = np.where(
        u_house < p_perm, "permanent", np.where(u_house < p_shel, "sheltered", "unsheltered")
    )
    employment = u_emp < _target(oc.employment_baseline, oc.employment_ratio_18m, k)
    income = u_inc < _target(oc.income_baseline, oc.income_ratio_18m, k)
    amount = np.where(
        income, np.round(oc.mean_monthly_income * rng.lognormal(-0.18, 0.6, len(k)), 2), 0.0
    )
    monthly = pd.DataFrame(
        {
            "enrollment_id": enr.enrollment_id.to_numpy()[row_enr],
            "person_id": enr.person_id.to_numpy()[row_enr],
            "month": month.astype("datetime64[ns]"),
            "months_since_intake": k,
            "status": np.where(active, "active", "inactive").astype(object),
            "housing": housing.astype(object),
            "employment_continuum": employment,
            "income_or_benefits": income,
            "monthly_income": amount,
        }
    )

    # Contacts and service referrals inside each month's enrolled window.
    win_lo = np.maximum(month.astype("datetime64[s]").astype(np.int64), intake[row_enr])
    nxt = (month + 1).astype("datetime64[s]").astype(np.int64)
    win_hi = np.minimum(nxt, stop[row_enr] + 1)
    span = np.maximum(win_hi - win_lo, 1)
    rate = np.where(active, pr.contacts_per_active_month, pr.contacts_per_inactive_month)
    nc = rng.poisson(rate * span / (30.4375 * DAY_S))
    cr = np.repeat(np.arange(len(row_enr)), nc)
    c_at = win_lo[cr] + (rng.random(len(cr)) * span[cr]).astype(np.int64)
    e = row_enr[cr]
    contacts = pd.DataFrame(
        {
            "contact_id": np.arange(1, len(cr) + 1),
            "enrollment_id": enr.enrollment_id.to_numpy()[e],
            "person_id": enr.person_id.to_numpy()[e],
            "case_manager_id": enr.case_manager_id.to_numpy()[e],
            "contacted_at": _ts(c_at),
            "kind": KINDS[rng.choice(3, len(cr), p=[0.6, 0.25, 0.15])],
        }
    )
    ns = rng.poisson(
        np.where(active, pr.service_referrals_per_active_month, 0.0) * span / (30.4375 * DAY_S)
    )
    sr = np.repeat(np.arange(len(row_enr)), ns)
    s_at = win_lo[sr] + (rng.random(len(sr)) * span[sr]).astype(np.int64)
    e = row_enr[sr]
    services = pd.DataFrame(
        {
            "service_referral_id": np.arange(1, len(sr) + 1),
            "enrollment_id": enr.enrollment_id.to_numpy()[e],
            "person_id": enr.person_id.to_numpy()[e],
            "referred_at": _ts(s_at),
            "service": SERVICES[rng.choice(5, len(sr), p=[0.3, 0.25, 0.2, 0.15, 0.1])],
            "completed": rng.random(len(sr)) < 0.6,
        }
    )

    # Status history: referred, intake_pending, active, changes by month, exited.
    eid = enr.enrollment_id.to_numpy()
    change = np.ones(len(row_enr), dtype=bool)
    change[1:] = (active[1:] != active[:-1]) | (row_enr[1:] != row_enr[:-1])
    change &= k > 0
    hist = [
        (eid, np.full(n, "referred"), ref),
        (eid, np.full(n, "intake_pending"), ref),
        (eid[has], np.full(has.sum(), "active"), intake[has]),
        (
            eid[row_enr[change]],
            np.where(active[change], "active", "inactive"),
            month[change].astype("datetime64[s]").astype(np.int64),
        ),
        (
            eid[exit_at != NEVER],
            np.full((exit_at != NEVER).sum(), "exited"),
            exit_at[exit_at != NEVER],
        ),
    ]
    h_eid = np.concatenate([h[0] for h in hist])
    h_status = np.concatenate([h[1].astype(object) for h in hist])
    h_at = np.concatenate([h[2] for h in hist])
    rank = np.concatenate([np.full(len(h[0]), i) for i, h in enumerate(hist)])
    o = np.lexsort((rank, h_at, h_eid))
    h_eid, h_status, h_at = h_eid[o], h_status[o], h_at[o]
    seq = np.arange(len(h_eid)) - np.searchsorted(h_eid, h_eid)
    status_hist = pd.DataFrame(
        {"enrollment_id": h_eid, "seq": seq + 1, "status": h_status, "started_at": _ts(h_at)}
    )

    last = status_hist.groupby("enrollment_id", sort=True).status.last()
    enrollments = pd.DataFrame(
        {
            "enrollment_id": eid,
            "person_id": enr.person_id.to_numpy(),
            "referral_id": enr.referral_id.to_numpy(),
            "case_manager_id": enr.case_manager_id.to_numpy(),
            "referred_at": _ts(ref),
            "intake_at": _ts(intake),
            "exited_at": _ts(exit_at),
            "status": last.reindex(eid).to_numpy(),
        }
    )
    intakes = pd.DataFrame(
        {
            "enrollment_id": eid,
            "person_id": enr.person_id.to_numpy(),
            "due_at": _ts(due),
            "completed_at": _ts(intake),
            "deadline_met": has & (intake <= due),
        }
    )
    return {
        "enrollments": enrollments,
        "enrollment_status": status_hist,
        "intakes": intakes,
        "contacts": contacts,
        "service_referrals": services,
        "monthly_status": monthly,
    }
