"""The program: officers' choices, referrals under the caseload caps, and the effect of
engagement on re-arrest.

Officers judge whether the person is "amenable to diversion" (lower for people who look
riskier: selection), and divert only if willing (buy-in); some people decline. Referrals
are then decided one at a time, in time order: each goes to the least-loaded case manager,
an arrest diversion up to the hard cap, a social contact or community referral only up to
the target (California: social contacts only if capacity remains). No case manager ever
holds more than the hard cap. The intake deadline is the one the policy in force sets.

Each accepted enrollment draws its engagement month by month (active or inactive, and
case-manager contacts). Thinning: a potential encounter after intake happens with
probability equal to the hazard multiplier of its month (Effect in the scenario), so the
effect follows engagement rather than switching on for good at intake.

>>> int(months_since_epoch(np.array(["2011-10-15T10:00"], "datetime64[s]").astype(np.int64))[0])
501
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from divert.eligibility import Policy
from divert.synth.police import Events
from divert.synth.population import People
from divert.synth.rng import stream
from divert.synth.scenario import RACES, Scenario

ARREST, SOCIAL, COMMUNITY = 0, 1, 2
PATHWAYS = np.array(["arrest_diversion", "social_contact", "community"], dtype=object)
NEVER = np.iinfo(np.int64).max  # "no time yet", in epoch seconds
DAY_S = 86400
MONTH_S = 30.4375 * DAY_S
# Attempt outcomes.
ACCEPTED, REFUSED, ENROLLED_ALREADY, DID_NOT_HAPPEN, NOT_VERIFIED = 1, 0, -1, -2, -3


def months_since_epoch(seconds: np.ndarray) -> np.ndarray:
    """Calendar month index (1970-01 = 0) of epoch seconds."""
    return seconds.astype("datetime64[s]").astype("datetime64[M]").astype(np.int64)


def month_starts(start: np.datetime64, end: np.datetime64) -> np.ndarray:
    return np.arange(start.astype("datetime64[M]"), end.astype("datetime64[M]") + 1)


def case_manager_count(s: Scenario, residents: int) -> int:
    return max(1, round(residents / 100_000 * s.program.case_managers_per_100k))


def prior_arrests(ev: Events, days: float = 365.0) -> np.ndarray:
    """Arrests (probable-cause encounters) of the same person in the `days` before each one.

    Events are sorted by person, then time, so one sorted key answers every window at once.

    >>> from types import SimpleNamespace as E
    >>> t = np.array(["2011-01-01", "2011-06-01", "2012-03-01", "2011-02-01"], "datetime64[s]")
    >>> ev = E(person=np.array([0, 0, 0, 1]), at=t, probable_cause=np.array([1, 1, 1, 1], bool))
    >>> prior_arrests(ev).tolist()
    [0, 1, 1, 0]
    """
    span = np.int64(400 * 365 * 86400)  # wider than any time range, so persons never overlap
    key = ev.person.astype(np.int64) * span + ev.at.astype("datetime64[s]").astype(np.int64)
    arrests = key[ev.probable_cause]
    window = np.int64(days * 86400)
    return np.searchsorted(arrests, key, "left") - np.searchsorted(arrests, key - window, "left")


@dataclass
class Choices:
    """The officer's and the person's choices on each potential encounter."""

    amenable: np.ndarray  # the officer's judgment (recorded where the officer screened)
    offered: np.ndarray
    declined: np.ndarray
    attempt: np.ndarray  # offered, accepted by the person: a referral attempt


def officer_choices(
    s: Scenario,
    ev: Events,
    people: People,
    buy_in: np.ndarray,
    screenable: np.ndarray,
) -> Choices:
    """Choices on each encounter the officer could screen (eligible, in a LEAD area after
    launch, on a green-light shift).

    Officers judge lower-risk people amenable more often (selection), so naive comparisons
    are biased. With `police.selection_on = "record"` they judge by the arrests of the past
    year (all of which happened for anyone never treated), so conditioning on that record
    makes the choice ignorable for first referrals.
    """
    p = s.police
    seen = np.log1p(prior_arrests(ev)) if p.selection_on == "record" else people.risk[ev.person]
    base = np.log(p.amenable_share / (1 - p.amenable_share)) if 0 < p.amenable_share < 1 else 0.0
    logit = base - p.selection_strength * seen
    amenable = ev.u_amenable < 1 / (1 + np.exp(-logit))
    if p.amenable_share >= 1:
        amenable = np.ones(len(ev), dtype=bool)
    b = np.clip(buy_in[ev.officer], 0.0, 1.0)
    race_odds = np.array([s.disparity.diversion_odds_factor.get(r, 1.0) for r in RACES])
    odds = race_odds[people.race[ev.person]]
    market = np.isin(ev.category, (0, 1))
    arrest_p = b * np.where(market, 1.0, p.other_offense_referral)
    willing_p = np.clip(np.where(ev.probable_cause, arrest_p, b * p.social_contact_referral), 0, 1)
    willing_p = np.clip(willing_p * odds / (1 - willing_p + willing_p * odds), 0, 1)
    offered = screenable & amenable & (ev.u_officer < willing_p)
    decline = np.where(ev.probable_cause, p.decline_arrest, p.decline_social)
    declined = offered & (ev.u_decline < decline)
    return Choices(
        amenable=amenable & screenable,
        offered=offered,
        declined=declined,
        attempt=offered & ~declined,
    )


def policy_index(versions: tuple[Policy, ...], seconds: np.ndarray) -> np.ndarray:
    """Which version is in force at each time (epoch seconds); before the first, the first."""
    effective = np.array(
        [np.datetime64(p.effective, "s").astype(np.int64) for p in versions], dtype=np.int64
    )
    day_start = seconds // DAY_S * DAY_S
    return np.clip(np.searchsorted(effective, day_start, side="right") - 1, 0, None)


def community_referrals(
    s: Scenario,
    people: People,
    residents: int,
    end: np.datetime64,
    seed: int,
    versions: tuple[Policy, ...],
) -> pd.DataFrame:
    """Partner referrals with no police involvement, from at-risk adults living in LEAD
    areas, only while the policy in force opens the community pathway."""
    rng = stream(seed, "community")
    lead_areas = np.flatnonzero([a.lead for a in s.county.areas])
    start = np.datetime64(s.program.launch_date)
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
    open_ = np.array(["community" in p.pathways.open for p in versions])
    seconds = at.astype("datetime64[s]").astype(np.int64)
    keep &= open_[policy_index(versions, seconds)] if len(at) else keep
    return pd.DataFrame({"person": person[keep], "at": at[keep]})


@dataclass
class Enrollments:
    """Enrollments created by the capacity loop, with their engagement month by month."""

    attempt: np.ndarray  # index into the attempts frame
    person: np.ndarray
    case_manager: np.ndarray
    referred_at: np.ndarray  # epoch seconds
    due_at: np.ndarray  # intake deadline, epoch seconds
    intake_at: np.ndarray  # epoch seconds, NEVER if not completed
    exit_at: np.ndarray  # epoch seconds (may be after the end date)
    month0: np.ndarray  # calendar month index of intake (months_since_epoch)
    first: np.ndarray  # offset of the enrollment's months in the flat arrays below
    months: np.ndarray  # how many months (intake month to the last enrolled month)
    active: np.ndarray  # flat: active that month
    contacts: np.ndarray  # flat: case-manager contacts that month
    multiplier: np.ndarray  # flat: hazard multiplier that month

    def __len__(self) -> int:
        return len(self.attempt)


class _Engagement:
    """Draws each accepted enrollment's months, and answers the hazard multiplier."""

    def __init__(self, s: Scenario, rng: np.random.Generator, end_s: int):
        self.s, self.rng, self.end_s = s, rng, end_s
        e = s.effect
        self.log_full = np.log(e.full_engagement_hazard_ratio)
        self.full_contacts = e.full_engagement_contacts
        self.after_exit = e.after_exit_hazard_ratio

    def draw(self, intake: int, exit_at: int) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
        pr = self.s.program
        last = min(exit_at, self.end_s) - 1
        m0 = int(months_since_epoch(np.array([intake]))[0])
        m1 = int(months_since_epoch(np.array([last]))[0])
        n = max(m1 - m0 + 1, 1)
        u = self.rng.random(n)
        active = np.ones(n, dtype=bool)
        for k in range(1, n):
            active[k] = (
                u[k] >= pr.active_to_inactive if active[k - 1] else u[k] < pr.inactive_to_active
            )
        starts = (np.arange(m0, m0 + n + 1)).astype("datetime64[M]").astype("datetime64[s]")
        starts = starts.astype(np.int64)
        lo = np.maximum(starts[:-1], intake)
        hi = np.minimum(starts[1:], last + 1)
        span = np.maximum(hi - lo, 1) / MONTH_S
        rate = np.where(active, pr.contacts_per_active_month, pr.contacts_per_inactive_month)
        contacts = self.rng.poisson(rate * span)
        intensity = np.minimum(1.0, contacts / (self.full_contacts * span))
        return m0, active, contacts, np.exp(self.log_full * intensity)


