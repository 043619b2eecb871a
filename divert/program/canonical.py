"""One site's live rows as the canonical tables (docs/data-model.md) the evaluation reads.

`site_tables(jurisdiction)` reads only that jurisdiction's rows through the ORM (SQLite or
PostgreSQL alike) and returns pandas frames in the canonical layout; `site_source` loads them
into an in-memory DuckDB, so the same Ibis metric code runs on the live database.

What the live database does not hold is left out, and the metrics that need it say so
("not estimable"): population, costs, officers' buy-in. `amenable` (the officer's
judgment) is not recorded: null. Names are not copied:
no metric needs them. Where the live rows answer a canonical column only in part:

- `eligible` is the officer's screening decision (null for an encounter never screened);
  the screening already applies the policy's green-light windows, so `green_light` is true.
- `probable_cause` is false for social contacts (outcome `referred`, or a referral by that
  pathway) and true otherwise.
- `lead_active`: the encounter's area had LEAD on that local date (`Area.lead_since`).
- Timestamps are naive site-local times; dates (intake, exit) are midnight of that day.
"""

from __future__ import annotations

import datetime
from typing import Any

import pandas as pd

from divert.assessment.measures import monthly_status_values
from divert.assessment.models import Reassessment
from divert.casework.models import Contact, Enrollment, StatusChange
from divert.evaluation.source import Source, from_frames, spark_backend
from divert.field.models import Encounter, Offense, Referral, Screening
from divert.jurisdictions.clock import site_today
from divert.jurisdictions.models import Area, Jurisdiction
from divert.meetings.models import Meeting
from divert.people.models import Person
from divert.surveys.models import Survey, SurveyResponse

_CONTACT_KIND = {"phone": "phone", "office": "office"}  # by place; the rest met on the street


def _local(values: Any, tz: str) -> pd.Series:
    """Aware datetimes as naive site-local ones (NaT for None)."""
    s = pd.to_datetime(pd.Series(list(values), dtype=object), utc=True)
    return s.dt.tz_convert(tz).dt.tz_localize(None).astype("datetime64[ns]")


def _midnight(values: Any) -> pd.Series:
    return pd.to_datetime(pd.Series(list(values), dtype=object)).astype("datetime64[ns]")


def _shift(hour: int) -> str:
    if hour < 7 or hour >= 23:
        return "night"
    return "day" if hour < 15 else "evening"


def _frame(rows: list, columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns)


