"""Scenario parameters for a synthetic LEAD county, validated before anything is generated.

The defaults are a Seattle-like county calibrated to the published record ("the
record" below; each value names its source); `scenarios/default.toml` mirrors
them and a test keeps the two equal. Values marked "illustrative" are not published figures.
`divert synth --calibration-report` shows how close the county comes to each published one.

>>> s = Scenario()
>>> s.eligibility.policies[0].key, s.disparity.drug_ratio
(('seattle', '2011.1'), 20.0)
"""

from __future__ import annotations

import datetime as dt
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from divert.eligibility import Policy, PolicyError, load_policy
from divert.nibrs import DRUGS
from divert.paths import BASE_DIR

Prob = Annotated[float, Field(ge=0.0, le=1.0)]
Count = Annotated[int, Field(ge=0)]
NonNeg = Annotated[float, Field(ge=0.0)]
Positive = Annotated[float, Field(gt=0.0)]

RACES = ("white", "black", "asian", "native", "other")
SEXES = ("female", "male")
AGE_BANDS = ("0-14", "15-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+")
AGE_BAND_YEARS = ((0, 15), (15, 18), (18, 25), (25, 35), (35, 45), (45, 55), (55, 65), (65, 85))
ADULT_BANDS = AGE_BANDS[1:]  # the bands a group of offenders is drawn from (15 and over)

# Black/White drug-arrest rate ratios from the record, as (value used, published low, high).
DRUG_DISPARITY_PRESETS: dict[str, tuple[float, float, float, str]] = {
    # Over 13x in 2006, 21x for delivery (Beckett 2008; Criminology 44(1) 2006). 20 sits in
    # that range (it realizes near 18: White users also meet the police about other
    # offenses) and comes closest to Seattle's participants (55% Black, 27% White).
    "seattle": (20.0, 13.0, 21.0, "Beckett 2008; Criminology 44(1) 2006"),
    # 2.8-5.5 nationally 1980-2007 (HRW 2009); the middle is used.
    "national": (4.0, 2.8, 5.5, "HRW 2009"),
    # 2.5 for possession (ACLU/HRW 2016).
    "national-possession": (2.5, 2.5, 2.5, "ACLU/HRW 2016"),
}