def multiplier_at(
    enr: Enrollments, which: np.ndarray, seconds: np.ndarray, after_exit: float
) -> np.ndarray:
    """The hazard multiplier at each time, given the person's latest enrollment referred at
    or before it (`which`, -1 if none)."""
    m = np.ones(len(seconds))
    has = which >= 0
    w = which[has]
    t = seconds[has]
    out = np.ones(len(w))
    intake, exit_at = enr.intake_at[w], enr.exit_at[w]
    during = (intake != NEVER) & (t >= intake) & (t < exit_at)
    k = months_since_epoch(t[during]) - enr.month0[w[during]]
    k = np.minimum(k, enr.months[w[during]] - 1)
    out[during] = enr.multiplier[enr.first[w[during]] + k]
    after = (intake != NEVER) & (t >= exit_at)
    out[after] = after_exit
    m[has] = out
    return m


def latest_enrollment(enr: Enrollments, person: np.ndarray, seconds: np.ndarray) -> np.ndarray:
    """For each (person, time), the person's latest enrollment referred at or before it.

    >>> e = Enrollments(*(np.array(v) for v in ([0, 1], [3, 3], [1, 1], [10, 20], [0, 0],
    ...     [0, 0], [0, 0], [0, 0], [0, 0], [0, 0], [], [], [])))
    >>> latest_enrollment(e, np.array([3, 3, 3, 4]), np.array([5, 10, 25, 30])).tolist()
    [-1, 0, 1, -1]
    """
    if len(enr) == 0 or len(person) == 0:
        return np.full(len(person), -1, dtype=np.int64)
    span = np.int64(1) << np.int64(40)
    key = enr.person.astype(np.int64) * span + enr.referred_at
    order = np.argsort(key, kind="stable")
    q = person.astype(np.int64) * span + seconds.astype(np.int64)
    pos = np.searchsorted(key[order], q, side="right") - 1
    found = order[np.maximum(pos, 0)]
    ok = (pos >= 0) & (enr.person[found] == person)
    return np.where(ok, found, -1).astype(np.int64)


