"""truth.json: every parameter, and the true values an evaluation should recover.

The re-arrest estimands are computed from the generating process itself, not from the
realized draws: for each participant in the cohort, the arrest hazard without the program
(their arrest rate, shaped by season and weekday) and with it (times the hazard multiplier
of each day, from their own engagement), so the truth carries no sampling noise of its own.

>>> rate_ratio(10, 2.0, 20, 2.0)
0.5
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from divert.synth.eligibility import describe as describe_policies
from divert.synth.noise import FLAGS
from divert.synth.police import _day_weights
from divert.synth.program import Enrollments, latest_enrollment, multiplier_at
from divert.synth.scenario import RACES, Scenario

TRUTH_VERSION = 4  # 4: dispatch (calls for service, complaints)
SIX_MONTHS_DAYS = 182.625
_HR_COHORT_MAX = 3000  # people followed on a weekly grid for the hazard ratio (a fixed sample)


@dataclass
class Internals:
    """Quantities only the generator knows."""

    people_race: np.ndarray
    people_drug: np.ndarray  # drug encounters per year, with enforcement
    people_other: np.ndarray  # other encounters per year, with enforcement
    people_drug_base: np.ndarray  # the same at a White person's enforcement
    people_other_base: np.ndarray
    potential_after: int
    realized_after: int
    enrollments: Enrollments
    person_ids: np.ndarray  # program person id of each people index
    arrest_rate: np.ndarray  # expected arrests per year without the program
    day_weights_start: np.datetime64


def rate_ratio(events_a: float, time_a: float, events_b: float, time_b: float) -> float:
    return (
        float((events_a / time_a) / (events_b / time_b))
        if events_b and time_a and time_b
        else float("nan")
    )


def naive_comparison(tables: dict[str, pd.DataFrame], end: pd.Timestamp) -> dict[str, float]:
    """What a naive evaluator sees: participants (diverted, intake done) vs people whose
    eligible LEAD-area arrest was booked, re-arrests per person-year after the index date."""
    enc = tables["encounters"]
    enr = tables["enrollments"]
    ref = tables["referrals"]
    arrests = enc[enc.probable_cause][["person_id", "occurred_at"]]
    took = enr[enr.intake_at.notna()].merge(ref[["referral_id", "pathway"]], on="referral_id")
    took = took[took.pathway == "arrest_diversion"]
    part = took.groupby("person_id").referred_at.min().rename("index_at")
    ever = set(enr.person_id)
    comp = enc[enc.eligible & enc.lead_active & enc.probable_cause & (enc.action == "booked")]
    comp = (
        comp[~comp.person_id.isin(ever)].groupby("person_id").occurred_at.min().rename("index_at")
    )
    risk = tables["persons"].set_index("person_id").latent_risk

    def rate(index: pd.Series) -> tuple[int, float, float]:
        a = arrests.merge(index, left_on="person_id", right_index=True)
        events = int((a.occurred_at > a.index_at).sum())
        years = float(((end - index).dt.total_seconds() / (365.25 * 86400)).sum())
        return events, years, float(risk.reindex(index.index).mean())

    ep, yp, rp = rate(part)
    ec, yc, rc = rate(comp)
    return {
        "participants": len(part),
        "comparison": len(comp),
        "participant_rearrests_per_year": ep / yp if yp else float("nan"),
        "comparison_rearrests_per_year": ec / yc if yc else float("nan"),
        "naive_rate_ratio": rate_ratio(ep, yp, ec, yc),
        "participant_mean_latent_risk": rp,
        "comparison_mean_latent_risk": rc,
    }


def _cox_limit(h0: np.ndarray, h1: np.ndarray, at_risk: np.ndarray) -> float:
    """The hazard ratio Cox's score equation converges to when the same people are followed
    with (h1) and without (h0) the program: per-person hazards on a common grid (rows are
    people, columns steps since the index), at_risk marks follow-up. The marginal ratio an
    evaluation comparing groups can estimate.

    >>> h = np.full((2, 50), 0.01)
    >>> round(_cox_limit(h, 0.5 * h, np.ones((2, 50), bool)), 2)
    0.5
    """
    c0, c1 = np.cumsum(h0, axis=1), np.cumsum(h1, axis=1)
    s0 = np.exp(-(c0 - h0))  # survival at the start of each step
    s1 = np.exp(-(c1 - h1))
    y0, y1 = (at_risk * s0).sum(0), (at_risk * s1).sum(0)
    dn0 = (at_risk * s0 * (1 - np.exp(-h0))).sum(0)
    dn1 = (at_risk * s1 * (1 - np.exp(-h1))).sum(0)
    live = (y0 + y1) > 0
    y0, y1, dn0, dn1 = y0[live], y1[live], dn0[live], dn1[live]
    if dn1.sum() == 0 or dn0.sum() == 0:
        return float("nan")

    def score(beta: float) -> float:
        share = y1 * np.exp(beta) / (y1 * np.exp(beta) + y0)
        return float((dn1 - share * (dn0 + dn1)).sum())

    # The score falls as beta rises: bisect on log(1e-3) .. log(1e3).
    lo, hi = np.log(1e-3), np.log(1e3)
    for _ in range(80):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if score(mid) > 0 else (lo, mid)
    return float(np.exp((lo + hi) / 2))


def estimands(
    s: Scenario, tables: dict[str, pd.DataFrame], internals: Internals, end: pd.Timestamp
) -> dict[str, Any]:
    """True values of the evaluation's re-arrest estimands, on the estimands' own scales.

    Cohort: people whose first completed intake came from an arrest diversion; index =
    that intake, when the effect can start. The odds ratio of any arrest in the 6 months
    after the index (those with 6 months of follow-up), and over the whole follow-up to the
    end date, compares the cohort's mean chance with the program against the mean chance
    without it; the hazard ratio is Cox's limit
    for the cohort followed to the end date with and without the program (_cox_limit).
    """
    enr, ref = tables["enrollments"], tables["referrals"]
    done = enr[enr.intake_at.notna()].merge(ref[["referral_id", "pathway"]], on="referral_id")
    first = done.sort_values(["intake_at", "enrollment_id"]).groupby("person_id").first()
    first = first[first.pathway == "arrest_diversion"]
    out: dict[str, Any] = {
        "cohort": "first completed intake from an arrest diversion; index = intake",
        "participants": len(first),
    }
    if first.empty:
        return out | {"participants_with_6_months": 0}
    index_of = {int(pid): i for i, pid in enumerate(internals.person_ids)}
    people = np.array([index_of[int(p)] for p in first.index])
    start = internals.day_weights_start
    end64 = np.datetime64(end.to_datetime64(), "s")
    days_total = int((end64 - start) // np.timedelta64(1, "D"))
    w = _day_weights(s, start, days_total)
    w = w / w.mean()
    index_day = ((first.intake_at.to_numpy().astype("datetime64[s]") - start)
                 // np.timedelta64(1, "D")).astype(np.int64)  # fmt: skip
    lam = internals.arrest_rate[people] / 365.25
    enrollments = internals.enrollments

    cum_w = np.r_[0.0, np.cumsum(w)]

    def grid(rows: np.ndarray, steps: int, step: int = 1):
        """Hazards per step (step days each) without and with the program, and at-risk."""
        first = index_day[rows, None] + 1 + step * np.arange(steps)[None, :]
        inside = first < days_total
        lo = np.clip(first, 0, days_total)
        hi = np.clip(first + step, 0, days_total)
        h0 = lam[rows, None] * (cum_w[hi] - cum_w[lo])
        # The multiplier at each step's middle (it changes by month, not by day).
        mid = np.clip(first + step // 2, 0, days_total - 1)
        at = (start.astype("datetime64[D]") + mid).astype("datetime64[s]") + np.timedelta64(12, "h")
        seconds = at.astype(np.int64).ravel()
        who = np.repeat(people[rows], steps)
        which = latest_enrollment(enrollments, who, seconds)
        m = multiplier_at(enrollments, which, seconds, s.effect.after_exit_hazard_ratio)
        return h0, h0 * m.reshape(h0.shape), inside

    six = np.flatnonzero(index_day + SIX_MONTHS_DAYS <= days_total)
    result = {"participants_with_6_months": int(len(six))}
    if len(six):
        h0, h1, _ = grid(six, int(np.ceil(SIX_MONTHS_DAYS)))
        p0 = float(np.mean(1 - np.exp(-h0.sum(1))))
        p1 = float(np.mean(1 - np.exp(-h1.sum(1))))
        odds = (p1 / (1 - p1)) / (p0 / (1 - p0)) if 0 < p0 < 1 and 0 < p1 < 1 else None
        mean_m = float(h1.sum() / h0.sum()) if h0.sum() else None
        result |= {
            "rearrest_odds_ratio_6m": odds,
            "any_arrest_6m_without_program": p0,
            "any_arrest_6m_with_program": p1,
            "mean_hazard_multiplier_6m": mean_m,
        }
    rng = np.random.default_rng(0)
    rows = np.arange(len(people))
    if len(rows) > _HR_COHORT_MAX:
        rows = np.sort(rng.choice(rows, _HR_COHORT_MAX, replace=False))
    steps = int(np.ceil((days_total - index_day[rows].min()) / 7))
    h0, h1, inside = grid(rows, max(steps, 1), step=7)
    hr = _cox_limit(h0, h1, inside)
    result["rearrest_hazard_ratio"] = hr if np.isfinite(hr) else None
    # Any arrest from the index to the end date, with and without the program.
    q0 = float(np.mean(1 - np.exp(-(h0 * inside).sum(1))))
    q1 = float(np.mean(1 - np.exp(-(h1 * inside).sum(1))))
    result["rearrest_odds_ratio_followup"] = (
        (q1 / (1 - q1)) / (q0 / (1 - q0)) if 0 < q0 < 1 and 0 < q1 < 1 else None
    )
    result["full_engagement_hazard_ratio"] = s.effect.full_engagement_hazard_ratio
    return out | result


def truth(
    s: Scenario,
    *,
    residents: int,
    years: int,
    seed: int,
    tables: dict[str, pd.DataFrame],
    internals: Internals,
    versions: tuple,
) -> dict[str, Any]:
    from divert.synth.assemble import end_date

    end = pd.Timestamp(end_date(s, years))
    enc = tables["encounters"]
    persons = tables["persons"][["person_id", "race"]]
    enc_r = enc.merge(persons, on="person_id")
    base = enc_r[enc_r.eligible & enc_r.lead_active & enc_r.green_light & enc_r.probable_cause]
    elig = base.groupby("race").size().reindex(list(RACES), fill_value=0)
    div = base[base.action == "diverted"].groupby("race").size().reindex(list(RACES), fill_value=0)
    white_rate = div["white"] / elig["white"] if elig["white"] else float("nan")
    rri = {
        r: float((div[r] / elig[r]) / white_rate) if elig[r] and white_rate else None for r in RACES
    }

    # Enforcement at equal behaviour: each race's mean multiplier on drug and other
    # encounters, against White residents'.
    def by_race(values: np.ndarray, base: np.ndarray) -> dict[str, float | None]:
        num = np.bincount(internals.people_race, weights=values, minlength=len(RACES))
        den = np.bincount(internals.people_race, weights=base, minlength=len(RACES))
        ratio = [num[i] / den[i] if den[i] else None for i in range(len(RACES))]
        white = ratio[0]
        return {r: (v / white if v and white else None) for r, v in zip(RACES, ratio, strict=True)}

    diverted = enc[enc.action == "diverted"]
    by_officer = diverted.groupby("officer_id").size()
    # Buy-in spread among officers who could divert: those assigned to LEAD areas.
    officers = tables["officers"]
    lead_ids = tables["areas"].area_id[tables["areas"].lead_area]
    officers = officers[officers.area_id.isin(lead_ids)]
    counts = (
        by_officer.reindex(officers.officer_id, fill_value=0)
        .sort_values(ascending=False)
        .to_numpy()
    )
    top = max(1, int(np.ceil(0.1 * len(counts))))
    ref = tables["referrals"]
    links = tables["truth_links"]
    link_map: dict[str, list[int]] = {}
    for pid, jid in zip(
        links.person_id.to_numpy(), links.justice_person_id.to_numpy(), strict=True
    ):
        link_map.setdefault(str(pid), []).append(int(jid))
    tp = tables["truth_persons"]
    it = tables["intakes"]
    paths = (
        [s.eligibility.policy] if isinstance(s.eligibility.policy, str) else s.eligibility.policy
    )
    oc = s.outcomes
    return {
        "truth_version": TRUTH_VERSION,
        "seed": seed,
        "residents": residents,
        "years": years,
        "start_date": str(s.county.start_date),
        "end_date": str(end.date()),
        "scenario": s.model_dump(mode="json"),
        # The policy versions that decided `eligible`, as the county deployed them.
        "eligibility_policies": describe_policies(versions, list(paths)),
        "effect": {
            "model": (
                "monthly hazard multiplier after intake = full_engagement_hazard_ratio ** "
                "min(1, contacts that month / full_engagement_contacts); "
                "after_exit_hazard_ratio after exit; 1 before intake"
            ),
            "full_engagement_hazard_ratio": s.effect.full_engagement_hazard_ratio,
            "full_engagement_contacts": s.effect.full_engagement_contacts,
            "after_exit_hazard_ratio": s.effect.after_exit_hazard_ratio,
            "treated_persons": int(tp.treated_from.notna().sum()),
            "potential_arrests_after_intake": internals.potential_after,
            "realized_arrests_after_intake": internals.realized_after,
            "realized_rearrest_rate_ratio": (
                internals.realized_after / internals.potential_after
                if internals.potential_after
                else None
            ),
        },
        "estimands": estimands(s, tables, internals, end),
        # The expected ratio of rate ratios, program areas against the others, after launch.
        "dispatch": {
            "calls_for_service_did": s.dispatch.program_calls_ratio,
            "complaints_did": s.dispatch.program_complaints_ratio,
        },
        # Any month of follow-up against the month before referral (monthly_status).
        "outcome_odds_ratios": {
            "sheltered": oc.sheltered_odds_ratio,
            "permanent_housing": oc.permanent_odds_ratio,
            "employment_continuum": oc.employment_odds_ratio,
            "income_or_benefits": oc.income_odds_ratio,
        },
        "naive_comparison": naive_comparison(tables, end),
        "eligible_arrests_by_race": {r: int(elig[r]) for r in RACES},
        "diversions_by_race": {r: int(div[r]) for r in RACES},
        "diversion_rri_vs_white": rri,
        "drug_enforcement_ratio_vs_white": by_race(
            internals.people_drug, internals.people_drug_base
        ),
        "enforcement_rate_ratio_vs_white": by_race(
            internals.people_other, internals.people_other_base
        ),
        "diversions_by_officer": {str(int(k)): int(v) for k, v in by_officer.items()},
        "lead_area_officers": {
            "total": len(officers),
            "never_diverted": int((counts == 0).sum()),
            "top_10pct_share_of_diversions": float(counts[:top].sum() / counts.sum())
            if counts.sum()
            else None,
        },
        "referrals": {
            "by_pathway": {k: int(v) for k, v in ref.groupby("pathway").size().items()},
            "capacity_refused": int(ref.capacity_refused.sum()),
        },
        "intake": {
            "enrollments": len(it),
            "deadline_met_share": float(it.deadline_met.mean()) if len(it) else None,
        },
        "identity_noise_realized": {
            f: float(links[f].mean()) if len(links) else None for f in FLAGS
        },
        "links": link_map,
        "rows": {k: len(v) for k, v in tables.items()},
    }