def site_tables(jurisdiction: Jurisdiction) -> dict[str, pd.DataFrame]:
    """The canonical tables of one site; no other site's row can enter them."""
    site, tz = jurisdiction.pk, jurisdiction.timezone
    t: dict[str, pd.DataFrame] = {}

    areas = list(
        Area.objects.filter(jurisdiction_id=site)
        .order_by("pk")
        .values_list("pk", "name", "lead_since")
    )
    since = {pk: s for pk, _, s in areas}
    t["areas"] = pd.DataFrame(
        {
            "area_id": pd.Series([a[0] for a in areas], dtype="int64"),
            "name": pd.Series([a[1] for a in areas], dtype=object),
            "lead_area": pd.Series([a[2] is not None for a in areas], dtype="bool"),
            "lead_launch": _midnight(a[2] for a in areas),
        }
    )

    people = list(
        Person.objects.filter(jurisdiction_id=site)
        .order_by("pk")
        .values_list("pk", "date_of_birth", "race", "ethnicity", "sex")
    )
    t["persons"] = pd.DataFrame(
        {
            "person_id": pd.Series([p[0] for p in people], dtype="int64"),
            "dob": _midnight(p[1] for p in people),
            "race": pd.Series([p[2] or None for p in people], dtype=object),
            "ethnicity": pd.Series([p[3] or None for p in people], dtype=object),
            "sex": pd.Series([p[4] or None for p in people], dtype=object),
        }
    )

    referrals = list(
        Referral.objects.filter(jurisdiction_id=site)
        .order_by("pk")
        .values_list(
            "pk",
            "person_id",
            "pathway",
            "encounter_id",
            "encounter__officer_id",
            "referred_at",
            "handed_off_at",
            "capacity_refused",
        )
    )
    enrollment_of = dict(
        Enrollment.objects.filter(jurisdiction_id=site, referral__isnull=False).values_list(
            "referral_id", "pk"
        )
    )
    pathway_of_encounter = {r[3]: r[2] for r in referrals if r[3] is not None}

    encounters = list(
        Encounter.objects.filter(jurisdiction_id=site, person__isnull=False)
        .order_by("pk")
        .values_list("pk", "person_id", "officer_id", "area_id", "occurred_at", "outcome")
    )
    screened = dict(
        Screening.objects.filter(jurisdiction_id=site, encounter__isnull=False).values_list(
            "encounter_id", "eligible"
        )
    )
    at = _local((e[4] for e in encounters), tz)
    social = [
        e[5] == "referred" or pathway_of_encounter.get(e[0]) == "social_contact" for e in encounters
    ]
    t["encounters"] = pd.DataFrame(
        {
            "encounter_id": pd.Series([e[0] for e in encounters], dtype="int64"),
            "person_id": pd.Series([e[1] for e in encounters], dtype="int64"),
            "officer_id": pd.Series([e[2] for e in encounters], dtype="Int64"),
            "area_id": pd.Series([e[3] for e in encounters], dtype="Int64"),
            "occurred_at": at,
            "shift": pd.Series([_shift(h) for h in at.dt.hour], dtype=object),
            "probable_cause": pd.Series([not s for s in social], dtype="bool"),
            "action": pd.Series([e[5] for e in encounters], dtype=object),
            "eligible": pd.Series([screened.get(e[0]) for e in encounters], dtype="boolean"),
            "lead_active": pd.Series(
                [
                    since.get(e[3]) is not None and since[e[3]] <= d.date()
                    for e, d in zip(encounters, at, strict=True)
                ],
                dtype="bool",
            ),
            "green_light": pd.Series([True] * len(encounters), dtype="bool"),
            "amenable": pd.Series([None] * len(encounters), dtype="boolean"),
            "pathway": pd.Series(
                [pathway_of_encounter.get(e[0]) for e in encounters], dtype=object
            ),
        }
    )
    offenses = list(
        Offense.objects.filter(encounter__jurisdiction_id=site, encounter__person__isnull=False)
        .order_by("encounter_id", "pk")
        .values_list("encounter_id", "nibrs", "activity", "drug", "grams")
    )
    seq: dict[int, int] = {}
    rows = []
    for eid, nibrs, activity, drug, grams in offenses:
        seq[eid] = seq.get(eid, 0) + 1
        rows.append(
            (
                eid,
                seq[eid],
                nibrs,
                activity or None,
                drug or None,
                None if grams is None else float(grams),
            )
        )
    t["encounter_offenses"] = _frame(
        rows, ["encounter_id", "seq", "nibrs", "activity", "drug", "grams"]
    ).astype({"encounter_id": "int64", "seq": "int64", "grams": "float64"})

    ref_at = _local((r[5] for r in referrals), tz)
    handoff = [(r[6] - r[5]).total_seconds() / 60 if r[6] is not None else None for r in referrals]
    t["referrals"] = pd.DataFrame(
        {
            "referral_id": pd.Series([r[0] for r in referrals], dtype="int64"),
            "person_id": pd.Series([r[1] for r in referrals], dtype="int64"),
            "pathway": pd.Series([r[2] for r in referrals], dtype=object),
            "encounter_id": pd.Series([r[3] for r in referrals], dtype="Int64"),
            # The officer of the encounter: a community referral has none.
            "officer_id": pd.Series([r[4] for r in referrals], dtype="Int64"),
            "referred_at": ref_at,
            "handoff_minutes": pd.Series(handoff, dtype="float64"),
            "capacity_refused": pd.Series([r[7] for r in referrals], dtype="bool"),
            "enrollment_id": pd.Series([enrollment_of.get(r[0]) for r in referrals], dtype="Int64"),
        }
    )
    t["officers"] = _officers(t["encounters"])
    t |= _casework(jurisdiction)
    return t


def _officers(encounters: pd.DataFrame) -> pd.DataFrame:
    """Officers who met someone, placed in the area and shift they met people in most."""
    e = encounters[encounters.officer_id.notna()]
    columns = {"officer_id": "int64", "area_id": "Int64", "shift": object}
    if e.empty:
        return pd.DataFrame({c: pd.Series(dtype=d) for c, d in columns.items()})
    mode = e.groupby("officer_id").agg(
        area_id=("area_id", lambda s: s.mode().iloc[0] if s.notna().any() else pd.NA),
        shift=("shift", lambda s: s.mode().iloc[0]),
    )
    return mode.reset_index().astype(columns)


