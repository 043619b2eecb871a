"""The canonical tables: every column's name, type, unit and meaning.

This dict is the one source of truth. `docs/data-model.md` is rendered from it
(`render_markdown`) and a test fails if the two diverge; `conform` casts a generated
DataFrame to it and raises on a missing or extra column. Importers produce the same layout.

>>> TABLES["bookings"].columns[0].name
'booking_id'
"""

from __future__ import annotations

import re
from dataclasses import astuple, dataclass

import pandas as pd

# Column types, as pandas dtypes. "datetime" is datetime64[ns] (naive, county local time);
# NaT means unknown. "string" is a Python str column; None means missing.
DTYPES = {
    "int64": "int64",
    "Int64": "Int64",  # nullable integer
    "float64": "float64",  # NaN means missing
    "bool": "bool",
    "string": "object",
    "datetime": "datetime64[ns]",
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    unit: str
    meaning: str


@dataclass(frozen=True)
class Table:
    name: str
    meaning: str
    key: tuple[str, ...]  # rows are sorted by this
    columns: tuple[Column, ...]
    truth: bool = False  # truth tables are never produced by importers


def _t(name: str, meaning: str, key: tuple[str, ...], *cols: tuple[str, str, str, str], **kw):
    return Table(name, meaning, key, tuple(Column(*c) for c in cols), **kw)


_ID = "id"
_TABLES = [
    _t(
        "areas",
        "Police/program areas of the county.",
        ("area_id",),
        ("area_id", "int64", _ID, "Area identifier."),
        ("name", "string", "", "Area name."),
        ("lead_area", "bool", "", "True if LEAD operates here."),
        ("lead_launch", "datetime", "date", "Date LEAD started here; NaT if never."),
        ("resident_share", "float64", "fraction", "Share of county residents living here."),
    ),
    _t(
        "population",
        "Resident counts at the start date: the denominator for per-capita rates.",
        ("area_id", "race", "ethnicity", "sex", "age_band"),
        ("area_id", "int64", _ID, "Area."),
        ("race", "string", "white|black|asian|native|other", "Race."),
        ("ethnicity", "string", "hispanic|non_hispanic", "Ethnicity."),
        ("sex", "string", "female|male", "Sex."),
        ("age_band", "string", "years, e.g. 25-34", "Age band at the start date."),
        ("residents", "int64", "people", "Residents in this cell."),
    ),
    _t(
        "persons",
        "Everyone who ever has police contact or a program referral (program-side identity).",
        ("person_id",),
        ("person_id", "int64", _ID, "Program person identifier."),
        ("first_name", "string", "", "First name as the program records it."),
        ("last_name", "string", "", "Surname; may be hyphenated."),
        ("dob", "datetime", "date", "Date of birth."),
        ("race", "string", "white|black|asian|native|other", "Race."),
        ("ethnicity", "string", "hispanic|non_hispanic", "Ethnicity."),
        ("sex", "string", "female|male", "Sex."),
        ("home_area_id", "int64", _ID, "Area of residence."),
        ("substance_use", "bool", "", "Has a substance-use problem."),
        ("sex_work", "bool", "", "Engages in sex work."),
        ("latent_risk", "float64", "SD", "Latent offending risk, standard normal; higher = more."),
    ),
    _t(
        "officers",
        "Police officers.",
        ("officer_id",),
        ("officer_id", "int64", _ID, "Officer identifier."),
        ("area_id", "int64", _ID, "Assigned area."),
        ("shift", "string", "day|evening|night", "Assigned shift: 07-15, 15-23, 23-07 local time."),
        (
            "buy_in",
            "float64",
            "probability",
            "Willingness to divert an eligible person judged amenable (0 = never).",
        ),
    ),
    _t(
        "case_managers",
        "LEAD case managers.",
        ("case_manager_id",),
        ("case_manager_id", "int64", _ID, "Case manager identifier."),
        ("caseload_target", "int64", "people", "Target caseload (average)."),
        ("caseload_hard_cap", "int64", "people", "Caseload never exceeded."),
    ),
    _t(
        "encounters",
        "Police encounters: arrests with probable cause and no-arrest contacts.",
        ("encounter_id",),
        ("encounter_id", "int64", _ID, "Encounter identifier (police report number)."),
        ("person_id", "int64", _ID, "Person."),
        ("officer_id", "int64", _ID, "Officer."),
        ("area_id", "int64", _ID, "Area where it happened."),
        ("occurred_at", "datetime", "datetime", "When it happened."),
        ("shift", "string", "day|evening|night", "Patrol shift of the time of day."),
        ("probable_cause", "bool", "", "True for an arrest; false for a social contact."),
        (
            "action",
            "string",
            "booked|cited|released|diverted|referred|declined",
            "Outcome; declined: offered LEAD and said no (then booked, cited or released).",
        ),
        (
            "eligible",
            "bool",
            "",
            "Eligible under the policy in force, for the pathway this encounter opens (arrest "
            "diversion or social contact), leaving aside only the time and the place.",
        ),
        ("lead_active", "bool", "", "LEAD was operating in this area at this time."),
        (
            "green_light",
            "bool",
            "",
            "The policy's green-light windows allow this pathway at this time and place "
            "(true when it has none); false: a red-light shift.",
        ),
        (
            "amenable",
            "bool",
            "",
            "The officer judged the person amenable to diversion (a judgment, recorded where "
            "the officer screened: eligible, lead_active and green_light; false elsewhere).",
        ),
        ("pathway", "string", "arrest_diversion|social_contact", "Set when diverted/referred."),
    ),
    _t(
        "encounter_offenses",
        "Offenses in an encounter; seq 1 is the primary offense.",
        ("encounter_id", "seq"),
        ("encounter_id", "int64", _ID, "Encounter."),
        ("seq", "int64", "", "1 = primary, 2 = secondary."),
        ("nibrs", "string", "NIBRS code", "Offense code (divert.nibrs)."),
        ("activity", "string", "divert.nibrs.ACTIVITIES", "What the person was doing."),
        ("drug", "string", "divert.nibrs.DRUGS", "Drug for 35A/35B; None otherwise."),
        ("grams", "float64", "grams", "Drug quantity for 35A; NaN otherwise."),
        ("value", "float64", "dollars", "Value of property taken or damaged; NaN otherwise."),
        ("domestic_violence", "bool", "", "An assault on a family or household member."),
    ),
    _t(
        "encounter_flags",
        "What the officer knew at the encounter: flags from records and from the scene.",
        ("encounter_id", "flag"),
        ("encounter_id", "int64", _ID, "Encounter."),
        (
            "flag",
            "string",
            "divert.eligibility.vocabulary.FLAGS",
            "A case flag, e.g. on_probation, restraining_order, school_zone.",
        ),
    ),
    _t(
        "referrals",
        "Attempts to enroll someone not currently enrolled, by any pathway.",
        ("referral_id",),
        ("referral_id", "int64", _ID, "Referral identifier."),
        ("person_id", "int64", _ID, "Person referred."),
        ("pathway", "string", "arrest_diversion|social_contact|community", "Way in."),
        ("encounter_id", "Int64", _ID, "Police encounter; null for community referrals."),
        ("officer_id", "Int64", _ID, "Referring officer; null for community referrals."),
        ("referred_at", "datetime", "datetime", "When the referral was made."),
        ("handoff_minutes", "float64", "minutes", "Time to hand-off to a case manager (arrest)."),
        ("capacity_refused", "bool", "", "Refused because caseloads were at the cap."),
        ("enrollment_id", "Int64", _ID, "Enrollment created; null if refused."),
    ),
    _t(
        "enrollments",
        "Program enrollments. Nobody fails out; status is active or inactive until exit.",
        ("enrollment_id",),
        ("enrollment_id", "int64", _ID, "Enrollment identifier."),
        ("person_id", "int64", _ID, "Participant."),
        ("referral_id", "int64", _ID, "Referral that created it."),
        ("case_manager_id", "int64", _ID, "Assigned case manager."),
        ("referred_at", "datetime", "datetime", "Referral time."),
        ("intake_at", "datetime", "datetime", "Intake completed; NaT if never."),
        ("exited_at", "datetime", "datetime", "Exit; NaT if still enrolled at the end."),
        ("status", "string", "intake_pending|active|inactive|exited", "Status at the end date."),
        (
            "exit_reason",
            "string",
            "divert.casework.lifecycle.EXIT_REASONS, or the policy's [[exit_reasons]]",
            "Why the person left (e.g. committee_termination in Santa Fe); null if not exited.",
        ),
    ),
    _t(
        "enrollment_status",
        "Status history: referred -> intake_pending -> active <-> inactive -> exited.",
        ("enrollment_id", "started_at", "seq"),
        ("enrollment_id", "int64", _ID, "Enrollment."),
        ("seq", "int64", "", "Order within the enrollment."),
        ("status", "string", "referred|intake_pending|active|inactive|exited", "Status."),
        ("started_at", "datetime", "datetime", "When this status began."),
    ),
    _t(
        "intakes",
        "Intake against the local deadline (the diverted charge is not filed if met).",
        ("enrollment_id",),
        ("enrollment_id", "int64", _ID, "Enrollment."),
        ("person_id", "int64", _ID, "Participant."),
        ("due_at", "datetime", "datetime", "Deadline: referral + deadline_days."),
        (
            "deadline_days",
            "int64",
            "days",
            "The intake deadline of the policy in force at referral (Santa Fe: 7).",
        ),
        ("completed_at", "datetime", "datetime", "Intake time; NaT if never completed."),
        ("deadline_met", "bool", "", "Completed on or before due_at."),
    ),
    _t(
        "meetings",
        "Operational work-group meetings held.",
        ("meeting_id",),
        ("meeting_id", "int64", _ID, "Meeting identifier."),
        ("held_on", "datetime", "date", "The day it met (midnight, site time)."),
    ),
    _t(
        "survey_scores",
        "Survey respondents' scores on each measure of a legitimacy survey (one row per "
        "response and measure; anonymous: no person).",
        ("response_id", "measure"),
        ("response_id", "int64", _ID, "Response identifier."),
        ("survey_id", "int64", _ID, "Survey."),
        ("respondents", "string", "participant|officer|community", "Who was asked."),
        ("area_id", "Int64", _ID, "The area the survey asked about; null for the whole site."),
        ("answered_on", "datetime", "date", "The day answered (midnight, site time)."),
        ("measure", "string", "", "Measure key, e.g. legitimacy, procedural_justice."),
        ("score", "float64", "1..scale", "Mean of the measure's items the respondent answered."),
        ("agrees", "bool", "", "The score reaches the instrument's agree point."),
    ),
    _t(
        "calls_for_service",
        "Calls for service about disorder, drugs and sex work, from the dispatch system (no "
        "caller, no person).",
        ("call_id",),
        ("call_id", "int64", _ID, "Call identifier."),
        ("area_id", "int64", _ID, "The area the call came from."),
        ("received_at", "datetime", "datetime", "When dispatch received it."),
        ("kind", "string", "disorder|drugs|sex_work", "What the call was about."),
    ),
    _t(
        "complaints",
        "Complaints against police from the oversight body (no complainant, no officer).",
        ("complaint_id",),
        ("complaint_id", "int64", _ID, "Complaint identifier."),
        ("area_id", "int64", _ID, "The area where the incident complained of happened."),
        ("received_at", "datetime", "datetime", "When the complaint was received."),
    ),
    _t(
        "contacts",
        "Case-manager contacts with participants.",
        ("contact_id",),
        ("contact_id", "int64", _ID, "Contact identifier."),
        ("enrollment_id", "int64", _ID, "Enrollment."),
        ("person_id", "int64", _ID, "Participant."),
        ("case_manager_id", "int64", _ID, "Case manager."),
        ("contacted_at", "datetime", "datetime", "When."),
        ("kind", "string", "street|office|phone", "How."),
    ),
    _t(
        "service_referrals",
        "Referrals from case management to services.",
        ("service_referral_id",),
        ("service_referral_id", "int64", _ID, "Service referral identifier."),
        ("enrollment_id", "int64", _ID, "Enrollment."),
        ("person_id", "int64", _ID, "Participant."),
        ("referred_at", "datetime", "datetime", "When."),
        ("service", "string", "housing|treatment|income|legal|health", "Service domain."),
        ("completed", "bool", "", "The person connected with the service."),
    ),
    _t(
        "monthly_status",
        "One row for the month before referral (the baseline, recorded at intake), then one "
        "per month from intake to exit or the end date; only for completed intakes.",
        ("enrollment_id", "month"),
        ("enrollment_id", "int64", _ID, "Enrollment."),
        ("person_id", "int64", _ID, "Participant."),
        ("month", "datetime", "month start", "Calendar month."),
        ("months_since_intake", "int64", "months", "0 = intake month; -1 on the baseline row."),
        (
            "status",
            "string",
            "baseline|active|inactive",
            "Engagement that month; baseline on the month-before-referral row.",
        ),
        (
            "contacts",
            "int64",
            "contacts",
            "Case-manager contacts that month (the contacts table); 0 on the baseline row.",
        ),
        ("housing", "string", "unsheltered|sheltered|permanent", "Housing at month end."),
        ("employment_continuum", "bool", "", "On the employment continuum."),
        ("income_or_benefits", "bool", "", "Has income or benefits."),
        ("monthly_income", "float64", "dollars", "Income that month; 0 if none."),
    ),
    _t(
        "justice_persons",
        "The jail/court system's own person records, with its noisy identity fields.",
        ("justice_person_id",),
        ("justice_person_id", "int64", _ID, "Justice-system person id (not the program's)."),
        ("first_name", "string", "", "First name as booked."),
        ("last_name", "string", "", "Surname as booked."),
        ("dob", "datetime", "date", "Date of birth; NaT if missing or partial."),
        ("birth_year", "Int64", "year", "Birth year when known (set when dob is partial)."),
        ("sex", "string", "female|male", "Sex as booked."),
        ("race", "string", "white|black|asian|native|other", "Race as booked."),
    ),
    _t(
        "bookings",
        "Jail bookings.",
        ("booking_id",),
        ("booking_id", "int64", _ID, "Booking identifier."),
        ("justice_person_id", "int64", _ID, "Justice person."),
        ("booked_at", "datetime", "datetime", "Booking time."),
        ("area_id", "int64", _ID, "Arresting area."),
        ("first_name", "string", "", "First name as booked (the justice person record's)."),
        ("last_name", "string", "", "Surname as booked."),
        ("dob", "datetime", "date", "Date of birth as booked; NaT if missing or partial."),
        ("sex", "string", "female|male", "Sex as booked."),
        ("race", "string", "white|black|asian|native|other", "Race as booked."),
    ),
    _t(
        "charges",
        "Charges from bookings, and diverted charges filed after a missed intake.",
        ("charge_id",),
        ("charge_id", "int64", _ID, "Charge identifier."),
        ("booking_id", "Int64", _ID, "Booking; null for a diverted charge filed later."),
        ("justice_person_id", "int64", _ID, "Justice person."),
        ("nibrs", "string", "NIBRS code", "Offense."),
        ("severity", "string", "felony|misdemeanor", "Charge level."),
        ("domestic_violence", "bool", "", "Charged as domestic violence."),
        ("filed", "bool", "", "The prosecutor filed the charge."),
        ("filed_at", "datetime", "datetime", "Filing time; NaT if not filed."),
        ("source", "string", "booking|missed_intake", "Where the charge came from."),
        ("court_events", "int64", "hearings", "Court events for this charge (0 if not filed)."),
    ),
    _t(
        "dispositions",
        "Outcomes of filed charges.",
        ("charge_id",),
        ("charge_id", "int64", _ID, "Charge."),
        ("disposition", "string", "convicted|dismissed|acquitted|deferred", "Outcome."),
        ("disposed_at", "datetime", "datetime", "When."),
        ("sentence_jail_days", "int64", "days", "Jail sentence; 0 unless convicted to jail."),
        ("sentence_prison_days", "int64", "days", "Prison sentence; 0 unless sent to prison."),
    ),
    _t(
        "jail_stays",
        "Time in jail per booking (pretrial plus any sentence).",
        ("jail_stay_id",),
        ("jail_stay_id", "int64", _ID, "Stay identifier."),
        ("booking_id", "int64", _ID, "Booking."),
        ("justice_person_id", "int64", _ID, "Justice person."),
        ("admitted_at", "datetime", "datetime", "Admission."),
        ("released_at", "datetime", "datetime", "Release."),
        ("days", "int64", "days", "Jail days (0 = released the same day)."),
    ),
    _t(
        "warrants",
        "Warrants for failure to appear on a filed charge; cleared by the next booking.",
        ("warrant_id",),
        ("warrant_id", "int64", _ID, "Warrant identifier."),
        ("justice_person_id", "int64", _ID, "Justice person."),
        ("charge_id", "int64", _ID, "The charge the person did not appear on."),
        ("issued_at", "datetime", "datetime", "Issued."),
        ("cleared_at", "datetime", "datetime", "Cleared by a booking; NaT if still open."),
        ("cleared_by_booking_id", "Int64", _ID, "The booking that cleared it; null if open."),
    ),
    _t(
        "costs",
        "Unit costs (jail day and program month: the last simulated year's).",
        ("item",),
        (
            "item",
            "string",
            "",
            "booking|jail_day|prosecution_per_charge|defense_per_charge|court_event|program_month.",
        ),
        ("unit", "string", "", "What one unit is."),
        ("dollars", "float64", "dollars", "Cost of one unit."),
        ("source", "string", "", "Where the figure comes from."),
    ),
    _t(
        "costs_by_year",
        "Costs that change by calendar year.",
        ("year",),
        ("year", "int64", "year", "Calendar year."),
        ("jail_day", "float64", "dollars", "Jail bed-day (King County's published rates)."),
        (
            "program_month",
            "float64",
            "dollars",
            "Program cost per participant-month: falls as the program grows; NaN before launch.",
        ),
        ("participant_months", "int64", "months", "Participant-months of follow-up that year."),
    ),
    _t(
        "truth_links",
        "TRUTH. Program person <-> justice person, complete, with the noise applied.",
        ("person_id", "justice_person_id"),
        ("person_id", "int64", _ID, "Program person."),
        ("justice_person_id", "int64", _ID, "Justice person (a person may have several)."),
        ("typo", "bool", "", "A name has a one-character typo."),
        ("nickname", "bool", "", "First name replaced by a nickname (Robert -> Bob)."),
        ("swapped_names", "bool", "", "First and last names swapped."),
        ("hyphenated_surname", "bool", "", "Surname hyphenated or de-hyphenated."),
        ("dob_missing", "bool", "", "DOB missing."),
        ("dob_partial", "bool", "", "Only birth year kept."),
        ("dob_transposed", "bool", "", "Two DOB digits/fields transposed."),
        ("race_mismatch", "bool", "", "Race recorded differently."),
        truth=True,
    ),
    _t(
        "truth_persons",
        "TRUTH. Latent rates and the realized program effect per person.",
        ("person_id",),
        ("person_id", "int64", _ID, "Program person."),
        (
            "arrest_rate",
            "float64",
            "per year",
            "Expected arrests per year without the program (behaviour, risk, enforcement).",
        ),
        ("drug_enforcement_factor", "float64", "ratio", "Race multiplier on drug encounters."),
        ("enforcement_factor", "float64", "ratio", "Race multiplier on other encounters."),
        ("treated_from", "datetime", "datetime", "First completed intake; NaT if never."),
        ("potential_after", "int64", "arrests", "Arrests after treated_from without LEAD."),
        ("realized_after", "int64", "arrests", "Arrests after treated_from that happened."),
        truth=True,
    ),
    _t(
        "truth_prior_record",
        "TRUTH. Convictions before the start date, as the court record holds them.",
        ("person_id", "convicted_at", "nibrs"),
        ("person_id", "int64", _ID, "Program person."),
        ("nibrs", "string", "NIBRS code", "Offense."),
        ("convicted_at", "datetime", "date", "Conviction date."),
        ("domestic_violence", "bool", "", "A domestic-violence conviction."),
        truth=True,
    ),
    _t(
        "truth_bookings",
        "TRUTH. Which police encounter and program person each booking came from.",
        ("booking_id",),
        ("booking_id", "int64", _ID, "Booking."),
        ("encounter_id", "int64", _ID, "Encounter."),
        ("person_id", "int64", _ID, "Program person."),
        truth=True,
    ),
]

TABLES: dict[str, Table] = {t.name: t for t in _TABLES}


class SchemaError(ValueError):
    """A generated or imported table that does not match its documented schema."""


def conform(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """Order, cast and sort `df` as table `name` documents; raise on missing/extra columns.

    >>> conform("costs", pd.DataFrame({"item": ["a"], "unit": ["u"], "dollars": [1], "source": [""]})).dollars.dtype
    dtype('float64')
    """
    table = TABLES[name]
    names = [c.name for c in table.columns]
    missing, extra = set(names) - set(df.columns), set(df.columns) - set(names)
    if missing or extra:
        raise SchemaError(f"{name}: missing {sorted(missing)}, extra {sorted(extra)}")
    types = {c.name: DTYPES[c.type] for c in table.columns}
    changed = {k: v for k, v in types.items() if str(df[k].dtype) != v}
    # Built in the documented order and types already: no copy of millions of rows.
    out = df if list(df.columns) == names else df[names]
    if changed:
        out = out.astype(changed)
    key = list(table.key)
    # Most tables are built in key order already: skip a sort of millions of rows then.
    if len(key) == 1 and out[key[0]].is_monotonic_increasing:
        plain = isinstance(out.index, pd.RangeIndex) and out.index.start == 0
        return out if plain and out.index.step == 1 else out.reset_index(drop=True)
    return out.sort_values(key, kind="stable").reset_index(drop=True)


def check(name: str, df: pd.DataFrame) -> list[str]:
    """Differences between `df` and the schema of `name` (empty list = matches)."""
    table = TABLES[name]
    problems = []
    if list(df.columns) != [c.name for c in table.columns]:
        problems.append(f"{name}: columns {list(df.columns)}")
    for c in table.columns:
        if c.name in df.columns and str(df[c.name].dtype) != DTYPES[c.type]:
            problems.append(f"{name}.{c.name}: dtype {df[c.name].dtype}, documented {c.type}")
    return problems


def _esc(cell: str) -> str:
    return cell.replace("|", "\\|")


def _unesc(cell: str) -> str:
    return cell.replace("\\|", "|")


def render_markdown() -> str:
    """The table reference section of docs/data-model.md."""
    parts = []
    for t in _TABLES:
        parts.append(f"### `{t.name}`\n\n{t.meaning} Sorted by {', '.join(t.key)}.\n")
        parts.append("| column | type | unit | meaning |\n|---|---|---|---|")
        parts += ["| " + " | ".join(_esc(v) for v in astuple(c)) + " |" for c in t.columns]
        parts.append("")
    return "\n".join(parts)


def parse_markdown(text: str) -> dict[str, list[tuple[str, str, str, str]]]:
    """Read the `### \\`table\\`` sections of docs/data-model.md back into rows."""
    tables: dict[str, list[tuple[str, str, str, str]]] = {}
    current = None
    for line in text.splitlines():
        if line.startswith("### `") and line.rstrip().endswith("`"):
            current = line.strip()[5:-1]
            tables[current] = []
        elif current and line.startswith("| ") and not line.startswith("| column"):
            cells = [_unesc(c.strip()) for c in re.split(r"(?<!\\)\|", line.strip()[1:-1])]
            if len(cells) == 4:
                tables[current].append((cells[0], cells[1], cells[2], cells[3]))
    return tables


def update_doc(path: str) -> None:
    """Rewrite the reference section (everything after "## Tables") of docs/data-model.md."""
    with open(path) as f:
        text = f.read()
    head, sep, _ = text.partition("## Tables\n")
    if not sep:
        raise SystemExit(f"{path}: no '## Tables' heading")
    with open(path, "w") as f:
        f.write(head + sep + "\n" + render_markdown())


if __name__ == "__main__":
    import sys

    update_doc(sys.argv[1] if len(sys.argv) > 1 else "docs/data-model.md")