class ScenarioError(ValueError):
    """A scenario file or value that is refused; the message names the dotted key."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _shares(value: dict[str, float], names: tuple[str, ...], what: str) -> dict[str, float]:
    if set(value) != set(names):
        raise ValueError(f"{what} must name exactly {names}")
    if abs(sum(value.values()) - 1.0) > 0.01:
        raise ValueError(f"{what} must add up to 1, not {sum(value.values()):.3f}")
    return value


class Area(_Strict):
    name: str
    resident_share: Positive
    # Multiplies the county Black share in this area.
    black_share_factor: NonNeg = 1.0
    lead: bool = False
    # Pull on encounters away from home (any kind) and, on top, on drug and sex-work
    # encounters: downtown program areas draw people who live elsewhere (hotspots).
    draw: Positive = 1.0
    market: Positive = 1.0


def _seattle_areas() -> list[Area]:
    # Illustrative: two downtown program areas that draw the drug and sex-work markets.
    return [
        Area(name="Downtown", resident_share=0.08, black_share_factor=1.6, lead=True, draw=3.0,
             market=6.0),
        Area(name="Harbor", resident_share=0.08, black_share_factor=1.4, lead=True, draw=2.0,
             market=4.0),
        Area(name="North", resident_share=0.26, black_share_factor=0.5),
        Area(name="South", resident_share=0.24, black_share_factor=1.8, market=1.5),
        Area(name="East", resident_share=0.17, black_share_factor=1.1),
        Area(name="West", resident_share=0.17, black_share_factor=0.6),
    ]  # fmt: skip


class County(_Strict):
    # One year before the Seattle launch (October 2011).
    start_date: dt.date = dt.date(2010, 10, 1)
    areas: list[Area] = Field(default_factory=_seattle_areas, min_length=1)
    # Seattle, 2010 census (rounded): White 70%, Black 8%, Asian 14%, Native 1%, other and
    # two or more races 7%; Hispanic 6.6%. Not in the record; illustrative shape.
    race_shares: dict[str, Prob] = Field(
        default_factory=lambda: {
            "white": 0.70,
            "black": 0.08,
            "asian": 0.14,
            "native": 0.01,
            "other": 0.07,
        }
    )
    hispanic_share: Prob = 0.066
    female_share: Prob = 0.50
    age_band_shares: dict[str, Prob] = Field(
        default_factory=lambda: {
            "0-14": 0.13,
            "15-17": 0.03,
            "18-24": 0.11,
            "25-34": 0.21,
            "35-44": 0.16,
            "45-54": 0.14,
            "55-64": 0.12,
            "65+": 0.10,
        }
    )

    @model_validator(mode="after")
    def _known_groups(self) -> County:
        _shares(self.race_shares, RACES, "race_shares")
        _shares(self.age_band_shares, AGE_BANDS, "age_band_shares")
        return self


class Group(_Strict):
    """One kind of offending: how many people, of which sex and age."""

    prevalence: Prob  # share of residents aged 15 and over
    female_share: Prob
    # Share of the group in each age band from 15 up (at the start date).
    age_shares: dict[str, Prob]

    @field_validator("age_shares")
    @classmethod
    def _bands(cls, value: dict[str, float]) -> dict[str, float]:
        return _shares(value, ADULT_BANDS, "age_shares")


def _ages(*shares: float) -> dict[str, float]:
    return dict(zip(ADULT_BANDS, shares, strict=True))


class Behaviour(_Strict):
    """Who offends and how often. Prevalence is equal across races: any racial difference in
    the data comes from enforcement, which is the point. Rates are potential police
    encounters per person-year for White residents at average risk; they are tuned so the
    county's arrests match the record (UCR rates, sex and age of arrestees, participants)."""

    # Problem substance use: older and more often female than arrestees as a whole, as
    # LEAD's participants are (Seattle: 39% female, mean age 41).
    substance_use: Group = Group(
        prevalence=0.020,
        female_share=0.36,
        age_shares=_ages(0.0, 0.10, 0.29, 0.31, 0.235, 0.06, 0.005),
    )
    sex_work: Group = Group(
        prevalence=0.0025,
        female_share=0.85,
        age_shares=_ages(0.0, 0.24, 0.38, 0.23, 0.12, 0.03, 0.0),
    )
    # Everyone else who meets the police: property, violence, DUI, disorder.
    other_offending: Group = Group(
        prevalence=0.085,
        female_share=0.22,
        age_shares=_ages(0.10, 0.28, 0.28, 0.17, 0.127, 0.035, 0.008),
    )
    sex_work_given_substance_use: Prob = 0.06  # illustrative overlap (women mostly)
    drug_rate: NonNeg = 0.18
    sex_work_rate: NonNeg = 0.20
    other_rate: NonNeg = 0.50
    # Property and disorder encounters of substance users, on top of their drug encounters.
    substance_use_other_rate: NonNeg = 0.20
    risk_sigma: NonNeg = 0.8  # log-rate spread of latent risk
    domestic_violence_share: Prob = 0.35  # of assaults (13A/13B/13C), illustrative
    # Seasonality: encounters peak in July by this fraction and dip in January (illustrative).
    seasonal_amplitude: Prob = 0.10