def _casework(jurisdiction: Jurisdiction) -> dict[str, pd.DataFrame]:
    site, tz = jurisdiction.pk, jurisdiction.timezone
    t: dict[str, pd.DataFrame] = {}
    enrollments = list(
        Enrollment.objects.filter(jurisdiction_id=site)
        .order_by("pk")
        .values_list(
            "pk",
            "person_id",
            "referral_id",
            "case_manager_id",
            "referral__referred_at",
            "referred_on",
            "intake_due_on",
            "intake_completed_on",
            "exited_on",
            "status",
            "exit_reason",
        )
    )
    referred_at = _local((e[4] for e in enrollments), tz)
    referred_at = referred_at.fillna(_midnight(e[5] for e in enrollments))
    t["enrollments"] = pd.DataFrame(
        {
            "enrollment_id": pd.Series([e[0] for e in enrollments], dtype="int64"),
            "person_id": pd.Series([e[1] for e in enrollments], dtype="int64"),
            "referral_id": pd.Series([e[2] for e in enrollments], dtype="Int64"),
            "case_manager_id": pd.Series([e[3] for e in enrollments], dtype="Int64"),
            "referred_at": referred_at,
            "intake_at": _midnight(e[7] for e in enrollments),
            "exited_at": _midnight(e[8] for e in enrollments),
            "status": pd.Series([e[9] for e in enrollments], dtype=object),
            "exit_reason": pd.Series([e[10] or None for e in enrollments], dtype=object),
        }
    )
    due = [e for e in enrollments if e[6] is not None]
    t["intakes"] = pd.DataFrame(
        {
            "enrollment_id": pd.Series([e[0] for e in due], dtype="int64"),
            "person_id": pd.Series([e[1] for e in due], dtype="int64"),
            "due_at": _midnight(e[6] for e in due),
            "deadline_days": pd.Series([(e[6] - e[5]).days for e in due], dtype="int64"),
            "completed_at": _midnight(e[7] for e in due),
            "deadline_met": pd.Series(
                [e[7] is not None and e[7] <= e[6] for e in due], dtype="bool"
            ),
        }
    )
    cms = sorted({e[3] for e in enrollments if e[3] is not None})
    t["case_managers"] = pd.DataFrame(
        {
            "case_manager_id": pd.Series(cms, dtype="int64"),
            "caseload_target": pd.Series([jurisdiction.caseload_target] * len(cms), dtype="int64"),
            "caseload_hard_cap": pd.Series([jurisdiction.caseload_cap] * len(cms), dtype="int64"),
        }
    )
    changes = StatusChange.objects.filter(enrollment__jurisdiction_id=site)
    undone = set(changes.filter(undoes__isnull=False).values_list("undoes_id", flat=True))
    kept = [
        c
        for c in changes.filter(undoes__isnull=True)
        .order_by("enrollment_id", "changed_on", "pk")
        .values_list("pk", "enrollment_id", "to_status", "changed_on")
        if c[0] not in undone
    ]
    seq: dict[int, int] = {}
    rows = []
    for _, eid, status, on in kept:
        seq[eid] = seq.get(eid, 0) + 1
        rows.append((eid, seq[eid], status, on))
    t["enrollment_status"] = pd.DataFrame(
        {
            "enrollment_id": pd.Series([r[0] for r in rows], dtype="int64"),
            "seq": pd.Series([r[1] for r in rows], dtype="int64"),
            "status": pd.Series([r[2] for r in rows], dtype=object),
            "started_at": _midnight(r[3] for r in rows),
        }
    )
    person_of = {e[0]: e[1] for e in enrollments}
    contacts = list(
        Contact.objects.filter(enrollment__jurisdiction_id=site)
        .exclude(kind=Contact.Kind.ATTEMPTED)  # an attempt is no contact
        .order_by("pk")
        .values_list("pk", "enrollment_id", "staff_id", "occurred_at", "place", "kind")
    )
    contacted_at = _local((c[3] for c in contacts), tz)
    t["contacts"] = pd.DataFrame(
        {
            "contact_id": pd.Series([c[0] for c in contacts], dtype="int64"),
            "enrollment_id": pd.Series([c[1] for c in contacts], dtype="int64"),
            "person_id": pd.Series([person_of[c[1]] for c in contacts], dtype="int64"),
            "case_manager_id": pd.Series([c[2] for c in contacts], dtype="int64"),
            "contacted_at": contacted_at,
            "kind": pd.Series([_CONTACT_KIND.get(c[4], "street") for c in contacts], dtype=object),
        }
    )
    t["monthly_status"] = _monthly(site, enrollments, t["contacts"])
    held = list(
        Meeting.objects.filter(jurisdiction_id=site, held_on__lte=site_today(jurisdiction))
        .order_by("pk")
        .values_list("pk", "held_on")
    )
    if held:  # a site that keeps no meeting records in divert has no table: "not estimable"
        t["meetings"] = pd.DataFrame(
            {
                "meeting_id": pd.Series([m[0] for m in held], dtype="int64"),
                "held_on": _midnight(m[1] for m in held),
            }
        )
    scores = _survey_scores(site)
    if len(scores):  # none taken: the survey measures say so
        t["survey_scores"] = scores
    return t


