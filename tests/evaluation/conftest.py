"""A tiny hand-made county whose every figure can be counted by hand, loaded into each
engine: DuckDB (default), SQLite, PostgreSQL when DATABASE_URL names one, and a local
Spark session (slow: Java starts once per run)."""

from __future__ import annotations

import os
import uuid

import ibis
import pandas as pd
import pytest

from divert.evaluation.source import from_frames

T = pd.Timestamp


def _enc(rows):
    cols = [
        "encounter_id", "person_id", "officer_id", "area_id", "occurred_at", "shift",
        "probable_cause", "action", "eligible", "lead_active", "green_light", "amenable",
        "pathway",
    ]  # fmt: skip
    return pd.DataFrame([dict(zip(cols, r, strict=True)) for r in rows])


def tiny_frames() -> dict[str, pd.DataFrame]:
    areas = pd.DataFrame(
        {
            "area_id": [1, 2],
            "name": ["Downtown", "North"],
            "lead_area": [True, False],
            "lead_launch": [T("2020-01-01"), pd.NaT],
            "resident_share": [0.5, 0.5],
        }
    )
    population = pd.DataFrame(
        {
            "area_id": [1, 1, 1, 2, 2],
            "race": ["white", "black", "white", "white", "asian"],
            "ethnicity": [
                "non_hispanic",
                "non_hispanic",
                "hispanic",
                "non_hispanic",
                "non_hispanic",
            ],
            "sex": ["male"] * 5,
            "age_band": ["25-34"] * 5,
            "residents": [400, 300, 200, 500, 5],  # asian: 5 of 1,405, under 1%
        }
    )
    persons = pd.DataFrame(
        {
            "person_id": [1, 2, 3, 4, 5, 6, 7],
            "race": ["white", "black", "black", "white", "white", "black", "asian"],
            "ethnicity": ["non_hispanic"] * 4 + ["hispanic", "non_hispanic", "non_hispanic"],
            "sex": ["male"] * 7,
            "dob": [T("1980-01-01")] * 7,
            "home_area_id": [1] * 7,
        }
    )
    officers = pd.DataFrame(
        {
            "officer_id": [10, 11, 12, 20],
            "area_id": [1, 1, 1, 2],
            "shift": ["day", "evening", "night", "day"],
            "buy_in": [0.9, 0.1, 0.0, 0.5],
        }
    )
    # Eligible arrests in program areas and times: encounters 1-5 (2 diverted, 2 booked,
    # 1 cited). The rest fall outside the base in one way each.
    encounters = _enc(
        [
            (
                1,
                1,
                10,
                1,
                T("2020-01-10 08:00"),
                "day",
                True,
                "diverted",
                True,
                True,
                True,
                True,
                "arrest_diversion",
            ),
            (
                2,
                2,
                10,
                1,
                T("2020-02-10 16:00"),
                "evening",
                True,
                "diverted",
                True,
                True,
                True,
                True,
                "arrest_diversion",
            ),
            (
                3,
                3,
                11,
                1,
                T("2020-03-10 16:00"),
                "evening",
                True,
                "booked",
                True,
                True,
                True,
                True,
                None,
            ),
            (
                4,
                4,
                11,
                1,
                T("2020-03-11 16:00"),
                "evening",
                True,
                "booked",
                True,
                True,
                True,
                False,
                None,
            ),
            (
                5,
                5,
                12,
                1,
                T("2020-04-10 23:30"),
                "night",
                True,
                "cited",
                True,
                True,
                True,
                True,
                None,
            ),
            (
                6,
                6,
                12,
                1,
                T("2020-04-11 10:00"),
                "day",
                True,
                "booked",
                False,
                True,
                True,
                False,
                None,
            ),
            (
                7,
                6,
                20,
                2,
                T("2020-05-01 10:00"),
                "day",
                True,
                "booked",
                True,
                False,
                False,
                False,
                None,
            ),
            (
                8,
                1,
                12,
                1,
                T("2020-06-01 10:00"),
                "day",
                True,
                "booked",
                True,
                True,
                False,
                False,
                None,
            ),
            (
                9,
                2,
                10,
                1,
                T("2020-09-15 10:00"),
                "day",
                True,
                "cited",
                False,
                True,
                True,
                False,
                None,
            ),
            (
                10,
                7,
                10,
                1,
                T("2020-10-01 10:00"),
                "day",
                False,
                "referred",
                True,
                True,
                True,
                True,
                "social_contact",
            ),
            (
                11,
                3,
                20,
                2,
                T("2020-12-31 12:00"),
                "day",
                True,
                "booked",
                True,
                False,
                False,
                False,
                None,
            ),
        ]
    )
    encounters["encounter_id"] = encounters.encounter_id.astype("int64")
    referrals = pd.DataFrame(
        {
            "referral_id": [1, 2, 3],
            "person_id": [1, 2, 7],
            "pathway": ["arrest_diversion", "arrest_diversion", "social_contact"],
            "encounter_id": pd.array([1, 2, 10], dtype="Int64"),
            "officer_id": pd.array([10, 10, 10], dtype="Int64"),
            "referred_at": [T("2020-01-10 08:30"), T("2020-02-10 16:30"), T("2020-10-01 10:30")],
            "handoff_minutes": [20.0, 45.0, float("nan")],
            "capacity_refused": [False, False, False],
            "enrollment_id": pd.array([1, 2, 3], dtype="Int64"),
        }
    )
    enrollments = pd.DataFrame(
        {
            "enrollment_id": [1, 2, 3],
            "person_id": [1, 2, 7],
            "referral_id": [1, 2, 3],
            "case_manager_id": [1, 1, 1],
            "referred_at": referrals.referred_at,
            # Person 1 re-arrested 2020-06-01 (within 6 months of intake); person 2's next
            # arrest 2020-09-15 is 213 days on; person 7's intake leaves under 6 months.
            "intake_at": [T("2020-01-15"), T("2020-02-15"), T("2020-10-05")],
            "exited_at": [pd.NaT] * 3,
            "status": ["active"] * 3,
            "exit_reason": [None] * 3,
        }
    )
    intakes = pd.DataFrame(
        {
            "enrollment_id": [1, 2, 3],
            "person_id": [1, 2, 7],
            "due_at": [T("2020-02-09"), T("2020-03-11"), T("2020-10-31")],
            "deadline_days": [30, 30, 30],
            "completed_at": enrollments.intake_at,
            "deadline_met": [True, False, True],
        }
    )
    monthly = pd.DataFrame(
        {
            "enrollment_id": [1, 1, 1, 2, 2],
            "person_id": [1, 1, 1, 2, 2],
            "month": [
                T("2019-12-01"),
                T("2020-01-01"),
                T("2020-02-01"),
                T("2020-01-01"),
                T("2020-02-01"),
            ],
            "months_since_intake": [-1, 0, 1, -1, 0],
            "status": ["baseline", "active", "active", "baseline", "active"],
            "contacts": [0, 4, 3, 0, 2],
            "housing": ["unsheltered", "sheltered", "permanent", "unsheltered", "unsheltered"],
            "employment_continuum": [False] * 5,
            "income_or_benefits": [False] * 5,
            "monthly_income": [0.0] * 5,
        }
    )
    costs_by_year = pd.DataFrame(
        {
            "year": [2019, 2020],
            "jail_day": [100.0, 110.0],
            "program_month": [float("nan"), 500.0],
            "participant_months": [0, 12],
        }
    )
    # Calls per area and month (launch 2020-01, left out): program 4 | (9) | 2, 0; comparison
    # 2 | (5) | 1, 3 in 2019-12 | 2020-01 | 2020-02, 2020-03.
    calls = [(1, "2019-12-0", 4), (1, "2020-01-1", 9), (1, "2020-02-0", 2),
             (2, "2019-12-1", 2), (2, "2020-01-2", 5), (2, "2020-02-1", 1), (2, "2020-03-2", 3)]  # fmt: skip
    received = [T(f"{day}{i + 1} 13:00") for _, day, k in calls for i in range(k)]
    calls_for_service = pd.DataFrame(
        {
            "call_id": range(1, len(received) + 1),
            "area_id": [area for area, _, k in calls for _ in range(k)],
            "received_at": received,
            "kind": ["disorder"] * len(received),
        }
    )
    return {
        "areas": areas,
        "population": population,
        "persons": persons,
        "officers": officers,
        "encounters": encounters,
        "referrals": referrals,
        "enrollments": enrollments,
        "intakes": intakes,
        "monthly_status": monthly,
        "costs_by_year": costs_by_year,
        "calls_for_service": calls_for_service,
    }


ENGINES = ["duckdb", "sqlite", "postgres", pytest.param("spark", marks=pytest.mark.slow)]


@pytest.fixture(params=ENGINES, scope="module")
def tiny(request, tmp_path_factory):
    """The tiny county on each engine (loaded once per module: tests must not change it)."""
    frames = tiny_frames()
    if request.param == "duckdb":
        yield from_frames(frames)
        return
    if request.param == "sqlite":
        yield from_frames(
            frames, ibis.sqlite.connect(tmp_path_factory.mktemp("tiny") / "tiny.sqlite")
        )
        return
    if request.param == "spark":
        session = request.getfixturevalue("spark_session")
        yield from_frames(frames, ibis.pyspark.connect(session))
        return
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.skip("PostgreSQL: set DATABASE_URL=postgresql://...")
    schema = f"eval_{uuid.uuid4().hex[:10]}"
    admin = ibis.connect(url)
    admin.raw_sql(f"CREATE SCHEMA {schema}").close()
    con = ibis.connect(url, options=f"-csearch_path={schema}")
    try:
        yield from_frames(frames, con)
    finally:
        con.disconnect()
        admin.raw_sql(f"DROP SCHEMA {schema} CASCADE").close()
        admin.disconnect()