class Drugs(_Strict):
    """The drug in each drug encounter, by year."""

    # Illustrative mix before fentanyl.
    mix: dict[str, Prob] = Field(
        default_factory=lambda: {
            "heroin": 0.16,
            "other_opioid": 0.04,
            "prescription_opioid_pills": 0.06,
            "cocaine": 0.11,
            "crack": 0.18,
            "methamphetamine": 0.20,
            "cannabis": 0.20,
            "other": 0.05,
        }
    )
    # Fentanyl's share of opioid encounters by year, linear between the years given, flat
    # outside: about 1% of King County overdoses in 2015 and 40% in 2020 (KUOW; KING5),
    # absent from 2010-13 drug arrests.
    fentanyl_share_of_opioids: dict[int, Prob] = Field(
        default_factory=lambda: {2013: 0.0, 2015: 0.01, 2020: 0.40}
    )
    # Adult possession up to 1 oz legal in Washington from 6 Dec 2012 (I-502; SPD): such
    # encounters are not offenses from then on. None: never legal.
    cannabis_legal_from: dt.date | None = dt.date(2012, 12, 6)
    cannabis_legal_age: Count = 21
    cannabis_legal_grams: Positive = 28.35

    @field_validator("mix")
    @classmethod
    def _known_drugs(cls, value: dict[str, float]) -> dict[str, float]:
        unknown = set(value) - set(DRUGS)
        if unknown or "fentanyl" in value:
            raise ValueError(
                f"mix names drugs from {DRUGS} except fentanyl (see fentanyl_share_of_opioids)"
            )
        if abs(sum(value.values()) - 1.0) > 0.01:
            raise ValueError(f"mix must add up to 1, not {sum(value.values()):.3f}")
        return value


class Disparity(_Strict):
    # Black/White drug-arrest rate ratio at equal use: a preset from the record ("seattle",
    # "national", "national-possession") or a number. It multiplies Black residents' drug
    # encounters; other drug factors are 1.
    drug_arrest_ratio: str | NonNeg = "seattle"
    # Encounter multiplier for everything else, by race. Illustrative: Black Americans were
    # about 28% of 2011 arrests at about 13% of the population (UCR), a ratio near 2.6.
    enforcement_factor: dict[str, NonNeg] = Field(
        default_factory=lambda: {
            "white": 1.0,
            "black": 2.6,
            "asian": 0.6,
            "native": 1.5,
            "other": 1.0,
        }
    )
    # Odds multiplier on an officer's choice to divert an eligible arrest; 1.0 = no disparity.
    diversion_odds_factor: dict[str, NonNeg] = Field(
        default_factory=lambda: {r: 1.0 for r in RACES}
    )

    @field_validator("drug_arrest_ratio")
    @classmethod
    def _preset_or_number(cls, value: str | float) -> str | float:
        if isinstance(value, str) and value not in DRUG_DISPARITY_PRESETS:
            raise ValueError(f"unknown preset {value!r}; use {sorted(DRUG_DISPARITY_PRESETS)}")
        return value

    @model_validator(mode="after")
    def _known_races(self) -> Disparity:
        for name in ("enforcement_factor", "diversion_odds_factor"):
            unknown = set(getattr(self, name)) - set(RACES)
            if unknown:
                raise ValueError(f"{name}: unknown race {sorted(unknown)}; use {RACES}")
        return self

    @property
    def drug_ratio(self) -> float:
        v = self.drug_arrest_ratio
        return DRUG_DISPARITY_PRESETS[v][0] if isinstance(v, str) else float(v)


