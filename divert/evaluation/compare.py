"""The comparison-group evaluation of re-arrest: participants against people like them.

Design (the published evaluations' shape, adjusted for what officers saw):
- **Participants:** people whose first completed intake came from an arrest diversion;
  follow-up starts at that intake.
- **Comparison pool:** people never enrolled whose eligible arrest was booked after the
  program launched (red-light shifts, other areas, missed diversions); follow-up starts at
  that arrest plus the participants' median referral-to-intake lag.
- **Covariates** at the decision (the diverted or booked arrest): arrests in the year and the
  two years before, age, sex, group, substance use, sex work, the offense, a program area,
  the year. Officers judged amenability by the past year's arrests, which is observed.
- **Propensity score** by logistic regression (scikit-learn), **1:k nearest-neighbour
  matching on the logit** with replacement inside a caliper of 0.2 SD; balance as
  standardized mean differences before and after.
- **Outcomes:** any arrest within 6 months (logistic regression on the matched sample,
  cluster-robust by person; statsmodels) and time to re-arrest (Cox, robust; lifelines).
- **The naive comparison** (all participants against the whole pool, unadjusted) beside it.

Every failure (empty cohort, no overlap, non-convergence, separation) returns
"not estimable: why" instead of a number.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from divert.evaluation.goals.common import SIX_MONTHS, YEAR, end_seconds, group_of
from divert.evaluation.source import Missing, Source

COVARIATES = [
    "prior_arrests_1y",
    "prior_arrests_2y",
    "age",
    "female",
    "substance_use",
    "sex_work",
    "drug_offense",
    "sex_work_offense",
    "program_area",
]
GROUP_DUMMIES = ("black", "hispanic", "asian", "native", "other")
CALIPER_SD = 0.2
NEIGHBOURS = 3
MIN_PER_ARM = 20
_KEY = 10**10  # person_id * _KEY + seconds: one sortable key per arrest


def _s(ts):
    """Epoch seconds as int64 (Ibis gives int32 on some engines; NULL stays NULL)."""
    return ts.epoch_seconds().cast("int64")


class NotEstimable(Exception):
    pass


@dataclass
class Cohort:
    frame: pd.DataFrame  # one row per person: treated, covariates, index_s, outcomes
    end_s: int


def _ne(why: str) -> dict[str, Any]:
    return {"estimate": None, "ci_low": None, "ci_high": None, "not_estimable": why}


def build_cohort(src: Source) -> Cohort:
    """Participants and the comparison pool with covariates and outcomes (pandas)."""
    e = src.table(
        "encounters", "encounter_id", "person_id", "area_id", "occurred_at", "probable_cause",
        "eligible", "action",
    )  # fmt: skip
    enc = e.filter(e.probable_cause).select(
        "encounter_id", "person_id", "area_id", "eligible", "action", t=_s(e.occurred_at)
    ).execute()  # fmt: skip
    en = src.table("enrollments", "person_id", "referral_id", "intake_at")
    enr = en.select("person_id", "referral_id", intake_s=_s(en.intake_at)).execute()
    r = src.table("referrals", "referral_id", "pathway", "encounter_id", "referred_at")
    ref = r.select("referral_id", "pathway", "encounter_id", referred_s=_s(r.referred_at)).execute()
    p = src.table("persons", "person_id", "dob", "sex", "race", "ethnicity")
    flags = [c for c in ("substance_use", "sex_work") if c in p.columns]
    persons = p.select("person_id", "sex", *flags, dob_s=_s(p.dob), group=group_of(p)).execute()
    a = src.table("areas", "area_id", "lead_area", "lead_launch")
    areas = a.select("area_id", "lead_area", launch_s=_s(a.lead_launch)).execute()
    off = None
    if src.has("encounter_offenses", "encounter_id", "seq", "nibrs"):
        o = src.table("encounter_offenses")
        off = o.filter(o.seq == 1).select("encounter_id", "nibrs").execute()
    end_s = end_seconds(src)

    launch = areas.launch_s.dropna()
    if launch.empty:
        raise NotEstimable("no area has a LEAD launch date (areas.lead_launch)")
    launch_s = int(launch.min())

    # Participants: first completed intake, from an arrest diversion.
    done = enr[enr.intake_s.notna()].merge(ref, on="referral_id")
    done = done.sort_values("intake_s").groupby("person_id", as_index=False).first()
    part = done[done.pathway == "arrest_diversion"].copy()
    if part.empty:
        raise NotEstimable("no participant entered by arrest diversion and completed intake")
    part["index_s"] = part.intake_s.astype("int64")
    part["anchor_s"] = part.referred_s.astype("int64")
    lag = float((part.index_s - part.anchor_s).median())
    part = part.merge(enc[["encounter_id", "area_id"]], on="encounter_id", how="left")
    part["treated"] = 1

    ever = set(enr.person_id)
    booked = enc[enc.eligible & (enc.action == "booked") & (enc.t >= launch_s)]
    booked = booked[~booked.person_id.isin(ever)].sort_values("t")
    comp = booked.groupby("person_id", as_index=False).first()
    comp["anchor_s"] = comp.t
    comp["index_s"] = comp.t + lag
    comp["treated"] = 0
    cols = ["person_id", "encounter_id", "area_id", "anchor_s", "index_s", "treated"]
    df = pd.concat([part[cols], comp[cols]], ignore_index=True)
    df = df[df.index_s < end_s]

    # Arrest history and outcomes from one sorted key per arrest.
    keys = np.sort(enc.person_id.to_numpy(np.int64) * _KEY + enc.t.to_numpy(np.int64))
    base = df.person_id.to_numpy(np.int64) * _KEY
    anchor = base + df.anchor_s.to_numpy(np.int64)

    def count(lo, hi):
        return np.searchsorted(keys, hi, "left") - np.searchsorted(keys, lo, "left")

    df["prior_arrests_1y"] = count(anchor - int(YEAR), anchor)
    df["prior_arrests_2y"] = count(anchor - int(2 * YEAR), anchor)
    start = base + df.index_s.to_numpy(np.int64)
    nxt = np.searchsorted(keys, start, "right")
    nxt_key = np.where(nxt < len(keys), keys[np.minimum(nxt, len(keys) - 1)], -1)
    has_next = (nxt_key // _KEY) == df.person_id.to_numpy(np.int64)
    first_after = np.where(has_next, nxt_key % _KEY, np.nan)
    stop = np.where(has_next, first_after, end_s)
    df["duration_years"] = (stop - df.index_s) / YEAR
    df["rearrested"] = has_next.astype(int)
    df["six_months_follow_up"] = (df.index_s + SIX_MONTHS <= end_s).astype(int)
    df["arrest_6m"] = (has_next & (first_after <= df.index_s + SIX_MONTHS)).astype(int)

    df = df.merge(persons, on="person_id", how="left")
    df["age"] = (df.anchor_s - df.dob_s) / YEAR
    df["female"] = (df.sex == "female").astype(int)
    for flag in ("substance_use", "sex_work"):
        df[flag] = df[flag].astype(float).fillna(0).astype(int) if flag in df else 0
    for g in GROUP_DUMMIES:
        df[f"group_{g}"] = (df.group == g).astype(int)
    lead = set(areas.area_id[areas.lead_area.astype(bool)])
    df["program_area"] = df.area_id.isin(lead).astype(int)
    df["year"] = pd.to_datetime(df.anchor_s, unit="s").dt.year
    for y in sorted(df.year.unique())[1:]:  # the year as categories: a linear term left
        df[f"year_{y}"] = (df.year == y).astype(int)  # it unbalanced after matching
    if off is not None:
        df = df.merge(off, on="encounter_id", how="left")
        df["drug_offense"] = df.nibrs.isin(["35A", "35B"]).astype(int)
        df["sex_work_offense"] = df.nibrs.isin(["40A", "40C"]).astype(int)
    else:
        df["drug_offense"] = df["sex_work_offense"] = 0
    df["age"] = df.age.fillna(df.age.median())
    return Cohort(df.reset_index(drop=True), end_s)


def covariates(df: pd.DataFrame) -> list[str]:
    cols = COVARIATES + [f"group_{g}" for g in GROUP_DUMMIES]
    cols += sorted(c for c in df.columns if c.startswith("year_"))
    return [c for c in cols if df[c].nunique() > 1]


def smd(df: pd.DataFrame, cols: list[str], weights: np.ndarray | None = None) -> dict[str, float]:
    """Standardized mean differences, treated minus comparison, over the pooled SD before
    weighting (the usual convention, so before and after share a scale)."""
    t = df.treated.to_numpy() == 1
    w = np.ones(len(df)) if weights is None else weights
    out = {}
    for c in cols:
        x = df[c].to_numpy(float)
        sd = np.sqrt((x[t].var() + x[~t].var()) / 2)
        m1 = np.average(x[t], weights=w[t])
        m0 = np.average(x[~t], weights=w[~t]) if w[~t].sum() else np.nan
        out[c] = float((m1 - m0) / sd) if sd > 0 else 0.0
    return out


def propensity(df: pd.DataFrame, cols: list[str]) -> np.ndarray:
    """Logit of the propensity score (scikit-learn logistic regression, standardized inputs)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    model = make_pipeline(StandardScaler(), LogisticRegression(C=1e4, max_iter=2000))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(df[cols].to_numpy(float), df.treated.to_numpy())
    p = model.predict_proba(df[cols].to_numpy(float))[:, 1]
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def match(df: pd.DataFrame, logit: np.ndarray, k: int = NEIGHBOURS) -> pd.DataFrame:
    """1:k nearest neighbours on the logit, with replacement, inside the caliper. Returns the
    matched rows with `weight` (1 per treated; 1/k per match, summed over reuse) and `pair`."""
    from sklearn.neighbors import NearestNeighbors

    t = np.flatnonzero(df.treated.to_numpy() == 1)
    c = np.flatnonzero(df.treated.to_numpy() == 0)
    caliper = CALIPER_SD * float(np.std(logit))
    nn = NearestNeighbors(n_neighbors=min(k, len(c))).fit(logit[c, None])
    dist, idx = nn.kneighbors(logit[t, None])
    rows = []
    for i, (d, j) in enumerate(zip(dist, idx, strict=True)):
        keep = j[d <= caliper]
        if len(keep) == 0:
            continue
        rows.append((t[i], 1.0, i))
        rows += [(c[m], 1.0 / len(keep), i) for m in keep]
    if not rows:
        raise NotEstimable("no participant has a comparison person within the caliper")
    pos, w, pair = map(np.array, zip(*rows, strict=True))
    out = df.iloc[pos].copy()
    out["weight"] = w
    out["pair"] = pair
    return out