def _survey_scores(site: int) -> pd.DataFrame:
    """One row per response and measure it scored, as the instrument the survey opened with
    reckons agreeing."""
    agree_at = {
        pk: instrument["agree_at"]
        for pk, instrument in Survey.objects.filter(jurisdiction_id=site).values_list(
            "pk", "instrument"
        )
    }
    rows = [
        (pk, survey_id, respondents, area_id, day, measure, score, score >= agree_at[survey_id])
        for pk, survey_id, respondents, area_id, day, scores in SurveyResponse.objects.filter(
            survey__jurisdiction_id=site
        )
        .order_by("pk")
        .values_list(
            "pk", "survey_id", "survey__respondents", "survey__area_id", "answered_on", "scores"
        )
        for measure, score in sorted(scores.items())
    ]
    columns = ["response_id", "survey_id", "respondents", "area_id", "answered_on", "measure"]
    frame = pd.DataFrame(
        {
            **{c: [r[i] for r in rows] for i, c in enumerate(columns)},
            "score": pd.Series([r[6] for r in rows], dtype="float64"),
            "agrees": pd.Series([r[7] for r in rows], dtype="bool"),
        }
    )
    frame["response_id"] = frame["response_id"].astype("int64")
    frame["survey_id"] = frame["survey_id"].astype("int64")
    frame["area_id"] = frame["area_id"].astype("Int64")
    frame["answered_on"] = _midnight(frame["answered_on"])
    return frame


def _month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _monthly(site: int, enrollments: list, contacts: pd.DataFrame) -> pd.DataFrame:
    """Reassessments as monthly_status: the intake one is the baseline row (-1), each later
    one a follow-up month counted from the intake month; contacts are that month's."""
    intake_of = {e[0]: e[7] for e in enrollments}
    person_of = {e[0]: e[1] for e in enrollments}
    per_month = (
        contacts.assign(month=contacts.contacted_at.dt.to_period("M").dt.to_timestamp())
        .groupby(["enrollment_id", "month"])
        .size()
        .to_dict()
    )
    rows = []
    for eid, on, occasion, housing, employment, income in (
        Reassessment.objects.filter(enrollment__jurisdiction_id=site)
        .order_by("enrollment_id", "taken_on")
        .values_list(
            "enrollment_id", "taken_on", "occasion", "housing", "employment", "income_benefits"
        )
    ):
        values = monthly_status_values(housing, employment, income or [])
        month = pd.Timestamp(_month(on))
        start = intake_of.get(eid)
        if occasion == "intake" or start is None:
            since, status, n = -1, "baseline", 0
        else:
            since = (on.year - start.year) * 12 + on.month - start.month
            status, n = "active", int(per_month.get((eid, month), 0))
        rows.append((eid, person_of[eid], month, since, status, n, *values.values()))
    columns = [
        "enrollment_id",
        "person_id",
        "month",
        "months_since_intake",
        "status",
        "contacts",
        "housing",
        "employment_continuum",
        "income_or_benefits",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype(
        {
            "enrollment_id": "int64",
            "person_id": "int64",
            "month": "datetime64[ns]",
            "months_since_intake": "int64",
            "status": object,
            "contacts": "int64",
            "housing": object,
            "employment_continuum": "bool",
            "income_or_benefits": "bool",
        }
    )


def site_source(jurisdiction: Jurisdiction, engine: str = "duckdb") -> Source:
    """The site's canonical tables in an in-memory DuckDB (or a local Spark session), for
    the Ibis metrics."""
    if engine == "spark":
        return from_frames(site_tables(jurisdiction), spark_backend())
    return from_frames(site_tables(jurisdiction))
