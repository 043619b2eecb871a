"""The yardstick for evaluation_scale: a straightforward pandas + statsmodels script computing
the core estimates from the same canonical files, the way an analyst would write it by hand.

    .venv/bin/python -m benchmarks.evaluation_pandas COUNTY_DIR

Core estimates: the diversion rate and missed diversions (eligible arrests in program areas
and times), the RRI of diversion against non-Hispanic White, and re-arrest of participants
against people booked for an eligible arrest: the odds ratio within 6 months, naive and
propensity-weighted (ATT weights), and the naive Cox hazard ratio. Prints one JSON line.
"""

from __future__ import annotations

import json
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

YEAR = 365.25 * 86400


def main(folder: Path) -> dict:
    import statsmodels.api as sm
    from statsmodels.duration.hazard_regression import PHReg

    t0 = time.perf_counter()
    enc = pd.read_parquet(folder / "encounters.parquet")
    persons = pd.read_parquet(folder / "persons.parquet")
    enr = pd.read_parquet(folder / "enrollments.parquet")
    ref = pd.read_parquet(folder / "referrals.parquet")
    arrests = enc[enc.probable_cause]
    base = arrests[arrests.eligible & arrests.lead_active & arrests.green_light]
    out: dict = {
        "arrests": len(arrests),
        "diversion_rate": float((base.action == "diverted").mean()),
        "missed_diversions": int((base.action == "booked").sum()),
    }
    persons["group"] = np.where(persons.ethnicity == "hispanic", "hispanic", persons.race)
    b = base.merge(persons[["person_id", "group"]], on="person_id")
    rate = b.groupby("group").action.apply(lambda a: (a == "diverted").mean())
    out["rri_diverted"] = (rate / rate["white"]).round(3).to_dict()

    # Cohort: participants from their first intake (arrest diversions); comparison people
    # from their first booked eligible arrest after launch, never enrolled.
    done = enr[enr.intake_at.notna()].merge(ref[["referral_id", "pathway"]], on="referral_id")
    first = done.sort_values("intake_at").groupby("person_id").first().reset_index()
    part = first[first.pathway == "arrest_diversion"][["person_id", "intake_at"]]
    part = part.rename(columns={"intake_at": "index_at"}).assign(treated=1)
    launch = enc[enc.lead_active].occurred_at.min()
    comp = arrests[arrests.eligible & (arrests.action == "booked")]
    comp = comp[(comp.occurred_at >= launch) & ~comp.person_id.isin(enr.person_id)]
    comp = comp.groupby("person_id").occurred_at.min().reset_index()
    comp = comp.rename(columns={"occurred_at": "index_at"}).assign(treated=0)
    cohort = pd.concat([part, comp], ignore_index=True)
    end = enc.occurred_at.max()

    a = arrests[["person_id", "occurred_at"]].merge(cohort, on="person_id")
    prior = a[(a.occurred_at < a.index_at) & (a.occurred_at >= a.index_at - pd.Timedelta("365D"))]
    cohort["prior_1y"] = cohort.person_id.map(prior.groupby("person_id").size()).fillna(0)
    after = a[a.occurred_at > a.index_at].groupby("person_id").occurred_at.min()
    cohort["next_at"] = cohort.person_id.map(after)
    cohort["event"] = cohort.next_at.notna().astype(int)
    stop = cohort.next_at.fillna(end)
    cohort["years"] = ((stop - cohort.index_at).dt.total_seconds() / YEAR).clip(lower=1e-6)
    six = cohort.index_at + pd.Timedelta(days=182.625)
    cohort["six"] = (six <= end).astype(int)
    cohort["arrest_6m"] = (cohort.next_at <= six).astype(int)
    p = persons.set_index("person_id")
    cohort["age"] = (cohort.index_at - cohort.person_id.map(p.dob)).dt.days / 365.25
    cohort["age"] = cohort.age.fillna(cohort.age.median())
    cohort["female"] = (cohort.person_id.map(p.sex) == "female").astype(int)
    cohort["year"] = cohort.index_at.dt.year
    X = pd.get_dummies(cohort[["prior_1y", "age", "female", "year"]], columns=["year"],
                       drop_first=True, dtype=float)  # fmt: skip
    X = sm.add_constant(X)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # Scores clipped to [0.01, 0.99], the usual guard: a comparison person the model
        # all but certainly calls a participant would otherwise weigh a million.
        ps = sm.Logit(cohort.treated, X).fit(disp=0).predict(X).clip(0.01, 0.99)
        w = np.where(cohort.treated == 1, 1.0, ps / (1 - ps))
        six_m = cohort.six == 1
        T = sm.add_constant(cohort.treated.astype(float))

        def odds(weights):
            fit = sm.GLM(cohort.arrest_6m[six_m], T[six_m], family=sm.families.Binomial(),
                         var_weights=weights[six_m]).fit(cov_type="HC0")  # fmt: skip
            return float(np.exp(fit.params.iloc[1]))

        def hazard(weights):  # statsmodels' PHReg takes no case weights: naive only
            cox = PHReg(cohort.years, cohort[["treated"]].astype(float), status=cohort.event)
            return float(np.exp(cox.fit().params[0]))

        out |= {
            "participants": int(cohort.treated.sum()),
            "comparison": int((1 - cohort.treated).sum()),
            "odds_ratio_6m_naive": odds(np.ones(len(cohort))),
            "odds_ratio_6m_ipw": odds(w),
            "hazard_ratio_naive": hazard(None),
        }
    out["seconds"] = time.perf_counter() - t0
    return out


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]))))