def odds_ratio(d: pd.DataFrame, weights: np.ndarray | None = None) -> dict[str, Any]:
    """Odds ratio of any arrest within 6 months, treated vs comparison: weighted logistic
    regression, cluster-robust by person (a comparison person may be matched many times)."""
    import statsmodels.api as sm

    d = d[d.six_months_follow_up == 1]
    if weights is not None:
        weights = weights[d.index] if isinstance(weights, pd.Series) else None
    w = d["weight"].to_numpy() if "weight" in d else np.ones(len(d))
    y, x = d.arrest_6m.to_numpy(), d.treated.to_numpy()
    n1, n0 = int((x == 1).sum()), int((x == 0).sum())
    if min(n1, n0) < MIN_PER_ARM:
        return _ne(
            f"too few people with 6 months of follow-up ({n1} participants, {n0} comparison)"
        )
    for arm in (0, 1):
        ys = y[x == arm]
        if ys.min() == ys.max():
            return _ne("perfect separation: every person in one group had the same outcome")
    X = sm.add_constant(x.astype(float))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fit = sm.GLM(y, X, family=sm.families.Binomial(), var_weights=w).fit(
                cov_type="cluster", cov_kwds={"groups": d.person_id.to_numpy()}
            )
    except Exception as exc:  # statsmodels raises several kinds
        return _ne(f"the model failed: {exc}")
    if not fit.converged:
        return _ne("the logistic model did not converge")
    b, se = float(fit.params[1]), float(fit.bse[1])
    return {
        "estimate": float(np.exp(b)),
        "ci_low": float(np.exp(b - 1.96 * se)),
        "ci_high": float(np.exp(b + 1.96 * se)),
        "n": n1 + n0,
        "n_participants": n1,
        "n_comparison": n0,
    }