def run_capacity(
    s: Scenario,
    attempts: pd.DataFrame,
    n_people: int,
    residents: int,
    end: np.datetime64,
    seed: int,
    versions: tuple[Policy, ...],
    verify: Callable[[int, Callable[[int, int], float]], bool] | None = None,
) -> tuple[np.ndarray, Enrollments]:
    """Decide each attempt in time order under the per-case-manager caps.

    `attempts` (sorted by time) has person, at (epoch s), pathway, u_effect. `verify(i,
    multiplier)` is asked about a social-contact attempt by someone treated before: whether
    a record that verifies it really happened, given `multiplier(person, t)`.
    Returns each attempt's outcome (ACCEPTED, REFUSED, ENROLLED_ALREADY, DID_NOT_HAPPEN,
    NOT_VERIFIED) and the enrollments.
    """
    rng = stream(seed, "capacity")
    pr = s.program
    end_s = int(end.astype("datetime64[s]").astype(np.int64))
    engage = _Engagement(s, rng, end_s)
    cms = case_manager_count(s, residents)
    person = attempts.person.to_numpy()
    at = attempts["at"].to_numpy()
    path = attempts.pathway.to_numpy()
    u_eff = attempts.u_effect.to_numpy()
    deadline = np.array([p.intake.deadline_days * DAY_S for p in versions], dtype=np.int64)
    due_days = deadline[policy_index(versions, at)] if len(at) else np.zeros(0, np.int64)
    outcome = np.full(len(attempts), REFUSED, dtype=np.int8)

    latest = np.full(n_people, -1, dtype=np.int64)  # each person's latest enrollment
    load = np.zeros(cms, dtype=np.int64)
    exits: list[tuple[int, int]] = []
    rows: dict[str, list] = {k: [] for k in ("attempt", "cm", "ref", "due", "intake", "exit", "m0")}
    first: list[int] = []
    months: list[int] = []
    flat_active: list[np.ndarray] = []
    flat_contacts: list[np.ndarray] = []
    flat_mult: list[np.ndarray] = []
    size = 0

    mine: dict[int, list[int]] = {}

    def mult_at(p: int, t: int) -> float:
        """The person's hazard multiplier at time t, from their enrollments so far."""
        best = -1
        for e in mine.get(p, ()):
            if rows["ref"][e] <= t:
                best = e
        return 1.0 if best < 0 else mult(best, t)

    def mult(e: int, t: int) -> float:
        intake, exit_at = rows["intake"][e], rows["exit"][e]
        if intake == NEVER or t < intake:
            return 1.0
        if t >= exit_at:
            return engage.after_exit
        k = min(int(months_since_epoch(np.array([t]))[0]) - rows["m0"][e], months[e] - 1)
        return float(flat_mult[e][k])

    for i in range(len(attempts)):
        t, p = int(at[i]), int(person[i])
        while exits and exits[0][0] <= t:
            load[heapq.heappop(exits)[1]] -= 1
        e = latest[p]
        if e >= 0 and u_eff[i] > mult(e, t):
            outcome[i] = DID_NOT_HAPPEN
            continue
        if e >= 0 and t < rows["exit"][e]:
            outcome[i] = ENROLLED_ALREADY
            continue
        if verify is not None and path[i] == SOCIAL and e >= 0 and not verify(i, mult_at):
            outcome[i] = NOT_VERIFIED
            continue
        cm = int(np.argmin(load))
        cap = pr.caseload_hard_cap if path[i] == ARREST else pr.caseload_target
        if load[cm] >= cap:
            continue  # REFUSED
        outcome[i] = ACCEPTED
        completes = rng.random() < pr.intake_completion
        delay = int(rng.exponential(pr.intake_mean_days) * DAY_S)
        intake = t + delay if completes else NEVER
        stay = int(rng.exponential(pr.mean_months_enrolled) * MONTH_S)
        exit_at = intake + stay if completes else t + int(due_days[i])
        if completes:
            m0, active, contacts, mlt = engage.draw(intake, exit_at)
        else:
            m0, active, contacts, mlt = 0, np.ones(0, bool), np.zeros(0, int), np.ones(0)
        e = len(rows["attempt"])
        for key, val in zip(
            ("attempt", "cm", "ref", "due", "intake", "exit", "m0"),
            (i, cm, t, t + int(due_days[i]), intake, exit_at, m0),
            strict=True,
        ):
            rows[key].append(val)
        first.append(size)
        months.append(len(mlt))
        size += len(mlt)
        flat_active.append(active)
        flat_contacts.append(contacts)
        flat_mult.append(mlt)
        latest[p] = e
        mine.setdefault(p, []).append(e)
        load[cm] += 1
        heapq.heappush(exits, (exit_at, cm))

    def arr(key: str) -> np.ndarray:
        return np.array(rows[key], dtype=np.int64)

    def cat(parts: list[np.ndarray], dtype) -> np.ndarray:
        return np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype=dtype)

    a = arr("attempt")
    enrolled = Enrollments(
        attempt=a,
        person=person[a].astype(np.int64) if len(a) else np.zeros(0, np.int64),
        case_manager=arr("cm") + 1,
        referred_at=arr("ref"),
        due_at=arr("due"),
        intake_at=arr("intake"),
        exit_at=arr("exit"),
        month0=arr("m0"),
        first=np.array(first, dtype=np.int64),
        months=np.array(months, dtype=np.int64),
        active=cat(flat_active, bool),
        contacts=cat(flat_contacts, np.int64),
        multiplier=cat(flat_mult, float),
    )
    return outcome, enrolled


def happened(ev: Events, enr: Enrollments, after_exit: float) -> tuple[np.ndarray, np.ndarray]:
    """Which potential encounters happen once the program effect applies, and each one's
    hazard multiplier (1 before any intake)."""
    seconds = ev.at.astype("datetime64[s]").astype(np.int64)
    which = latest_enrollment(enr, ev.person, seconds)
    m = multiplier_at(enr, which, seconds, after_exit)
    return ev.u_effect <= m, m
