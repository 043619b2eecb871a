"""The calibration report: a synthetic county against the published record.

Each figure is a metric computed from a county's tables (METRICS below); a targets file
(scenarios/targets/*.toml) says, per figure, what was published, where, and the tolerance
the synthetic value must meet. The report builds the county once per seed and gives the
mean across seeds with a 95% interval (Student's t), and passes a row when the mean lies
within the tolerance.

    divert synth --calibration-report calibration.md --seeds 5

>>> t_quantile(4)
2.776
"""

from __future__ import annotations

import json
import math
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from divert.nibrs import OFFENSES
from divert.synth.scenario import Scenario, policy_path

Tables = dict[str, pd.DataFrame]
# Student's t, 97.5% quantile, by degrees of freedom (1-30); 1.96 beyond.
_T975 = (12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179,
         2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064,
         2.060, 2.056, 2.052, 2.048, 2.045, 2.042)  # fmt: skip


def t_quantile(df: int) -> float:
    return _T975[df - 1] if 1 <= df <= len(_T975) else 1.96


@dataclass(frozen=True)
class Context:
    tables: Tables
    truth: dict[str, Any]
    scenario: Scenario

    @property
    def years(self) -> float:
        return float(self.truth["years"])

    @property
    def residents(self) -> int:
        return int(self.tables["population"].residents.sum())

    def per_100k_year(self, count: float) -> float:
        return count / self.residents * 100_000 / self.years

    def arrests(self) -> pd.DataFrame:
        """Arrests (probable-cause encounters) with the primary offense and the person."""
        t = self.tables
        enc = t["encounters"][t["encounters"].probable_cause]
        primary = t["encounter_offenses"][t["encounter_offenses"].seq == 1]
        out = enc.merge(primary, on="encounter_id").merge(
            t["persons"][["person_id", "sex", "race", "dob"]], on="person_id"
        )
        return out

    def participants(self) -> pd.DataFrame:
        """Each enrolled person at their first enrollment, with age at referral."""
        t = self.tables
        enr = t["enrollments"].sort_values(["referred_at", "enrollment_id"])
        first = enr.groupby("person_id").first().reset_index()
        first = first.merge(t["persons"][["person_id", "sex", "race", "dob"]], on="person_id")
        first["age"] = (first.referred_at - first.dob).dt.days / 365.25
        return first


def _age_years(a: pd.DataFrame) -> pd.Series:
    return (a.occurred_at - a.dob).dt.days / 365.25


def _drug(a: pd.DataFrame) -> pd.DataFrame:
    return a[a.nibrs.isin(["35A", "35B"])]


def _share(mask: pd.Series) -> float:
    return float(mask.mean()) if len(mask) else float("nan")


def arrests_per_100k(c: Context) -> float:
    return c.per_100k_year(len(c.arrests()))


def drug_arrests_per_100k(c: Context) -> float:
    return c.per_100k_year(len(_drug(c.arrests())))


def drug_share_of_arrests(c: Context) -> float:
    a = c.arrests()
    return _share(a.nibrs.isin(["35A", "35B"]))


def possession_share_of_drug_arrests(c: Context) -> float:
    d = _drug(c.arrests())
    return _share(d.activity.isin(["possess", "use"]))


def prostitution_arrests_per_100k(c: Context) -> float:
    a = c.arrests()
    return c.per_100k_year(int(a.nibrs.isin(["40A", "40B", "40C"]).sum()))


def male_share_of_arrestees(c: Context) -> float:
    return _share(c.arrests().sex == "male")


def age_55_plus_share_of_arrestees(c: Context) -> float:
    return _share(_age_years(c.arrests()) >= 55)


def age_65_plus_share_of_arrestees(c: Context) -> float:
    return _share(_age_years(c.arrests()) >= 65)


def black_white_drug_arrest_ratio(c: Context) -> float:
    d = _drug(c.arrests())
    pop = c.tables["population"].groupby("race").residents.sum()
    counts = d.groupby("race").size()
    if not pop.get("white") or not counts.get("white"):
        return float("nan")
    return float((counts.get("black", 0) / pop["black"]) / (counts["white"] / pop["white"]))


def participant_female_share(c: Context) -> float:
    return _share(c.participants().sex == "female")


def participant_mean_age(c: Context) -> float:
    p = c.participants()
    return float(p.age.mean()) if len(p) else float("nan")


def participant_black_share(c: Context) -> float:
    return _share(c.participants().race == "black")


def participant_white_share(c: Context) -> float:
    return _share(c.participants().race == "white")


def social_contact_share_of_referrals(c: Context) -> float:
    """Among referrals made (capacity refusals included: the officer referred)."""
    return _share(c.tables["referrals"].pathway == "social_contact")