def hazard_ratio(d: pd.DataFrame) -> dict[str, Any]:
    """Cox hazard ratio of re-arrest, treated vs comparison (lifelines, robust by person)."""
    from lifelines import CoxPHFitter

    n1, n0 = int(d.treated.sum()), int((1 - d.treated).sum())
    if min(n1, n0) < MIN_PER_ARM:
        return _ne(f"too few people ({n1} participants, {n0} comparison)")
    if d[d.treated == 1].rearrested.sum() == 0 or d[d.treated == 0].rearrested.sum() == 0:
        return _ne("no re-arrest in one group: the hazard ratio is not identified")
    data = d[["duration_years", "rearrested", "treated", "person_id"]].copy()
    data["weight"] = d["weight"].to_numpy() if "weight" in d else 1.0
    data["duration_years"] = data.duration_years.clip(lower=1e-6)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cph = CoxPHFitter().fit(
                data,
                duration_col="duration_years",
                event_col="rearrested",
                weights_col="weight",
                cluster_col="person_id",
                robust=True,
            )
    except Exception as exc:  # lifelines raises ConvergenceError and others
        return _ne(f"the Cox model failed: {exc}")
    s = cph.summary.loc["treated"]
    return {
        "estimate": float(s["exp(coef)"]),
        "ci_low": float(s["exp(coef) lower 95%"]),
        "ci_high": float(s["exp(coef) upper 95%"]),
        "n": n1 + n0,
        "n_participants": n1,
        "n_comparison": n0,
        "events": int(d.rearrested.sum()),
    }


