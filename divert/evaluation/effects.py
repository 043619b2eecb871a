"""Public health and safety effects beside the 6-month re-arrest: the published Seattle
measures on the comparison design's cohort (divert.evaluation.compare).

- **Any arrest over the whole follow-up** and **any felony charge** after the index:
  propensity-weighted logistic regression fitted by GEE (statsmodels), clustered by person
  (a comparison person may be matched to several participants), independence working
  correlation, robust (sandwich) errors — the method of Collins et al. 2017.
- **Bookings and jail days per person-year**: negative-binomial incidence-rate ratios with
  log person-years as the offset (statsmodels). The dispersion is estimated once by maximum
  likelihood without weights; the weighted GLM then uses it, with errors clustered by person,
  so a wrong dispersion cannot shrink the interval.
- **The effect by race**: the 6-month odds ratio and the hazard ratio within each OJJDP group
  (matched pairs whose participant is in the group; weighted people of the group under
  weighting); "not estimable" where a group is too small.

Bookings, charges and jail stays are the justice system's records: they reach a program
person only through `person_links` (record linkage). Each figure comes with its naive
(unadjusted, everyone) twin, its definition and n.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd

from divert.evaluation.source import Missing, Source

MIN_PER_ARM = 20
GROUPS = ("white", "black", "hispanic", "asian", "native", "other")

DEFINITIONS = {
    "odds_ratio_followup": (
        "Odds of any arrest (probable cause) from the index to the end of the data, "
        "participants against the comparison group: propensity-weighted logistic regression "
        "by GEE, clustered by person (the Seattle evaluation's method)."
    ),
    "felony_odds_ratio": (
        "Odds of any felony charge (from a booking or filed after a missed intake) from the "
        "index to the end of the data: propensity-weighted logistic regression by GEE, "
        "clustered by person. Justice records reach people through person_links."
    ),
    "bookings_rate_ratio": (
        "Jail bookings per person-year after the index, participants against the comparison "
        "group: negative-binomial incidence-rate ratio, log person-years as offset, weighted, "
        "errors clustered by person."
    ),
    "jail_days_rate_ratio": (
        "Jail days per person-year from stays admitted after the index: negative-binomial "
        "incidence-rate ratio, log person-years as offset, weighted, errors clustered by person."
    ),
}
NAIVE = "Naive: every participant against the whole comparison pool, unweighted."


def ne(why: str) -> dict[str, Any]:
    return {"estimate": None, "ci_low": None, "ci_high": None, "not_estimable": why}


def _arms(d: pd.DataFrame) -> tuple[int, int]:
    return int((d.treated == 1).sum()), int((d.treated == 0).sum())


def _weights(d: pd.DataFrame) -> np.ndarray:
    return d["weight"].to_numpy(float) if "weight" in d else np.ones(len(d))


def _ci(b: float, se: float, n1: int, n0: int) -> dict[str, Any]:
    return {
        "estimate": float(np.exp(b)),
        "ci_low": float(np.exp(b - 1.96 * se)),
        "ci_high": float(np.exp(b + 1.96 * se)),
        "n": n1 + n0,
        "n_participants": n1,
        "n_comparison": n0,
    }


def gee_odds_ratio(d: pd.DataFrame, outcome: str) -> dict[str, Any]:
    """Odds ratio of a 0/1 outcome, treated vs comparison: weighted logistic GEE, clustered
    by person, robust errors."""
    import statsmodels.api as sm

    n1, n0 = _arms(d)
    if min(n1, n0) < MIN_PER_ARM:
        return ne(f"too few people ({n1} participants, {n0} comparison)")
    y, x = d[outcome].to_numpy(float), d.treated.to_numpy(float)
    for arm in (0, 1):
        ys = y[x == arm]
        if ys.min() == ys.max():
            return ne("perfect separation: every person in one group had the same outcome")
    d = d.sort_values("person_id")  # GEE wants each cluster's rows together
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fit = sm.GEE(
                d[outcome].to_numpy(float),
                sm.add_constant(d.treated.to_numpy(float)),
                groups=d.person_id.to_numpy(),
                family=sm.families.Binomial(),
                cov_struct=sm.cov_struct.Independence(),
                weights=_weights(d),
            ).fit()
    except Exception as exc:  # statsmodels raises several kinds
        return ne(f"the GEE model failed: {exc}")
    if not fit.converged:
        return ne("the GEE model did not converge")
    b, se = float(fit.params[1]), float(fit.bse[1])
    if not np.isfinite(se):
        return ne("the GEE model gave no standard error")
    return _ci(b, se, n1, n0) | {"events": int(y.sum())}


def nb_rate_ratio(d: pd.DataFrame, count: str, years: str = "years") -> dict[str, Any]:
    """Incidence-rate ratio of `count` per person-year, treated vs comparison: negative
    binomial with log(years) offset; dispersion by unweighted ML, then the weighted GLM with
    errors clustered by person."""
    import statsmodels.api as sm

    d = d[d[years] > 0]
    n1, n0 = _arms(d)
    if min(n1, n0) < MIN_PER_ARM:
        return ne(f"too few people ({n1} participants, {n0} comparison)")
    y, x = d[count].to_numpy(float), d.treated.to_numpy(float)
    if y[x == 1].sum() == 0 or y[x == 0].sum() == 0:
        return ne("no event in one group: the rate ratio is not identified")
    X = sm.add_constant(x)
    offset = np.log(d[years].to_numpy(float))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ml = sm.NegativeBinomial(y, X, offset=offset).fit(disp=0, maxiter=200)
            alpha = float(np.clip(ml.params[-1], 1e-6, 1e3))
            fit = sm.GLM(
                y,
                X,
                family=sm.families.NegativeBinomial(alpha=alpha),
                offset=offset,
                var_weights=_weights(d),
            ).fit(cov_type="cluster", cov_kwds={"groups": d.person_id.to_numpy()})
    except Exception as exc:
        return ne(f"the negative-binomial model failed: {exc}")
    if not fit.converged:
        return ne("the negative-binomial model did not converge")
    b, se = float(fit.params[1]), float(fit.bse[1])
    if not np.isfinite(se):
        return ne("the negative-binomial model gave no standard error")
    w = _weights(d)
    t = x == 1
    return _ci(b, se, n1, n0) | {
        "alpha": alpha,
        "rate_participants": float((w[t] * y[t]).sum() / (w[t] * d[years].to_numpy()[t]).sum()),
        "rate_comparison": float((w[~t] * y[~t]).sum() / (w[~t] * d[years].to_numpy()[~t]).sum()),
    }


def justice_after(src: Source, df: pd.DataFrame, end_s: int) -> pd.DataFrame:
    """Per cohort person: bookings, jail days and any felony charge after the index (through
    person_links). Raises Missing when a table is absent."""
    from divert.evaluation.compare import _s

    links = src.table("person_links", "person_id", "justice_person_id").execute()
    b = src.table("bookings", "booking_id", "justice_person_id", "booked_at")
    bookings = b.select("justice_person_id", t=_s(b.booked_at)).execute()
    c = src.table("charges", "booking_id", "justice_person_id", "severity", "filed_at")
    charges = c.select(
        "booking_id", "justice_person_id", "severity", filed_s=_s(c.filed_at)
    ).execute()
    j = src.table("jail_stays", "justice_person_id", "admitted_at", "days")
    stays = j.select("justice_person_id", "days", t=_s(j.admitted_at)).execute()
    b_at = b.select("booking_id", booked_s=_s(b.booked_at)).execute()
    charges = charges.merge(b_at, on="booking_id", how="left")
    charges["t"] = charges.booked_s.fillna(charges.filed_s)  # missed-intake charges: filing
    felonies = charges[(charges.severity == "felony") & charges.t.notna()]

    idx = df[["person_id", "index_s"]].drop_duplicates("person_id")
    idx = idx.merge(links, on="person_id")

    def after(events: pd.DataFrame, value: str | None) -> pd.Series:
        e = events.merge(idx, on="justice_person_id")
        e = e[(e.t > e.index_s) & (e.t <= end_s)]
        g = e.groupby("person_id")
        return g[value].sum() if value else g.size()

    out = df.copy()
    out["bookings_after"] = out.person_id.map(after(bookings, None)).fillna(0).astype(int)
    out["jail_days_after"] = out.person_id.map(after(stays, "days")).fillna(0).astype(int)
    out["felony_after"] = (out.person_id.map(after(felonies, None)).fillna(0) > 0).astype(int)
    return out


def _labelled(key: str, r: dict, naive: bool = False) -> dict[str, Any]:
    return r | {"definition": DEFINITIONS[key] + (f" {NAIVE}" if naive else "")}


def estimates(
    src: Source, df: pd.DataFrame, adjusted: pd.DataFrame | None, end_s: int, why: str = ""
) -> dict[str, Any]:
    """The whole-follow-up odds of arrest, felony odds, bookings and jail-day rate ratios,
    each adjusted (on `adjusted`, the matched or weighted sample) and naive (on `df`)."""
    df = df.assign(years=(end_s - df.index_s) / (365.25 * 86400))
    if adjusted is not None:
        adjusted = adjusted.assign(years=(end_s - adjusted.index_s) / (365.25 * 86400))

    def both(key: str, fn, *args) -> dict[str, Any]:
        adj = fn(adjusted, *args) if adjusted is not None else ne(why)
        return {key: _labelled(key, adj), f"naive_{key}": _labelled(key, fn(df, *args), True)}

    out = {"rearrest": both("odds_ratio_followup", gee_odds_ratio, "rearrested")}
    try:
        df = justice_after(src, df, end_s)
        if adjusted is not None:
            extra = ["bookings_after", "jail_days_after", "felony_after"]
            adjusted = adjusted.merge(
                df.drop_duplicates("person_id")[["person_id", *extra]], on="person_id"
            )
    except Missing as exc:
        reason = (
            f"{exc}: bookings, charges and jail stays reach program people only through a "
            "person_links table (person_id, justice_person_id) from record linkage"
        )
        out["felony"] = {k: _labelled("felony_odds_ratio", ne(reason), k.startswith("naive"))
                         for k in ("odds_ratio", "naive_odds_ratio")}  # fmt: skip
        for name in ("bookings", "jail_days"):
            out[name] = {
                k: _labelled(f"{name}_rate_ratio", ne(reason), k.startswith("naive"))
                for k in ("rate_ratio", "naive_rate_ratio")
            }
        return out
    felony = both("felony_odds_ratio", gee_odds_ratio, "felony_after")
    out["felony"] = {k.replace("felony_", ""): v for k, v in felony.items()}
    for name, col in (("bookings", "bookings_after"), ("jail_days", "jail_days_after")):
        r = both(f"{name}_rate_ratio", nb_rate_ratio, col)
        out[name] = {k.replace(f"{name}_", ""): v for k, v in r.items()}
    return out


def by_group(adjusted: pd.DataFrame, design: str) -> dict[str, Any]:
    """The 6-month odds ratio and the hazard ratio within each group: under matching, the
    pairs whose participant is in the group (with their matched comparisons); under
    weighting, the group's own weighted people."""
    from divert.evaluation.compare import hazard_ratio, odds_ratio

    out: dict[str, Any] = {}
    for g in GROUPS:
        if design == "psm" and "pair" in adjusted:
            pairs = adjusted[(adjusted.treated == 1) & (adjusted.group == g)].pair
            sub = adjusted[adjusted.pair.isin(set(pairs))]
        else:
            sub = adjusted[adjusted.group == g]
        n1 = int((sub.treated == 1).sum())
        if n1 == 0:
            continue
        out[g] = {
            "participants": n1,
            "odds_ratio_6m": odds_ratio(sub),
            "hazard_ratio": hazard_ratio(sub),
        }
    return out