def property_share_of_arrest_referrals(c: Context) -> float:
    t = c.tables
    r = t["referrals"][t["referrals"].pathway == "arrest_diversion"]
    primary = t["encounter_offenses"][t["encounter_offenses"].seq == 1].set_index("encounter_id")
    family = primary.nibrs.reindex(r.encounter_id.astype("int64")).map(
        lambda code: OFFENSES[code].family
    )
    return _share(family == "property")


def fentanyl_share_of_drug_arrests_2010_2013(c: Context) -> float:
    d = _drug(c.arrests())
    d = d[d.occurred_at.dt.year <= 2013]
    return _share(d.drug == "fentanyl") if len(d) else float("nan")


def legal_cannabis_arrests(c: Context) -> float:
    """Arrests for what I-502 made legal: adult (21+) possession of up to 1 oz."""
    legal = c.scenario.drugs.cannabis_legal_from
    if legal is None:
        return float("nan")
    a = c.arrests()
    return float(
        (
            (a.drug == "cannabis")
            & a.activity.isin(["possess", "use"])
            & (a.grams <= 28.35)
            & (_age_years(a) >= 21)
            & (a.occurred_at >= pd.Timestamp(legal))
        ).sum()
    )


def simple_assault_felony_share(c: Context) -> float:
    ch = c.tables["charges"]
    ch = ch[ch.nibrs == "13B"]
    return _share(ch.severity == "felony")


def _cost(c: Context, year: int, column: str) -> float:
    by = c.tables["costs_by_year"].set_index("year")
    return float(by.loc[year, column]) if year in by.index else float("nan")


def jail_day_rate_2010(c: Context) -> float:
    return _cost(c, 2010, "jail_day")


def jail_day_rate_2011(c: Context) -> float:
    return _cost(c, 2011, "jail_day")


def jail_day_rate_2021(c: Context) -> float:
    return _cost(c, 2021, "jail_day")