class Police(_Strict):
    officers_per_1k_residents: NonNeg = 1.7  # illustrative big-city staffing
    officer_activity_sigma: NonNeg = 0.7  # lognormal spread of officers' encounter volume
    home_area_share: Prob = 0.75  # other encounters in the person's home area
    market_home_share: Prob = 0.35  # drug and sex-work encounters in the home area
    probable_cause_drug: Prob = 0.70
    probable_cause_sex_work: Prob = 0.6
    probable_cause_other: Prob = 0.85
    cite_misdemeanor: Prob = 0.25  # misdemeanor arrests cited and released instead of booked
    release_with_cause: Prob = 0.05
    # Buy-in: officers who never divert (San Francisco, Albany, New Haven: "officer buy-in
    # was a key challenge"); the rest draw a heavy-tailed lognormal propensity.
    never_divert_share: Prob = 0.30
    buy_in_median: Prob = 0.6
    buy_in_sigma: NonNeg = 1.0
    # "Amenable to diversion" (Seattle): the officer's judgment, lower for people who look
    # riskier. "record": the arrests of the past 365 days (log-odds per log(1 + arrests)),
    # which an evaluation can adjust for; "latent": the hidden risk (per SD), which it
    # cannot. Positive = lower risk judged amenable more, so naive comparisons overstate.
    selection_on: Literal["record", "latent"] = "record"
    selection_strength: float = 0.5
    amenable_share: Prob = 0.8  # judged amenable, at no prior arrests
    # Offered LEAD, the person says no (illustrative).
    decline_arrest: Prob = 0.10
    decline_social: Prob = 0.10
    # Officers asked for the social-contact pathway (leadkingcounty.org FAQ): their
    # willingness to refer an eligible contact is their buy-in times this, at most 1.
    social_contact_referral: NonNeg = 1.6
    # Willingness for eligible arrests that are not drug or sex-work offenses (property,
    # trespass), relative to the rest: officers refer fewer of them (Santa Fe: 7% of arrest
    # referrals were property offenses).
    other_offense_referral: NonNeg = 1.0


class Flags(_Strict):
    """What the officer learns at the scene or from records (illustrative shares)."""

    # Of sale encounters (subsistence or for profit).
    exploitation_of_minor: Prob = 0.003
    exploitation_of_adult: Prob = 0.02
    sale_to_minor: Prob = 0.01
    school_zone: Prob = 0.06
    # Of people, for the whole period.
    no_contact_order: Prob = 0.03
    restraining_order: Prob = 0.02
    anti_harassment_order: Prob = 0.01
    order_protects_participant: Prob = 0.3  # of people with any order
    confidential_informant: Prob = 0.004
    on_probation: Prob = 0.12
    on_parole: Prob = 0.04
    pending_specialty_court: Prob = 0.02


# Relative policy paths are resolved against the repository root (where policies/ lives).
REPO_ROOT = BASE_DIR
DEFAULT_POLICY = "policies/seattle-2011.toml"


