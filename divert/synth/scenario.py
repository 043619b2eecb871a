"""Scenario parameters for a synthetic LEAD county, validated before anything is generated.

Every default cites docs/lead-background.md ("background" below) where a published number exists; the rest
are marked "illustrative". `scenarios/default.toml` mirrors these defaults.

>>> s = Scenario()
>>> s.effect.rearrest_hazard_ratio
0.6
"""

from __future__ import annotations

import datetime as dt
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    SerializerFunctionWrapHandler,
    ValidationError,
    field_validator,
    model_serializer,
    model_validator,
)

from divert.eligibility import Policy, PolicyError, load_policy
from divert.nibrs import ACTIVITIES, DRUGS, OFFENSES
from divert.paths import BASE_DIR

Prob = Annotated[float, Field(ge=0.0, le=1.0)]
Count = Annotated[int, Field(ge=0)]
NonNeg = Annotated[float, Field(ge=0.0)]
Positive = Annotated[float, Field(gt=0.0)]

RACES = ("white", "black", "asian", "native", "other")
SEXES = ("female", "male")
AGE_BANDS = ("0-14", "15-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+")
AGE_BAND_YEARS = ((0, 15), (15, 18), (18, 25), (25, 35), (35, 45), (45, 55), (55, 65), (65, 85))