def _program_years(c: Context) -> pd.DataFrame:
    """Program cost per participant-month by program year (12 months from the launch)."""
    ms = c.tables["monthly_status"]
    follow = ms[ms.months_since_intake >= 0]
    launch = pd.Timestamp(c.scenario.program.launch_date)
    end = pd.Timestamp(c.truth["end_date"])
    k = ((follow.month.dt.year - launch.year) * 12 + follow.month.dt.month - launch.month) // 12
    pm = k.value_counts().sort_index()
    full = int(((end.year - launch.year) * 12 + end.month - launch.month) // 12)
    costs = c.scenario.costs
    rows = []
    for year in range(full):
        n = float(pm.get(year, 0))
        cost = (
            costs.program_per_participant_month + costs.program_fixed_per_month * 12 / n
            if n
            else float("nan")
        )
        rows.append((year, n, cost))
    return pd.DataFrame(rows, columns=["program_year", "participant_months", "cost"])


def program_cost_first_year(c: Context) -> float:
    y = _program_years(c)
    return float(y.cost.iloc[0]) if len(y) else float("nan")


def program_cost_last_year(c: Context) -> float:
    y = _program_years(c)
    return float(y.cost.iloc[-1]) if len(y) else float("nan")


def program_cost_per_client_year(c: Context) -> float:
    y = _program_years(c)
    return float(12 * y.cost.iloc[-1]) if len(y) else float("nan")


def max_caseload(c: Context) -> float:
    """The most open enrollments any one case manager held at any moment."""
    enr = c.tables["enrollments"]
    end = pd.Timestamp(c.truth["end_date"])
    ev = pd.concat(
        [
            pd.DataFrame({"cm": enr.case_manager_id, "t": enr.referred_at, "d": 1}),
            pd.DataFrame({"cm": enr.case_manager_id, "t": enr.exited_at.fillna(end), "d": -1}),
        ]
    ).sort_values(["cm", "t", "d"], kind="stable")
    return float(ev.groupby("cm").d.cumsum().max()) if len(ev) else 0.0


def rearrest_odds_ratio_6m(c: Context) -> float:
    v = c.truth.get("estimands", {}).get("rearrest_odds_ratio_6m")
    return float(v) if v is not None else float("nan")


def _outcome_or(c: Context, column: str) -> float:
    ms = c.tables["monthly_status"]
    if column == "sheltered":
        y = ms.housing.isin(["sheltered", "permanent"])
    elif column == "permanent":
        y = ms.housing == "permanent"
    else:
        y = ms[column].astype(bool)
    base = ms.months_since_intake < 0
    follow = (ms.months_since_intake >= 0) & (ms.months_since_intake < 18)
    p0, p1 = y[base].mean(), y[follow].mean()
    return float((p1 / (1 - p1)) / (p0 / (1 - p0))) if 0 < p0 < 1 and 0 < p1 < 1 else float("nan")


def sheltered_odds_ratio(c: Context) -> float:
    return _outcome_or(c, "sheltered")


def permanent_housing_odds_ratio(c: Context) -> float:
    return _outcome_or(c, "permanent")


def employment_odds_ratio(c: Context) -> float:
    return _outcome_or(c, "employment_continuum")


def income_odds_ratio(c: Context) -> float:
    return _outcome_or(c, "income_or_benefits")


METRICS: dict[str, tuple[str, Callable[[Context], float]]] = {
    f.__name__: (label, f)
    for label, f in [
        ("All arrests per 100k residents per year", arrests_per_100k),
        ("Drug arrests per 100k per year", drug_arrests_per_100k),
        ("Drug arrests, share of all arrests", drug_share_of_arrests),
        ("Possession, share of drug arrests", possession_share_of_drug_arrests),
        ("Prostitution arrests per 100k per year", prostitution_arrests_per_100k),
        ("Arrestees who are male", male_share_of_arrestees),
        ("Arrestees aged 55+", age_55_plus_share_of_arrestees),
        ("Arrestees aged 65+", age_65_plus_share_of_arrestees),
        ("Black/White drug-arrest rate ratio", black_white_drug_arrest_ratio),
        ("Participants who are female", participant_female_share),
        ("Participants' mean age at referral", participant_mean_age),
        ("Participants who are Black", participant_black_share),
        ("Participants who are White", participant_white_share),
        ("Social contacts, share of referrals", social_contact_share_of_referrals),
        ("Property offenses, share of arrest referrals", property_share_of_arrest_referrals),
        ("Fentanyl, share of 2010-13 drug arrests", fentanyl_share_of_drug_arrests_2010_2013),
        ("Arrests for adult cannabis possession up to 1 oz after I-502", legal_cannabis_arrests),
        ("Simple assault (13B) charges that are felonies", simple_assault_felony_share),
        ("Jail day rate, 2010", jail_day_rate_2010),
        ("Jail day rate, 2011", jail_day_rate_2011),
        ("Jail day rate, 2021", jail_day_rate_2021),
        ("Program cost per participant-month, first program year", program_cost_first_year),
        ("Program cost per participant-month, last program year", program_cost_last_year),
        ("Program cost per client-year, last program year", program_cost_per_client_year),
        ("Most open cases any case manager held", max_caseload),
        ("True odds ratio of any arrest, 6 months after intake", rearrest_odds_ratio_6m),
        ("Sheltered, follow-up vs month before referral (OR)", sheltered_odds_ratio),
        ("Permanent housing, follow-up vs month before (OR)", permanent_housing_odds_ratio),
        ("Employment continuum, follow-up vs month before (OR)", employment_odds_ratio),
        ("Income or benefits, follow-up vs month before (OR)", income_odds_ratio),
    ]
}


class TargetsError(ValueError):
    """A targets file that cannot be used; the message names the row and key."""


@dataclass(frozen=True)
class Target:
    metric: str
    published: str  # as published, for reading
    source: str
    low: float
    high: float
    tolerance: str  # how the band was set, for reading

    def passes(self, value: float) -> bool:
        return math.isfinite(value) and self.low <= value <= self.high


def load_targets(path: str | Path, scenario: Scenario) -> list[Target]:
    """Read a targets file. Each [[target]] names a metric, what was published and where,
    and one of: value with tolerance (absolute) or relative (a fraction), range = [low,
    high], at_most, or range = "preset" (the drug-disparity preset's published range)."""
    file = policy_path(str(path))
    try:
        data = tomllib.loads(file.read_text())
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise TargetsError(f"{file}: {exc}") from None
    out = []
    for i, row in enumerate(data.get("target", [])):
        where = f"{file.name}: target[{i}]"
        known = {"metric", "published", "source", "value", "tolerance", "relative", "range",
                 "at_most"}  # fmt: skip
        unknown = set(row) - known
        if unknown:
            raise TargetsError(f"{where}: unknown key {sorted(unknown)[0]!r}")
        metric = row.get("metric")
        if metric not in METRICS:
            raise TargetsError(f"{where}.metric: unknown metric {metric!r}")
        for key in ("published", "source"):
            if not isinstance(row.get(key), str):
                raise TargetsError(f"{where}.{key}: required text")
        if row.get("range") == "preset":
            low, high, src = scenario.drug_disparity_range
            tol = f"within the preset's published range ({src})"
        elif "range" in row:
            low, high = (float(v) for v in row["range"])
            tol = f"{low:g} to {high:g}"
        elif "at_most" in row:
            low, high = -math.inf, float(row["at_most"])
            tol = f"at most {high:g}"
        elif "value" in row and ("tolerance" in row or "relative" in row):
            v = float(row["value"])
            d = float(row["tolerance"]) if "tolerance" in row else abs(v) * float(row["relative"])
            low, high = v - d, v + d
            tol = f"{v:g} ± {d:g}" if "tolerance" in row else f"{v:g} ± {row['relative']:.0%}"
        else:
            raise TargetsError(f"{where}: give value with tolerance or relative, range, or at_most")
        if low > high:
            raise TargetsError(f"{where}: the band is empty ({low:g} > {high:g})")
        out.append(Target(metric, row["published"], row["source"], low, high, tol))
    if not out:
        raise TargetsError(f"{file}: no [[target]] rows")
    return out


@dataclass(frozen=True)
class Row:
    target: Target
    label: str
    values: tuple[float, ...]

    @property
    def mean(self) -> float:
        v = [x for x in self.values if math.isfinite(x)]
        return float(np.mean(v)) if v else float("nan")

    @property
    def interval(self) -> tuple[float, float]:
        v = np.array([x for x in self.values if math.isfinite(x)])
        if len(v) < 2:
            return (self.mean, self.mean)
        half = t_quantile(len(v) - 1) * v.std(ddof=1) / math.sqrt(len(v))
        return (float(v.mean() - half), float(v.mean() + half))

    @property
    def passed(self) -> bool:
        return (
            len(self.values) > 0
            and all(map(math.isfinite, self.values))
            and self.target.passes(self.mean)
        )


def evaluate(contexts: list[Context], targets: list[Target]) -> list[Row]:
    rows = []
    for t in targets:
        label, f = METRICS[t.metric]
        rows.append(Row(t, label, tuple(float(f(c)) for c in contexts)))
    return rows


def _fmt(v: float) -> str:
    if not math.isfinite(v):
        return "n/a"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    if abs(v) >= 100:
        return f"{v:.2f}".rstrip("0").rstrip(".")
    if abs(v) >= 10:
        return f"{v:.1f}"
    return f"{v:.3f}".rstrip("0").rstrip(".") if v else "0"


def render_markdown(
    rows: list[Row], *, scenario: str, residents: int, years: int, seeds: list[int]
) -> str:
    head = (
        f"Scenario `{scenario}`, {residents:,} residents x {years} years, seeds "
        f"{', '.join(map(str, seeds))}: mean across seeds, 95% interval (t).\n\n"
        "| Figure | Published | Source | Synthetic (95% interval) | Tolerance | Pass |\n"
        "|---|---|---|---|---|---|\n"
    )
    lines = []
    for r in rows:
        lo, hi = r.interval
        lines.append(
            f"| {r.label} | {r.target.published} | {r.target.source} | {_fmt(r.mean)} "
            f"({_fmt(lo)} to {_fmt(hi)}) | {r.target.tolerance} | "
            f"{'pass' if r.passed else '**FAIL**'} |"
        )
    return head + "\n".join(lines) + "\n"


def to_records(rows: list[Row]) -> list[dict[str, Any]]:
    return [
        {
            "metric": r.target.metric,
            "figure": r.label,
            "published": r.target.published,
            "source": r.target.source,
            "mean": r.mean,
            "interval": list(r.interval),
            "values": list(r.values),
            "low": r.target.low,
            "high": r.target.high,
            "tolerance": r.target.tolerance,
            "pass": r.passed,
        }
        for r in rows
    ]


def calibration_report(
    scenario: Scenario,
    *,
    residents: int | None = None,
    years: int | None = None,
    seeds: list[int],
    targets: str | Path | None = None,
    progress: Callable[[str, float], None] | None = None,
) -> list[Row]:
    """Build the county once per seed and compare it with the targets."""
    from divert.synth.assemble import build

    path = targets or scenario.calibration.targets
    if not path:
        raise TargetsError("the scenario names no calibration targets (calibration.targets)")
    rows_targets = load_targets(path, scenario)
    contexts = []
    for k, seed in enumerate(seeds):
        if progress:
            progress(f"county, seed {seed}", k / len(seeds))
        county = build(scenario, residents, years, seed)
        contexts.append(Context(county.tables, county.truth, scenario))
    return evaluate(contexts, rows_targets)


def write_report(rows: list[Row], out: Path, **about: Any) -> Path:
    """Markdown, or JSON / CSV by the file's extension."""
    out = Path(out)
    if out.suffix == ".json":
        out.write_text(json.dumps({"about": about, "rows": to_records(rows)}, indent=1) + "\n")
    elif out.suffix == ".csv":
        pd.DataFrame(to_records(rows)).drop(columns=["values"]).to_csv(out, index=False)
    else:
        out.write_text(render_markdown(rows, **about))
    return out