def policy_path(path: str) -> Path:
    """The file a policy entry names: absolute as given, relative to the repository root.

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
    """Who is LEAD-eligible: one site policy file, or several versions of one policy.

    Each encounter is screened under the version in force on its date (the latest whose
    `effective` date has come; before the first, the first). Relative paths count from the
    repository root. divert.synth.eligibility explains how a policy maps onto arrays.

    >>> [p.version for p in Eligibility(policy=["policies/seattle-2011.toml",
    ...     "policies/seattle-2015.toml"]).policies]
    ['2011.1', '2015.1']
    """

    policy: str | list[str] = DEFAULT_POLICY

    _policies: tuple[Policy, ...] = PrivateAttr(default=())

    @field_validator("policy")
    @classmethod
    def _readable(cls, value: str | list[str]) -> str | list[str]:
        paths = [value] if isinstance(value, str) else value
        if not paths:
            raise ValueError("name at least one policy file")
        policies = [read_policy(p) for p in paths]
        if len({p.id for p in policies}) > 1:
            raise ValueError("the versions must share one policy id")
        dates = [p.effective for p in policies]
        if dates != sorted(dates) or len(set(dates)) < len(dates):
            raise ValueError("list the versions in order of their effective dates, each once")
        for path, p in zip(paths, policies, strict=True):
            for rule in p.history:
                if rule.counts != "convicted":
                    raise ValueError(
                        f"{path}: history rule {rule.name!r} counts {rule.counts!r}; the "
                        "synthesizer models convictions and pending cases only"
                    )
            diverted = set(p.offenses.eligible)
            for rule in p.compiled.history:
                if rule.codes is not None and rule.codes & diverted:
                    raise ValueError(
                        f"{path}: {rule.rule_id} counts codes the policy also diverts "
                        f"({', '.join(sorted(rule.codes & diverted))}); the synthesizer "
                        "cannot tell which of those earlier arrests became convictions"
                    )
        return value

    @model_validator(mode="after")
    def _load(self) -> Eligibility:
        paths = [self.policy] if isinstance(self.policy, str) else self.policy
        self._policies = tuple(read_policy(p) for p in paths)
        return self

    @property
    def policies(self) -> tuple[Policy, ...]:
        """The validated versions, oldest first."""
        return self._policies


class Program(_Strict):
    launch_date: dt.date = dt.date(2011, 10, 1)  # Seattle, October 2011
    community_referrals_per_month_per_100k: NonNeg = 1.0  # illustrative, where the policy opens it
    # Illustrative; tuned so the caps bind in the second program year.
    case_managers_per_100k: NonNeg = 1.5
    caseload_target: Count = 20  # "LEAD averages up to 20 per case manager"
    caseload_hard_cap: Count = 25  # "should never exceed 25"
    handoff_median_minutes: Positive = 30.0  # warm hand-off target ~30 minutes
    handoff_sigma: NonNeg = 0.6
    intake_completion: Prob = 0.80  # illustrative: share who ever complete intake
    intake_mean_days: Positive = 10.0  # mean delay among completers (exponential)
    prosecutor_files_if_missed: Prob = 0.5  # "the prosecutor *may* file"
    mean_months_enrolled: Positive = 18.0  # illustrative; Seattle followed 18 months
    active_to_inactive: Prob = 0.12  # monthly; active <-> inactive, nobody fails out
    inactive_to_active: Prob = 0.35
    contacts_per_active_month: NonNeg = 4.0  # street-based case management, illustrative
    contacts_per_inactive_month: NonNeg = 0.5
    service_referrals_per_active_month: NonNeg = 0.4
    meeting_every_days: Count = 14  # the operational work group: weekly or every other week


class Outcomes(_Strict):
    """Monthly housing, employment and income: the share in the month before referral and
    the odds ratio for any month of follow-up against it (Clifasefi, Lonczak & Collins
    2016/2017: sheltered OR > 2, permanent housing 1.89, employment continuum 1.46, income
    or benefits 1.33). Baseline shares are illustrative."""

    sheltered_baseline: Prob = 0.30
    sheltered_odds_ratio: Positive = 2.2  # "more than twice"
    permanent_baseline: Prob = 0.12
    permanent_odds_ratio: Positive = 1.89
    employment_baseline: Prob = 0.20
    employment_odds_ratio: Positive = 1.46
    income_baseline: Prob = 0.45
    income_odds_ratio: Positive = 1.33
    mean_monthly_income: NonNeg = 800.0  # illustrative, among those with income

    @model_validator(mode="after")
    def _housing_nests(self) -> Outcomes:
        if self.permanent_baseline > self.sheltered_baseline:
            raise ValueError("permanent_baseline is above sheltered_baseline")
        if odds_shift(self.permanent_baseline, self.permanent_odds_ratio) > odds_shift(
            self.sheltered_baseline, self.sheltered_odds_ratio
        ):
            raise ValueError("permanent housing in follow-up would exceed being sheltered")
        return self


def odds_shift(p: float, odds_ratio: float) -> float:
    """The probability whose odds are `odds_ratio` times those of p.

    >>> round(odds_shift(0.5, 3.0), 2)
    0.75
    """
    odds = p / (1 - p) * odds_ratio if p < 1 else float("inf")
    return odds / (1 + odds) if odds != float("inf") else 1.0


class Effect(_Strict):
    """The program's effect on re-arrest depends on engagement, month by month.

    In a month after intake the person's arrest hazard is multiplied by
    full_engagement_hazard_ratio ** min(1, contacts that month / full_engagement_contacts):
    the effect grows with case-manager contact, so active months (more contacts) protect
    more than inactive ones. Before intake it is 1; after exit, after_exit_hazard_ratio.
    The defaults give a true odds ratio of any arrest in the 6 months after intake near
    Seattle's 0.40 (Collins, Lonczak & Clifasefi 2017); truth.json states it. Felony
    charges, jail days and prison fall only through the arrests prevented.
    """

    full_engagement_hazard_ratio: Annotated[float, Field(gt=0.0, le=1.0)] = 0.10
    full_engagement_contacts: Positive = 4.0
    after_exit_hazard_ratio: Annotated[float, Field(gt=0.0, le=1.0)] = 0.8


class Justice(_Strict):
    felony_drug_possession: Prob = 0.4  # illustrative; varies by state
    felony_drug_sale: Prob = 0.9
    # Theft and property damage above this value are felonies (Washington: $750).
    felony_value_dollars: NonNeg = 750.0
    felony_weapons: Prob = 0.5
    file_felony: Prob = 0.85
    file_misdemeanor: Prob = 0.65
    convict: Prob = 0.6
    dismiss: Prob = 0.3  # the rest split between acquittal and deferral
    disposition_mean_days: Positive = 90.0
    pretrial_days_felony: NonNeg = 12.0  # mean, illustrative
    pretrial_days_misdemeanor: NonNeg = 2.0
    sentence_days_felony: NonNeg = 60.0
    sentence_days_misdemeanor: NonNeg = 10.0
    prison_given_felony_conviction: Prob = 0.25  # illustrative
    prison_mean_days: Positive = 700.0
    court_events_per_charge: NonNeg = 2.5
    failure_to_appear: Prob = 0.15  # per filed charge; a warrant follows
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
    """Unit costs in dollars. Jail days follow King County's published daily rates; the
    program month falls with scale (fixed costs spread over more participants)."""

    booking: NonNeg = 250.0  # illustrative
    # King County jail daily rate: $110.52 (2010), $119.62 (2011), $205 (2021), $220 (2022)
    # (King County Executive 2010; Center Square); linear between, flat outside.
    jail_day_by_year: dict[int, Positive] = Field(
        default_factory=lambda: {2010: 110.52, 2011: 119.62, 2021: 205.0, 2022: 220.0}
    )
    prosecution_per_charge: NonNeg = 1200.0  # illustrative
    defense_per_charge: NonNeg = 900.0  # illustrative
    court_event: NonNeg = 300.0  # illustrative
    # Program cost per participant-month = per_participant_month + fixed_per_month / mean
    # participants that year: Seattle's $899 falling to $532 (Collins et al. 2019).
    program_fixed_per_month: NonNeg = 30_000.0
    program_per_participant_month: NonNeg = 50.0

    @field_validator("jail_day_by_year")
    @classmethod
    def _some_year(cls, value: dict[int, float]) -> dict[int, float]:
        if not value:
            raise ValueError("give the jail day rate for at least one year")
        return value


class Calibration(_Strict):
    # The published figures this county is checked against (divert synth
    # --calibration-report); relative paths count from the repository root.
    targets: str | None = "scenarios/targets/seattle.toml"


class Surveys(_Strict):
    """Yearly legitimacy surveys from launch (illustrative): every area's community, the
    LEAD areas' officers, the participants enrolled by the survey day."""

    community_per_area: Count = 40
    officer_share: Prob = 0.5
    participant_share: Prob = 0.3
    # Mean 1-5 score and spread, by who answers: illustrative, no published baseline.
    mean_score: dict[str, Annotated[float, Field(ge=1, le=5)]] = Field(
        default_factory=lambda: {"community": 3.1, "participant": 3.4, "officer": 3.5}
    )
    score_sd: NonNeg = 0.9

    @field_validator("mean_score")
    @classmethod
    def _every_group(cls, v: dict[str, float]) -> dict[str, float]:
        wanted = {"community", "participant", "officer"}
        if set(v) != wanted:
            raise ValueError(f"must name exactly {sorted(wanted)}")
        return v