def evaluate(src: Source, design: str = "psm") -> dict[str, Any]:
    """The re-arrest evaluation as JSON-ready values (see the module docstring)."""
    return evaluate_outcomes(src, design)["rearrest"]


def evaluate_outcomes(
    src: Source, design: str = "psm", cohort: Cohort | None = None
) -> dict[str, Any]:
    """Re-arrest, and the other public-safety effects on the same cohort and adjustment
    (divert.evaluation.effects): {"rearrest", "felony", "bookings", "jail_days"}. A cohort
    already built from `src` may be passed, to compare designs without building it twice."""
    from divert.evaluation import effects

    try:
        cohort = cohort or build_cohort(src)
    except (NotEstimable, Missing) as exc:
        why = str(exc)
        rearrest = {
            "odds_ratio_6m": _ne(why),
            "hazard_ratio": _ne(why),
            "naive_hazard_ratio": _ne(why),
            "naive_odds_ratio_6m": _ne(why),
            "odds_ratio_followup": _ne(why),
            "naive_odds_ratio_followup": _ne(why),
            "by_group": {},
        }
        other = {
            name: {k: _ne(why) for k in keys}
            for name, keys in (
                ("felony", ("odds_ratio", "naive_odds_ratio")),
                ("bookings", ("rate_ratio", "naive_rate_ratio")),
                ("jail_days", ("rate_ratio", "naive_rate_ratio")),
            )
        }
        return {"rearrest": rearrest, **other}
    out, adjusted, why = _rearrest(cohort.frame, design)
    more = effects.estimates(src, cohort.frame, adjusted, cohort.end_s, why)
    out |= more.pop("rearrest")
    out["by_group"] = effects.by_group(adjusted, design) if adjusted is not None else {}
    return {"rearrest": out, **more}


def _rearrest(df: pd.DataFrame, design: str) -> tuple[dict[str, Any], pd.DataFrame | None, str]:
    """The 6-month odds ratio and hazard ratio, naive and adjusted; returns the adjusted
    sample (None, with the reason, when there is none)."""
    out: dict[str, Any] = {
        "design": design,
        "naive_odds_ratio_6m": odds_ratio(df),
        "naive_hazard_ratio": hazard_ratio(df),
    }
    n1, n0 = int(df.treated.sum()), int((1 - df.treated).sum())
    if min(n1, n0) < MIN_PER_ARM:
        why = f"too few people ({n1} participants, {n0} in the comparison pool)"
        return out | {"odds_ratio_6m": _ne(why), "hazard_ratio": _ne(why)}, None, why
    cols = covariates(df)
    logit = propensity(df, cols)
    if design == "ipw":
        p = 1 / (1 + np.exp(-logit))
        adjusted = df.copy()
        adjusted["weight"] = np.where(df.treated == 1, 1.0, p / (1 - p))  # ATT weights
        balance_w = adjusted.weight.to_numpy()
    else:
        try:
            adjusted = match(df, logit)
        except NotEstimable as exc:
            why = str(exc)
            return out | {"odds_ratio_6m": _ne(why), "hazard_ratio": _ne(why)}, None, why
        balance_w = adjusted.weight.to_numpy()
    before = smd(df, cols)
    after = smd(adjusted, cols, balance_w)
    out |= {
        "odds_ratio_6m": odds_ratio(adjusted),
        "hazard_ratio": hazard_ratio(adjusted),
        "balance": [{"covariate": c, "smd_before": before[c], "smd_after": after[c]} for c in cols],
        "participants": n1,
        "comparison_pool": n0,
        "participants_matched": int(adjusted[adjusted.treated == 1].shape[0]),
        "comparison_matched": int(adjusted[adjusted.treated == 0].person_id.nunique()),
        "common_support": {
            "participants_logit": [
                float(np.min(logit[df.treated == 1])),
                float(np.max(logit[df.treated == 1])),
            ],
            "comparison_logit": [
                float(np.min(logit[df.treated == 0])),
                float(np.max(logit[df.treated == 0])),
            ],
        },
    }
    return out, adjusted, ""
