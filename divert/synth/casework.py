"""After referral: intake against the deadline, engagement, contacts, services and monthly
housing, employment and income. Harm reduction: no sanctions, nobody fails out.

Engagement (active or inactive, and the contacts of each month) was drawn when the
enrollment was accepted (program.py), because the program effect follows it; this module
lays it out as tables. Housing, employment and income are recorded for the month before
referral (the baseline, asked at intake) and every month from intake: each person keeps
one uniform per outcome, compared with the baseline share before referral and with the
share whose odds are the scenario's odds ratio times the baseline odds in follow-up, so
trajectories are monotone and the published estimand (any follow-up month against the
month before referral) is the scenario's odds ratio.

>>> round(odds_shift(0.3, 2.1), 3)
0.474
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from divert.synth.program import DAY_S, MONTH_S, NEVER, Enrollments
from divert.synth.rng import stream
from divert.synth.scenario import Scenario, odds_shift

SERVICES = np.array(["housing", "treatment", "income", "legal", "health"], dtype=object)
# Why people leave after intake (illustrative shares); harm reduction has no "failed".
EXIT_REASONS = (
    ("completed_goals", 0.35),
    ("chose_to_leave", 0.2),
    ("no_contact_12_months", 0.2),
    ("moved_away", 0.1),
    ("incarcerated_long_term", 0.1),
    ("deceased", 0.02),
    ("other", 0.03),
)
SITE_EXIT_SHARE = 0.05  # exits for a reason the site's policy defines (Santa Fe: committee)
KINDS = np.array(["street", "office", "phone"], dtype=object)


def _ts(seconds: np.ndarray) -> np.ndarray:
    """Epoch seconds to datetime64[ns], NEVER to NaT."""
    out = np.where(seconds == NEVER, 0, seconds).astype("datetime64[s]").astype("datetime64[ns]")
    out[seconds == NEVER] = np.datetime64("NaT")
    return out


def casework(
    s: Scenario,
    enr: Enrollments,
    ids: pd.DataFrame,
    end: np.datetime64,
    seed: int,
    site_reasons: list[tuple[str, ...]] | None = None,
) -> dict[str, pd.DataFrame]:
    """Tables that follow from enrollments.

    `ids` has enrollment_id, person_id, referral_id for each enrollment, in order.
    `site_reasons` gives, per enrollment, the exit reasons the policy in force at its
    referral defines (e.g. Santa Fe's committee termination).
    """
    rng = stream(seed, "casework")
    pr, oc = s.program, s.outcomes
    end_s = int(end.astype("datetime64[s]").astype(np.int64))
    n = len(enr)
    eid = ids.enrollment_id.to_numpy()
    pid = ids.person_id.to_numpy()
    ref = enr.referred_at
    intake = np.where(enr.intake_at < end_s, enr.intake_at, NEVER)
    exit_at = np.where(enr.exit_at < end_s, enr.exit_at, NEVER)
    has = intake != NEVER

    # Months after intake, one row per enrollment-month, as drawn by the capacity loop.
    months = np.where(has, enr.months, 0)
    row_enr = np.repeat(np.arange(n), months)
    k = np.arange(len(row_enr)) - np.repeat(np.cumsum(months) - months, months)
    flat = enr.first[row_enr] + k
    active = enr.active[flat]
    n_contacts = enr.contacts[flat]
    month = (enr.month0[row_enr] + k).astype("datetime64[M]")

    stop = np.minimum(np.where(exit_at == NEVER, end_s, exit_at), end_s) - 1
    win_lo = np.maximum(month.astype("datetime64[s]").astype(np.int64), intake[row_enr])
    nxt = (month + 1).astype("datetime64[s]").astype(np.int64)
    win_hi = np.minimum(nxt, stop[row_enr] + 1)
    span = np.maximum(win_hi - win_lo, 1)

    # The month before referral (baseline), for everyone whose intake was done.
    base_enr = np.flatnonzero(has)
    base_month = ref[base_enr].astype("datetime64[s]").astype("datetime64[M]") - 1
    u_house, u_emp, u_inc = (rng.random(n) for _ in range(3))

    def outcomes(e: np.ndarray, follow: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        def p(baseline: float, ratio: float) -> float:
            return odds_shift(baseline, ratio) if follow else baseline

        perm = p(oc.permanent_baseline, oc.permanent_odds_ratio)
        shel = max(p(oc.sheltered_baseline, oc.sheltered_odds_ratio), perm)
        housing = np.where(
            u_house[e] < perm, "permanent", np.where(u_house[e] < shel, "sheltered", "unsheltered")
        )
        employment = u_emp[e] < p(oc.employment_baseline, oc.employment_odds_ratio)
        income = u_inc[e] < p(oc.income_baseline, oc.income_odds_ratio)
        return housing, employment, income

    h_f, e_f, i_f = outcomes(row_enr, True)
    h_b, e_b, i_b = outcomes(base_enr, False)
    housing = np.concatenate([h_b, h_f])
    employment = np.concatenate([e_b, e_f])
    income = np.concatenate([i_b, i_f])
    amount = np.where(
        income, np.round(oc.mean_monthly_income * rng.lognormal(-0.18, 0.6, len(income)), 2), 0.0
    )
    m_enr = np.concatenate([base_enr, row_enr])
    monthly = pd.DataFrame(
        {
            "enrollment_id": eid[m_enr],
            "person_id": pid[m_enr],
            "month": np.concatenate([base_month, month]).astype("datetime64[ns]"),
            "months_since_intake": np.concatenate([np.full(len(base_enr), -1), k]),
            "status": np.concatenate(
                [
                    np.full(len(base_enr), "baseline", dtype=object),
                    np.where(active, "active", "inactive").astype(object),
                ]
            ),
            "contacts": np.concatenate([np.zeros(len(base_enr), np.int64), n_contacts]),
            "housing": housing.astype(object),
            "employment_continuum": employment,
            "income_or_benefits": income,
            "monthly_income": amount,
        }
    )

    # Contacts: the drawn count of each month, spread over its enrolled days.
    cr = np.repeat(np.arange(len(row_enr)), n_contacts)
    c_at = win_lo[cr] + (rng.random(len(cr)) * span[cr]).astype(np.int64)
    e = row_enr[cr]
    contacts = pd.DataFrame(
        {
            "contact_id": np.arange(1, len(cr) + 1),
            "enrollment_id": eid[e],
            "person_id": pid[e],
            "case_manager_id": enr.case_manager[e],
            "contacted_at": _ts(c_at),
            "kind": KINDS[rng.choice(3, len(cr), p=[0.6, 0.25, 0.15])],
        }
    )
    ns = rng.poisson(np.where(active, pr.service_referrals_per_active_month, 0.0) * span / MONTH_S)
    sr = np.repeat(np.arange(len(row_enr)), ns)
    s_at = win_lo[sr] + (rng.random(len(sr)) * span[sr]).astype(np.int64)
    e = row_enr[sr]
    services = pd.DataFrame(
        {
            "service_referral_id": np.arange(1, len(sr) + 1),
            "enrollment_id": eid[e],
            "person_id": pid[e],
            "referred_at": _ts(s_at),
            "service": SERVICES[rng.choice(5, len(sr), p=[0.3, 0.25, 0.2, 0.15, 0.1])],
            "completed": rng.random(len(sr)) < 0.6,
        }
    )

    # Status history: referred, intake_pending, active, changes by month, exited.
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
    exited = exit_at != NEVER
    names = np.array([r for r, _ in EXIT_REASONS], dtype=object)
    weights = np.array([w for _, w in EXIT_REASONS])
    reason = names[rng.choice(len(names), size=n, p=weights / weights.sum())]
    if site_reasons is not None:
        u = rng.random(n)
        for i in np.flatnonzero(exited & has & (u < SITE_EXIT_SHARE)):
            if site_reasons[i]:
                reason[i] = site_reasons[i][int(u[i] * 1e6) % len(site_reasons[i])]
    reason = np.where(has, reason, "intake_not_completed")
    reason = np.where(exited, reason, None).astype(object)
    enrollments = pd.DataFrame(
        {
            "enrollment_id": eid,
            "person_id": pid,
            "referral_id": ids.referral_id.to_numpy(),
            "case_manager_id": enr.case_manager,
            "referred_at": _ts(ref),
            "intake_at": _ts(intake),
            "exited_at": _ts(exit_at),
            "status": last.reindex(eid).to_numpy(),
            "exit_reason": reason,
        }
    )
    intakes = pd.DataFrame(
        {
            "enrollment_id": eid,
            "person_id": pid,
            "due_at": _ts(enr.due_at),
            "deadline_days": (enr.due_at - ref) // DAY_S,
            "completed_at": _ts(intake),
            "deadline_met": has & (intake <= enr.due_at),
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