class ScenarioError(ValueError):
    """A scenario file or value that is refused; the message names the dotted key."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Area(_Strict):
    name: str
    resident_share: Positive
    # Multiplies the county Black share in this area (downtown LEAD areas are more diverse).
    black_share_factor: NonNeg = 1.0
    lead: bool = False


class County(_Strict):
    # One year of pre-period before the Seattle launch (October 2011, background).
    start_date: dt.date = dt.date(2010, 10, 1)
    areas: list[Area] = Field(
        default_factory=lambda: [
            Area(name="Downtown", resident_share=0.10, black_share_factor=2.0, lead=True),
            Area(name="Harbor", resident_share=0.10, black_share_factor=1.5, lead=True),
            Area(name="North", resident_share=0.25, black_share_factor=0.5),
            Area(name="South", resident_share=0.25, black_share_factor=1.5),
            Area(name="East", resident_share=0.15),
            Area(name="West", resident_share=0.15, black_share_factor=0.6),
        ],
        min_length=1,
    )
    # Illustrative urban-county composition; the background gives only participants (55% Black).
    race_shares: dict[str, Prob] = Field(
        default_factory=lambda: {
            "white": 0.62,
            "black": 0.12,
            "asian": 0.14,
            "native": 0.01,
            "other": 0.11,
        }
    )
    hispanic_share: Prob = 0.09  # illustrative
    female_share: Prob = 0.50
    age_band_shares: dict[str, Prob] = Field(
        default_factory=lambda: {
            "0-14": 0.16,
            "15-17": 0.04,
            "18-24": 0.10,
            "25-34": 0.18,
            "35-44": 0.15,
            "45-54": 0.13,
            "55-64": 0.12,
            "65+": 0.12,
        }
    )

    @model_validator(mode="after")
    def _known_groups(self) -> County:
        if set(self.race_shares) != set(RACES):
            raise ValueError(f"race_shares must name exactly {RACES}")
        if set(self.age_band_shares) != set(AGE_BANDS):
            raise ValueError(f"age_band_shares must name exactly {AGE_BANDS}")
        return self


class Behaviour(_Strict):
    """Who offends and how often. Prevalence is per resident aged 15+, equal across races:
    any racial difference in the data comes from enforcement, which is the point."""

    substance_use_prevalence: Prob = 0.03  # illustrative
    sex_work_prevalence: Prob = 0.004  # illustrative
    sex_work_female_share: Prob = 0.75  # illustrative
    sex_work_given_substance_use: Prob = 0.08  # illustrative overlap
    other_offending_prevalence: Prob = 0.03  # property / violent / disorder offenders
    # Potential police encounters per person-year, before risk and enforcement factors.
    substance_use_rate: NonNeg = 1.2
    sex_work_rate: NonNeg = 1.5
    other_offending_rate: NonNeg = 0.6
    risk_sigma: NonNeg = 0.8  # log-rate spread of latent risk
    prior_violent_history: Prob = 0.15  # share with a violent conviction before the window
    violent_share_other: Prob = 0.20  # share of "other" offenses that are violent
    juvenile_rate_factor: NonNeg = 0.5  # 15-17-year-olds offend at half the adult rate


class Disparity(_Strict):
    # Encounter (and so arrest) rate multiplier at equal behaviour, by race. 1.6 for Black
    # residents is the brief's illustrative value: the background names disparity as LEAD goal 4 but
    # publishes no Seattle drug-arrest factor. Replace with a local figure.
    enforcement_factor: dict[str, NonNeg] = Field(
        default_factory=lambda: {
            "white": 1.0,
            "black": 1.6,
            "asian": 1.0,
            "native": 1.0,
            "other": 1.0,
        }
    )
    # Odds multiplier on an officer's choice to divert an eligible arrest; 1.0 = no disparity.
    diversion_odds_factor: dict[str, NonNeg] = Field(
        default_factory=lambda: {r: 1.0 for r in RACES}
    )

    @model_validator(mode="after")
    def _known_races(self) -> Disparity:
        for name in ("enforcement_factor", "diversion_odds_factor"):
            unknown = set(getattr(self, name)) - set(RACES)
            if unknown:
                raise ValueError(f"{name}: unknown race {sorted(unknown)}; use {RACES}")
        return self


class Police(_Strict):
    officers_per_1k_residents: NonNeg = 1.7  # illustrative big-city staffing
    officer_activity_sigma: NonNeg = 0.7  # lognormal spread of officers' encounter volume
    home_area_share: Prob = 0.75  # encounters in the person's home area
    probable_cause_drug: Prob = 0.75
    probable_cause_sex_work: Prob = 0.6
    probable_cause_other: Prob = 0.85
    cite_misdemeanor: Prob = 0.25  # misdemeanor arrests cited and released instead of booked
    release_with_cause: Prob = 0.05
    # Buy-in: officers who never divert (San Francisco, Albany, New Haven: background "officer
    # buy-in was a key challenge"); the rest draw a heavy-tailed lognormal propensity.
    never_divert_share: Prob = 0.30
    buy_in_median: Prob = 0.1
    buy_in_sigma: NonNeg = 1.6
    # Officers divert lower-risk people more: log-odds change per SD of latent risk.
    # Positive = lower risk diverted more, so a naive comparison overstates the effect.
    selection_strength: float = 1.0
    social_contact_referral: Prob = 0.25  # of a buy-in officer's no-arrest contacts


# Relative policy paths are resolved against the repository root (where policies/ lives),
# not the scenario file's folder, so Scenario() built in code and every scenario file
# name the same file the same way.
REPO_ROOT = BASE_DIR
DEFAULT_POLICY = "policies/seattle-2011.toml"
# The explicit rule's keys; they apply only when no policy is given.
EXPLICIT_RULE_KEYS = (
    "max_grams",
    "drug_activities",
    "sex_work_codes",
    "excluded_codes",
    "violent_lookback_years",
    "min_age",
)


def policy_path(path: str) -> Path:
    """The file `eligibility.policy` names: absolute as given, relative to the repository root.

    >>> policy_path("policies/seattle-2011.toml") == REPO_ROOT / "policies" / "seattle-2011.toml"
    True
    """
    p = Path(path)
    return p if p.is_absolute() else REPO_ROOT / p


@lru_cache(maxsize=32)
def _load_policy(path: str, mtime_ns: int, size: int) -> Policy:
    # Keyed on mtime and size too, so an edited file is read again in the same process.
    return load_policy(path)


def read_policy(path: str) -> Policy:
    """Load the policy file `path` names (see policy_path); ValueError says what is wrong."""
    file = policy_path(path)
    try:
        st = file.stat()
    except OSError as exc:
        raise ValueError(f"cannot read policy file {file}: {exc.strerror}") from None
    try:
        return _load_policy(str(file), st.st_mtime_ns, st.st_size)
    except PolicyError as exc:
        raise ValueError(f"broken policy file: {exc}") from None


class Eligibility(_Strict):
    """Who is LEAD-eligible: a site policy file, or an explicit Seattle-2011-like rule.

    `policy` (default policies/seattle-2011.toml; relative paths count from the repository
    root) names a divert.eligibility policy file; the vectorized rule then takes every
    parameter from it (divert.synth.eligibility explains the mapping). The explicit keys
    below are the older rule: they apply only with `policy = ""`, or when the scenario sets
    any of them without naming a policy. Naming a policy and an explicit key together is
    refused.

    >>> Eligibility().loaded_policy.key
    ('seattle', '2011.1')
    >>> Eligibility(max_grams=5.0).loaded_policy is None
    True
    """

    policy: str | None = DEFAULT_POLICY
    max_grams: NonNeg = 3.0  # Seattle 2011: <= 3 g
    drug_activities: list[str] = Field(
        default_factory=lambda: ["possess", "use", "subsistence_sale"]
    )  # Seattle: subsistence sale yes; dealing for profit no
    sex_work_codes: list[str] = Field(default_factory=lambda: ["40A"])  # prostitution in
    excluded_codes: list[str] = Field(default_factory=lambda: ["40B", "64A"])  # promoting out
    violent_lookback_years: NonNeg = 10.0  # Seattle: violent history in the last 10 years
    min_age: NonNeg = 18.0  # Santa Fe: under 18 out

    _policy: Policy | None = PrivateAttr(default=None)

    @model_validator(mode="before")
    @classmethod
    def _policy_or_explicit_rule(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        explicit = [k for k in EXPLICIT_RULE_KEYS if k in data]
        if not explicit:
            return data
        if data.get("policy"):
            keys = ", ".join(f"eligibility.{k}" for k in explicit)
            raise ValueError(
                f"eligibility.policy cannot be combined with {keys}: the policy file sets "
                'those; remove them, or set policy = "" to use the explicit rule'
            )
        # Explicit keys without a policy: the explicit rule, as before policies existed.
        return {**data, "policy": None}

    @field_validator("policy")
    @classmethod
    def _readable_policy(cls, value: str | None) -> str | None:
        if not value:
            return None
        read_policy(value)  # refuse a missing or broken file before anything is generated
        return value

    @model_validator(mode="after")
    def _known_codes(self) -> Eligibility:
        for code in [*self.sex_work_codes, *self.excluded_codes]:
            if code not in OFFENSES:
                raise ValueError(f"unknown NIBRS code {code!r}")
        for activity in self.drug_activities:
            if activity not in ACTIVITIES:
                raise ValueError(f"unknown activity {activity!r}; use {ACTIVITIES}")
        if self.policy:
            self._policy = read_policy(self.policy)
        return self

    @model_serializer(mode="wrap")
    def _dump(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        # With a policy the explicit keys are unused: leave them out, so a dump (truth.json)
        # shows what decided eligibility and loads back as the same scenario.
        data = handler(self)
        if self.policy:
            data = {k: v for k, v in data.items() if k not in EXPLICIT_RULE_KEYS}
        return data

    @property
    def loaded_policy(self) -> Policy | None:
        """The validated policy the rule follows; None for the explicit rule."""
        return self._policy


class Program(_Strict):
    launch_date: dt.date = dt.date(2011, 10, 1)  # Seattle launch, October 2011 (background)
    # Seattle added community referrals in 2020 (background); earlier here so short runs show
    # all three pathways.
    community_start: dt.date = dt.date(2012, 10, 1)
    community_referrals_per_month_per_100k: NonNeg = 1.0  # illustrative
    # Illustrative; tuned so the caps bind sometimes (1.8 since the Seattle 2011 policy file
    # replaced the looser explicit rule, which needed 2.0).
    case_managers_per_100k: NonNeg = 1.8
    caseload_target: Count = 20  # "LEAD averages up to 20 per case manager" (background)
    caseload_hard_cap: Count = 25  # "should never exceed 25" (background)
    handoff_median_minutes: Positive = 30.0  # warm hand-off target ~30 min (background)
    handoff_sigma: NonNeg = 0.6
    intake_deadline_days: Count = 30  # California PC 1001.87: no more than 30 days (background)
    intake_completion: Prob = 0.80  # illustrative: share who ever complete intake
    intake_mean_days: Positive = 10.0  # mean delay among completers (exponential)
    prosecutor_files_if_missed: Prob = 0.5  # "the prosecutor *may* file" (background)
    mean_months_enrolled: Positive = 18.0  # illustrative; Seattle followed 18 months
    active_to_inactive: Prob = 0.12  # monthly; active <-> inactive, nobody fails out
    inactive_to_active: Prob = 0.35
    contacts_per_active_month: NonNeg = 4.0  # street-based case management, illustrative
    contacts_per_inactive_month: NonNeg = 0.5
    service_referrals_per_active_month: NonNeg = 0.4


class Outcomes(_Strict):
    """Monthly housing/employment/income: baseline share at intake and the ratio reached by
    month 18 (Seattle 18-month within-person study, background)."""

    sheltered_baseline: Prob = 0.30
    sheltered_ratio_18m: NonNeg = 2.0  # "more than twice as likely to be sheltered"
    permanent_baseline: Prob = 0.12
    permanent_ratio_18m: NonNeg = 1.89  # "89% more likely to have permanent housing"
    employment_baseline: Prob = 0.20
    employment_ratio_18m: NonNeg = 1.46  # "46% more likely on the employment continuum"
    income_baseline: Prob = 0.45
    income_ratio_18m: NonNeg = 1.33  # "33% more likely to have income or benefits"
    mean_monthly_income: NonNeg = 800.0  # illustrative, among those with income

    @model_validator(mode="after")
    def _targets_are_probabilities(self) -> Outcomes:
        for name in ("sheltered", "permanent", "employment", "income"):
            p = getattr(self, f"{name}_baseline") * getattr(self, f"{name}_ratio_18m")
            if p > 1.0:
                raise ValueError(f"{name}_baseline x {name}_ratio_18m = {p:.2f} exceeds 1")
        return self


class Effect(_Strict):
    # True hazard ratio of re-arrest from intake on. Brief default 0.6; Seattle reported 58%
    # lower odds of arrest long-term (Collins et al. 2017, background), an odds ratio ~0.42.
    rearrest_hazard_ratio: Positive = 0.6
    # Smaller effects, as in Seattle (39% lower odds of a felony charge; fewer jail days):
    # rate ratios per person-time, reached by adjusting each post-intake booking.
    felony_charge_rate_ratio: Positive = 0.8
    jail_days_rate_ratio: Positive = 0.75


class Justice(_Strict):
    felony_drug_possession: Prob = 0.4  # illustrative; varies by state
    felony_drug_sale: Prob = 0.9
    felony_property: Prob = 0.25
    felony_violent: Prob = 0.6
    file_felony: Prob = 0.85
    file_misdemeanor: Prob = 0.65
    convict: Prob = 0.6
    dismiss: Prob = 0.3  # the rest split between acquittal and deferral
    pretrial_days_felony: NonNeg = 12.0  # mean, illustrative
    pretrial_days_misdemeanor: NonNeg = 2.0
    sentence_days_felony: NonNeg = 60.0
    sentence_days_misdemeanor: NonNeg = 10.0
    court_events_per_charge: NonNeg = 2.5
    duplicate_id_rate: Prob = 0.03  # the jail opens a second id for the same person


class Noise(_Strict):
    """Identity noise in the jail/court export, per justice person record (illustrative)."""

    typo: Prob = 0.05
    nickname: Prob = 0.08
    swapped_names: Prob = 0.02
    hyphenated_surname: Prob = 0.03
    dob_missing: Prob = 0.03
    dob_partial: Prob = 0.05
    dob_transposed: Prob = 0.02
    race_mismatch: Prob = 0.05


class Costs(_Strict):
    """Unit costs in dollars. Only the program month is published (background)."""

    booking: NonNeg = 250.0  # illustrative: intake processing per booking
    jail_day: NonNeg = 180.0  # illustrative urban jail bed-day
    prosecution_per_charge: NonNeg = 1200.0  # illustrative, per filed charge
    defense_per_charge: NonNeg = 900.0  # illustrative, public defense per filed charge
    court_event: NonNeg = 300.0  # illustrative, per hearing
    program_month: NonNeg = 899.0  # Seattle $899 per person per month (background)


class Scenario(_Strict):
    name: str = "default"
    county: County = Field(default_factory=County)
    behaviour: Behaviour = Field(default_factory=Behaviour)
    disparity: Disparity = Field(default_factory=Disparity)
    police: Police = Field(default_factory=Police)
    eligibility: Eligibility = Field(default_factory=Eligibility)
    program: Program = Field(default_factory=Program)
    outcomes: Outcomes = Field(default_factory=Outcomes)
    effect: Effect = Field(default_factory=Effect)
    justice: Justice = Field(default_factory=Justice)
    noise: Noise = Field(default_factory=Noise)
    costs: Costs = Field(default_factory=Costs)

    @model_validator(mode="after")
    def _lead_areas_and_dates(self) -> Scenario:
        if not any(a.lead for a in self.county.areas):
            raise ValueError("county.areas: at least one area must have lead = true")
        if self.program.launch_date < self.county.start_date:
            raise ValueError("program.launch_date is before county.start_date")
        if self.program.caseload_hard_cap < self.program.caseload_target:
            raise ValueError("program.caseload_hard_cap is below program.caseload_target")
        return self


def _dotted(loc: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in loc) or "(scenario)"


def scenario_from_dict(data: dict[str, Any]) -> Scenario:
    """Validate a scenario mapping; ScenarioError names each bad key as a dotted path.

    >>> scenario_from_dict({"effect": {"rearrest_hazard_ratio": 0.5}}).effect.rearrest_hazard_ratio
    0.5
    """
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        lines = [f"{_dotted(e['loc'])}: {e['msg']}" for e in exc.errors()]
        raise ScenarioError("invalid scenario:\n  " + "\n  ".join(lines)) from None


def load_scenario(path: Path | str | None = None) -> Scenario:
    """Read a scenario TOML file (None gives the defaults).

    >>> load_scenario(None).name
    'default'
    """
    if path is None:
        return Scenario()
    try:
        data = tomllib.loads(Path(path).read_text())
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{path}: not valid TOML: {exc}") from None
    return scenario_from_dict(data)


__all__ = [
    "AGE_BANDS",
    "AGE_BAND_YEARS",
    "DRUGS",
    "RACES",
    "SEXES",
    "Scenario",
    "ScenarioError",
    "load_scenario",
    "scenario_from_dict",
]