class Dispatch(_Strict):
    """Calls for service about disorder, drugs and sex work, and complaints against police,
    per area and month (illustrative: no LEAD evaluation published them). From an area's
    launch on, its rates are multiplied by the program's ratios: the true difference in
    differences that truth.json states."""

    calls_per_1000_month: NonNeg = 8.0
    call_kinds: dict[str, Prob] = Field(
        default_factory=lambda: {"disorder": 0.6, "drugs": 0.3, "sex_work": 0.1}
    )
    complaints_per_1000_year: NonNeg = 0.6
    program_calls_ratio: Positive = 0.9
    program_complaints_ratio: Positive = 0.85

    @field_validator("call_kinds")
    @classmethod
    def _shares(cls, v: dict[str, float]) -> dict[str, float]:
        if not v or abs(sum(v.values()) - 1) > 1e-9:
            raise ValueError("the shares must add up to 1")
        return v


class Scenario(_Strict):
    name: str = "default"
    # The county size the scenario is calibrated at; `divert synth --residents/--years`
    # override it.
    residents: Annotated[int, Field(ge=1000)] = 200_000
    years: Annotated[int, Field(ge=1, le=30)] = 3
    county: County = Field(default_factory=County)
    behaviour: Behaviour = Field(default_factory=Behaviour)
    drugs: Drugs = Field(default_factory=Drugs)
    disparity: Disparity = Field(default_factory=Disparity)
    police: Police = Field(default_factory=Police)
    flags: Flags = Field(default_factory=Flags)
    eligibility: Eligibility = Field(default_factory=Eligibility)
    program: Program = Field(default_factory=Program)
    outcomes: Outcomes = Field(default_factory=Outcomes)
    effect: Effect = Field(default_factory=Effect)
    justice: Justice = Field(default_factory=Justice)
    noise: Noise = Field(default_factory=Noise)
    costs: Costs = Field(default_factory=Costs)
    calibration: Calibration = Field(default_factory=Calibration)
    surveys: Surveys = Field(default_factory=Surveys)
    dispatch: Dispatch = Field(default_factory=Dispatch)

    @model_validator(mode="after")
    def _consistent(self) -> Scenario:
        lead = [a.name for a in self.county.areas if a.lead]
        if not lead:
            raise ValueError("county.areas: at least one area must have lead = true")
        if len({a.name for a in self.county.areas}) < len(self.county.areas):
            raise ValueError("county.areas: area names must be unique")
        if self.program.launch_date < self.county.start_date:
            raise ValueError("program.launch_date is before county.start_date")
        if self.program.caseload_hard_cap < self.program.caseload_target:
            raise ValueError("program.caseload_hard_cap is below program.caseload_target")
        for p in self.eligibility.policies:
            outside = sorted(set(lead) - set(p.program_areas)) if p.program_areas else []
            if outside:
                raise ValueError(
                    f"eligibility.policy: {p.id} {p.version} serves {p.program_areas}, but "
                    f"the LEAD areas {outside} are not among them"
                )
        return self

    @property
    def drug_disparity_range(self) -> tuple[float, float, str]:
        """The published range the drug-arrest ratio is checked against, and its source."""
        v = self.disparity.drug_arrest_ratio
        if isinstance(v, str):
            _, low, high, source = DRUG_DISPARITY_PRESETS[v]
            return low, high, source
        return 0.85 * float(v), 1.15 * float(v), "the scenario's own value, within 15%"


def _dotted(loc: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in loc) or "(scenario)"


def scenario_from_dict(data: dict[str, Any]) -> Scenario:
    """Validate a scenario mapping; ScenarioError names each bad key as a dotted path.

    >>> scenario_from_dict({"effect": {"after_exit_hazard_ratio": 0.9}}).effect.after_exit_hazard_ratio
    0.9
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
