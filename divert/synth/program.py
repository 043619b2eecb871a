"""Referrals, caseload caps and enrollment: who gets into LEAD, and when treatment starts.

Capacity is sequential (a slot taken this month is not free next month), so this is the one
loop in the synthesizer, over calendar months; each month is handled with array operations.

The program effect is a thinning of the Poisson encounter process: an encounter after the
person's first completed intake happens only if its uniform draw is below the hazard ratio.
That makes the true effect exact and recoverable: potential vs realized encounters.

>>> import numpy as np
>>> [str(m) for m in month_starts(np.datetime64("2011-10-15"), np.datetime64("2012-01-02"))[:2]]
['2011-10', '2011-11']
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from divert.synth.police import SECONDS_PER_YEAR, Events
from divert.synth.population import People
from divert.synth.rng import stream
from divert.synth.scenario import RACES, Scenario

ARREST, SOCIAL, COMMUNITY = 0, 1, 2
PATHWAYS = np.array(["arrest_diversion", "social_contact", "community"], dtype=object)
NEVER = np.iinfo(np.int64).max  # "no time yet", in epoch seconds
DAY_S = 86400
MONTH_S = 30.4375 * DAY_S


def month_starts(start: np.datetime64, end: np.datetime64) -> np.ndarray:
    return np.arange(start.astype("datetime64[M]"), end.astype("datetime64[M]") + 1)


def case_manager_count(s: Scenario, residents: int) -> int:
    return max(1, round(residents / 100_000 * s.program.case_managers_per_100k))


def officer_wants_to_refer(
    s: Scenario,
    ev: Events,
    people: People,
    buy_in: np.ndarray,
    eligible: np.ndarray,
    lead: np.ndarray,
) -> np.ndarray:
    """The officer's choice on each eligible encounter in a LEAD area after launch.

    Lower-risk people are diverted more (selection), so naive comparisons are biased.
    """
    p = s.police
    b = np.clip(buy_in[ev.officer], 0.0, 0.999)
    race_odds = np.array([s.disparity.diversion_odds_factor.get(r, 1.0) for r in RACES])
    odds = b / (1 - b) * np.exp(-p.selection_strength * people.risk[ev.person])
    odds = odds * race_odds[people.race[ev.person]]
    p_arrest = odds / (1 + odds)
    p_social = np.clip(
        b * p.social_contact_referral * np.exp(-p.selection_strength * people.risk[ev.person]), 0, 1
    )
    prob = np.where(ev.probable_cause, p_arrest, p_social)
    return eligible & lead & (ev.u_officer < prob)


def community_referrals(
    s: Scenario, people: People, residents: int, end: np.datetime64, seed: int
) -> pd.DataFrame:
    """Partner referrals with no police involvement, from at-risk people in LEAD areas."""
    rng = stream(seed, "community")
    lead_areas = np.flatnonzero([a.lead for a in s.county.areas])
    start = max(np.datetime64(s.program.community_start), np.datetime64(s.program.launch_date))
    pool = np.flatnonzero(
        (people.substance_use | people.sex_work)
        & np.isin(people.area, lead_areas)
        & (people.dob <= np.datetime64(s.county.start_date) - np.timedelta64(18 * 365, "D"))
    )
    months = month_starts(start, end)
    lam = s.program.community_referrals_per_month_per_100k * residents / 100_000
    counts = rng.poisson(lam, len(months)) if len(pool) else np.zeros(len(months), int)
    month = np.repeat(months, counts).astype("datetime64[s]")
    at = month + (rng.random(len(month)) * MONTH_S).astype("int64").astype("timedelta64[s]")
    person = pool[rng.integers(len(pool), size=len(month))] if len(pool) else np.array([], int)
    keep = (at >= np.datetime64(start)) & (at < end)
    return pd.DataFrame({"person": person[keep], "at": at[keep]})


@dataclass
class Intake:
    """Enrollments created by the capacity loop (one entry per accepted referral)."""

    attempt: np.ndarray  # index into the attempts frame
    case_manager: np.ndarray
    intake_at: np.ndarray  # epoch seconds, NEVER if not completed
    exit_at: np.ndarray  # epoch seconds (may be after the end date)


def run_capacity(
    s: Scenario,
    attempts: pd.DataFrame,
    n_people: int,
    residents: int,
    end: np.datetime64,
    seed: int,
) -> tuple[np.ndarray, Intake, np.ndarray]:
    """Decide each attempt month by month under the caseload caps.

    `attempts` (sorted by time) has person, at (epoch s), pathway, u_effect.
    Returns (outcome per attempt: 1 accepted, 0 refused, -1 not a new-enrollment attempt),
    the enrollments, and each person's first completed intake (epoch s, NEVER if none).
    """
    rng = stream(seed, "capacity")
    pr = s.program
    hr = s.effect.rearrest_hazard_ratio
    cms = case_manager_count(s, residents)
    person = attempts.person.to_numpy()
    at = attempts["at"].to_numpy()
    path = attempts.pathway.to_numpy()
    u_eff = attempts.u_effect.to_numpy()
    outcome = np.full(len(attempts), -1, dtype=np.int8)

    first_intake = np.full(n_people, NEVER, dtype=np.int64)
    enr_start = np.full(n_people, NEVER, dtype=np.int64)
    enr_end = np.full(n_people, np.iinfo(np.int64).min, dtype=np.int64)
    acc_idx, acc_cm, acc_intake, acc_exit = [], [], [], []
    open_ends = np.empty(0, dtype=np.int64)

    months = (
        month_starts(np.datetime64(pr.launch_date), end).astype("datetime64[s]").astype(np.int64)
    )
    bounds = np.searchsorted(at, months)
    bounds = np.append(bounds, len(at))
    deadline = pr.intake_deadline_days * DAY_S
    for m, month_start in enumerate(months):
        lo, hi = bounds[m], bounds[m + 1]
        if lo == hi:
            continue
        p, t = person[lo:hi], at[lo:hi]
        happened = (t <= first_intake[p]) | (u_eff[lo:hi] <= hr)
        free = ~((enr_start[p] <= t) & (t < enr_end[p]))
        idx = np.flatnonzero(happened & free)
        _, first = np.unique(p[idx], return_index=True)
        idx = np.sort(idx[first])
        open_ends = open_ends[open_ends > month_start]
        caseload = len(open_ends)
        is_arrest = path[lo + idx] == ARREST
        hard_free = max(0, cms * pr.caseload_hard_cap - caseload)
        arrest_ok = idx[is_arrest][:hard_free]
        soft_free = max(0, cms * pr.caseload_target - caseload - len(arrest_ok))
        other_ok = idx[~is_arrest][:soft_free]
        ok = np.sort(np.concatenate([arrest_ok, other_ok]))
        outcome[lo + idx] = 0
        outcome[lo + ok] = 1
        if len(ok) == 0:
            continue
        k = len(ok)
        pa, ta = p[ok], t[ok]
        completes = rng.random(k) < pr.intake_completion
        delay = (rng.exponential(pr.intake_mean_days, k) * DAY_S).astype(np.int64)
        intake = np.where(completes, ta + delay, NEVER)
        stay = (rng.exponential(pr.mean_months_enrolled, k) * MONTH_S).astype(np.int64)
        exit_at = np.where(completes, intake + stay, ta + deadline)
        enr_start[pa], enr_end[pa] = ta, exit_at
        first_intake[pa] = np.minimum(first_intake[pa], intake)
        open_ends = np.concatenate([open_ends, exit_at])
        acc_idx.append(lo + ok)
        acc_cm.append(rng.integers(1, cms + 1, k))
        acc_intake.append(intake)
        acc_exit.append(exit_at)

    def cat(parts: list[np.ndarray]) -> np.ndarray:
        return np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)

    enrolled = Intake(cat(acc_idx), cat(acc_cm), cat(acc_intake), cat(acc_exit))
    return outcome, enrolled, first_intake


def happened(ev: Events, first_intake: np.ndarray, hazard_ratio: float) -> np.ndarray:
    """Which potential encounters happen once the program effect applies."""
    t = ev.at.astype(np.int64)
    return (t <= first_intake[ev.person]) | (ev.u_effect <= hazard_ratio)


def years_between(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (b - a) / SECONDS_PER_YEAR
