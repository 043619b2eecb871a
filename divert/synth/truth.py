"""truth.json: every parameter, and the realized true values an evaluation should recover.

>>> rate_ratio(10, 2.0, 20, 2.0)
0.5
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from divert.synth.eligibility import describe as describe_policy
from divert.synth.noise import FLAGS
from divert.synth.scenario import RACES, Scenario

TRUTH_VERSION = 1


@dataclass
class Internals:
    """Quantities only the generator knows (latent rates of people who never met police)."""

    people_race: np.ndarray
    people_base_rate: np.ndarray
    pre_launch_counts: np.ndarray
    pre_launch_years: float
    potential_after: int
    realized_after: int


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


def truth(
    s: Scenario,
    *,
    residents: int,
    years: int,
    seed: int,
    tables: dict[str, pd.DataFrame],
    internals: Internals,
) -> dict[str, Any]:
    from divert.synth.assemble import end_date

    end = pd.Timestamp(end_date(s, years))
    enc = tables["encounters"]
    persons = tables["persons"][["person_id", "race"]]
    enc_r = enc.merge(persons, on="person_id")
    base = enc_r[enc_r.eligible & enc_r.lead_active & enc_r.probable_cause]
    elig = base.groupby("race").size().reindex(list(RACES), fill_value=0)
    div = base[base.action == "diverted"].groupby("race").size().reindex(list(RACES), fill_value=0)
    white_rate = div["white"] / elig["white"] if elig["white"] else float("nan")
    rri = {
        r: float((div[r] / elig[r]) / white_rate) if elig[r] and white_rate else None for r in RACES
    }

    # Enforcement at equal behaviour: pre-launch encounters / latent expectation, by race.
    obs = np.bincount(
        internals.people_race, weights=internals.pre_launch_counts, minlength=len(RACES)
    )
    exp = np.bincount(
        internals.people_race, weights=internals.people_base_rate, minlength=len(RACES)
    )
    exp = exp * internals.pre_launch_years
    per_race = {r: float(obs[i] / exp[i]) if exp[i] else None for i, r in enumerate(RACES)}
    white = per_race["white"]
    enforcement = {r: (v / white if v and white else None) for r, v in per_race.items()}

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
    return {
        "truth_version": TRUTH_VERSION,
        "seed": seed,
        "residents": residents,
        "years": years,
        "start_date": str(s.county.start_date),
        "end_date": str(end.date()),
        "scenario": s.model_dump(mode="json"),
        # The policy file that decided `eligible` (None: the explicit scenario rule).
        "eligibility_policy": describe_policy(s.eligibility),
        "effect": {
            "rearrest_hazard_ratio": s.effect.rearrest_hazard_ratio,
            "felony_charge_rate_ratio": s.effect.felony_charge_rate_ratio,
            "jail_days_rate_ratio": s.effect.jail_days_rate_ratio,
            "treated_persons": int(tp.treated_from.notna().sum()),
            "potential_encounters_after_intake": internals.potential_after,
            "realized_encounters_after_intake": internals.realized_after,
            "realized_rearrest_rate_ratio": (
                internals.realized_after / internals.potential_after
                if internals.potential_after
                else None
            ),
        },
        "naive_comparison": naive_comparison(tables, end),
        "eligible_arrests_by_race": {r: int(elig[r]) for r in RACES},
        "diversions_by_race": {r: int(div[r]) for r in RACES},
        "diversion_rri_vs_white": rri,
        "enforcement_rate_ratio_vs_white": enforcement,
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
