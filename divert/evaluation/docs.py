"""docs/metrics.md, rendered from the registry: `divert metrics docs` writes it and
tests/evaluation/test_docs.py fails if the page and the code diverge."""

from __future__ import annotations

from divert.evaluation.compare import CALIPER_SD, COVARIATES, NEIGHBOURS
from divert.evaluation.compute import MIN_SHARE
from divert.evaluation.effects import DEFINITIONS
from divert.evaluation.registry import GOALS, all_metrics

HEAD = """# Metrics: LEAD's six goals, defined once

This page is rendered from the metric definitions in `divert/evaluation/goals/` by
`divert metrics docs`; a test fails if the two diverge. Edit the code, then regenerate.

Every metric is one Ibis expression over the canonical tables (docs/data-model.md), so the
same definition runs on DuckDB (files), PostgreSQL and SQLite (a database holding the
canonical tables); the known-answer tests check all three give the same figures. Each result has an estimate, a 95% confidence interval, n
and a trend by calendar year, or "not estimable" with the reason and the data that would
make it estimable; the reorient measures have a trend by calendar month as well. Nothing is
reported as a silent zero.

- **Proportions**: Wilson score interval.
- **Rates**: exact Poisson (Garwood) interval on events over exposure.
- **Concentration**: percentile bootstrap over officers (1,000 draws).
- **Relative Rate Index** (OJJDP): each group's rate at a decision point over the
  non-Hispanic White rate; Hispanic people of any race form their own group; groups under
  {min_share} of the decision point's base are not analysed; 95% interval on the log
  relative risk; absolute differences with a Wald interval.
- **Census ratios** (program costs): no sampling interval.
"""

COMPARISON = """## Re-arrest against a matched comparison group (`outcomes.rearrest`)

- **Participants**: people whose first completed intake came from an arrest diversion;
  follow-up starts at that intake.
- **Comparison pool**: people never enrolled whose eligible arrest was booked after the
  program launched; follow-up starts at that arrest plus the participants' median
  referral-to-intake lag.
- **Covariates** at the decision: {covariates}, group, and the calendar year as categories.
- **Propensity score**: logistic regression (scikit-learn); 1:{k} nearest-neighbour matching
  on its logit with replacement, within a caliper of {caliper} standard deviations of the
  logit (`--design ipw`: weights p/(1-p) for the comparison group instead). Balance:
  standardized mean differences before and after.
- **`odds_ratio_6m`**: any arrest within 6 months of the start of follow-up, people with 6
  months of follow-up; logistic regression on the matched sample with the matching weights,
  cluster-robust by person (statsmodels).
- **`hazard_ratio`**: time to the first arrest after the start of follow-up, censored at the
  end of the data; Cox regression with the matching weights, robust by person (lifelines).
- **`naive_odds_ratio_6m`, `naive_hazard_ratio`**: the same models on every participant and
  the whole pool, unadjusted, shown so readers see why adjustment matters.
- Fewer than 20 people in a group, no overlap within the caliper, perfect separation or a
  model that does not converge give "not estimable" with the reason.

## Public safety beside re-arrest (`outcomes.rearrest`, `outcomes.felony`, `outcomes.bookings`, `outcomes.jail_days`)

The same cohort, covariates and matching (or weighting); each figure has its naive twin
(`naive_<name>`: every participant against the whole pool, unweighted), a definition and n.

{effects}
- **`outcomes.rearrest.by_group.<group>`**: `odds_ratio_6m` and `hazard_ratio` within each
  group (matched pairs whose participant is in the group; under weighting, the group's own
  weighted people); a group with fewer than 20 people in an arm is "not estimable", and a
  participant count under 11 is shown as "fewer than 11" in the report.
- Bookings, charges and jail stays are the justice system's records: without a
  `person_links` table (person_id, justice_person_id) from record linkage those figures are
  "not estimable" and say so.
"""


def render() -> str:
    parts = [HEAD.format(min_share=f"{MIN_SHARE:.0%}")]
    metrics = all_metrics()
    for goal, title in GOALS.items():
        parts.append(f"## {title} (`{goal}`)\n")
        for key, m in metrics.items():
            if m.goal != goal:
                continue
            parts.append(f"### {m.title} (`{key}`)\n")
            parts.append(f"{m.definition}\n")
            rows = [
                ("kind", m.kind + (f" ({m.unit})" if m.unit else "")),
                ("numerator", m.numerator),
                ("denominator", m.denominator),
                ("inclusion", m.inclusion),
            ]
            if m.breakdowns:
                rows.append(("breakdowns", ", ".join(m.breakdowns)))
            if m.monthly:
                rows.append(
                    (
                        "monthly trend",
                        "the same units by calendar month"
                        if m.monthly is True
                        else " ".join((m.monthly.__doc__ or "").split()),
                    )
                )
            if m.units is None:
                rows.append(("not estimable until", m.needs))
            elif m.needs:
                rows.append(("needs", m.needs))
            parts.append("| | |\n|---|---|")
            parts += [f"| {k} | {v.replace('|', '/')} |" for k, v in rows]
            parts.append("")
    parts.append(
        COMPARISON.format(
            covariates=", ".join(c.replace("_", " ") for c in COVARIATES),
            k=NEIGHBOURS,
            caliper=CALIPER_SD,
            effects="\n".join(
                f"- **`{path}`**: {DEFINITIONS[key]}"
                for path, key in (
                    ("outcomes.rearrest.odds_ratio_followup", "odds_ratio_followup"),
                    ("outcomes.felony.odds_ratio", "felony_odds_ratio"),
                    ("outcomes.bookings.rate_ratio", "bookings_rate_ratio"),
                    ("outcomes.jail_days.rate_ratio", "jail_days_rate_ratio"),
                )
            ),
        )
    )
    return "\n".join(parts)
