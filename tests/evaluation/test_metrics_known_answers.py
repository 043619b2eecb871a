"""Every metric against counts made by hand on the tiny county (conftest), on every engine."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from divert.evaluation import stats
from divert.evaluation.compute import run
from divert.evaluation.registry import all_metrics
from divert.evaluation.source import Source

END = 1609416000  # 2020-12-31 12:00, the last encounter
YEAR = 365.25 * 86400
INTAKES = {1: 1579046400, 2: 1581724800, 7: 1601856000}  # 2020-01-15, 02-15, 10-05


def result(key, src, **kw):
    return run(all_metrics()[key], src, **kw)


def by(rows):
    return {r["value"]: (r.get("numerator"), r["n"]) for r in rows}


def test_diversion_rate_counts_only_eligible_arrests_in_program_areas_and_times(tiny):
    r = result("reorient.diversion_rate", tiny)
    assert (r["numerator"], r["n"]) == (2, 5)
    assert r["estimate"] == pytest.approx(0.4)
    assert (r["ci_low"], r["ci_high"]) == pytest.approx(stats.wilson(2, 5))
    assert by(r["breakdowns"]["officer_id"]) == {10: (2, 2), 11: (0, 2), 12: (0, 1)}
    assert by(r["breakdowns"]["shift"]) == {"day": (1, 1), "evening": (1, 3), "night": (0, 1)}
    assert by(r["breakdowns"]["month"])["2020-03"] == (0, 2)
    assert [(t["period"], t["n"]) for t in r["trend"]] == [(2020, 5)]


def test_missed_diversions_give_the_officers_judgment_as_the_reason(tiny):
    r = result("reorient.missed_diversions", tiny)
    assert (r["numerator"], r["n"]) == (2, 5)
    reasons = by(r["breakdowns"]["reason"])
    assert reasons["judged not amenable by the officer"] == (1, 1)
    assert reasons["judged amenable, not offered"] == (1, 4)
    assert by(r["breakdowns"]["officer_id"])[11] == (2, 2)


def test_officer_participation_and_concentration(tiny):
    r = result("reorient.officer_participation", tiny)
    assert (r["numerator"], r["n"]) == (1, 3)  # officers 10, 11, 12 in 2020; only 10 referred
    c = result("reorient.officer_concentration", tiny)
    assert c["estimate"] == 1.0 and c["n"] == 3 and c["units_without_events"] == 2


def test_handoff_within_30_minutes_and_pathway_mix(tiny):
    r = result("reorient.handoff_30min", tiny)
    assert (r["numerator"], r["n"]) == (1, 2)
    m = result("reorient.pathway_mix", tiny)
    assert (m["numerator"], m["n"]) == (2, 3)


def test_rearrest_within_6_months_needs_6_months_of_follow_up(tiny):
    r = result("safety.rearrest_6m", tiny)
    assert (r["numerator"], r["n"]) == (1, 2)


def test_arrests_and_bookings_per_person_year_after_entry(tiny):
    years = sum(END - t for t in INTAKES.values()) / YEAR
    a = result("safety.arrests_after_entry", tiny)
    assert a["numerator"] == 2 and a["n"] == 3
    assert a["estimate"] == pytest.approx(2 / years)
    assert (a["ci_low"], a["ci_high"]) == pytest.approx(stats.poisson_rate(2, years))
    b = result("safety.bookings_after_entry", tiny)
    assert b["numerator"] == 1 and b["estimate"] == pytest.approx(1 / years)


def test_housing_before_and_after(tiny):
    assert result("safety.housed_baseline", tiny)["numerator"] == 0
    r = result("safety.housed_any_followup_month", tiny)
    assert (r["numerator"], r["n"]) == (1, 2)


def test_people_booked_for_eligible_offenses_per_100k(tiny):
    r = result("system.eligible_people_booked", tiny)
    assert r["numerator"] == 5  # area 1: persons 1, 3, 4; area 2: persons 3, 6
    assert r["estimate"] == pytest.approx(5 / (1405 / 100000))
    program = {row["value"]: row for row in r["breakdowns"]["program_area"]}
    assert program[True]["estimate"] == pytest.approx(3 / 0.009)


def test_intake_within_deadline_and_program_cost(tiny):
    r = result("system.intake_within_deadline", tiny)
    assert (r["numerator"], r["n"]) == (2, 3)
    c = result("savings.program_cost_per_participant_month", tiny)
    assert c["estimate"] == pytest.approx(500.0) and c["ci_low"] is None


def test_rri_eligible_to_diverted_against_non_hispanic_white(tiny):
    r = result("equity.rri_diverted", tiny)
    g = r["groups"]
    assert r["reference"] == "white" and r["n"] == 5
    assert (g["white"]["hits"], g["white"]["n"]) == (1, 2)  # Hispanic White person 5 excluded
    assert g["black"]["estimate"] == pytest.approx(1.0)
    assert g["black"]["ci_low"] == pytest.approx(math.exp(-stats.Z))
    assert g["black"]["ci_high"] == pytest.approx(math.exp(stats.Z))
    assert g["hispanic"]["not_estimable"] == "no events in this or the reference group"


def test_rri_population_to_arrest_applies_the_one_percent_rule(tiny):
    g = result("equity.rri_arrest", tiny)["groups"]
    assert g["black"]["estimate"] == pytest.approx((3 / 300) / (2 / 900))
    assert g["hispanic"]["estimate"] == pytest.approx((1 / 200) / (2 / 900))
    assert g["black"]["difference"] == pytest.approx(3 / 300 - 2 / 900)
    assert g["asian"]["not_estimable"] == "under 1% of the base"


def test_a_period_with_nothing_in_it_is_not_estimable_never_zero(tiny):

    r = result("reorient.diversion_rate", tiny, start=dt.date(2021, 1, 1))
    assert r["estimate"] is None and r["not_estimable"] == "no units in the period"
    r = result("reorient.diversion_rate", tiny, start=dt.date(2020, 3, 1), end=dt.date(2020, 4, 1))
    assert (r["numerator"], r["n"]) == (0, 2)


def test_a_missing_table_names_itself(tiny):
    without = Source(tiny.con, tiny.names - {"referrals"}, tiny.engine)
    r = result("reorient.handoff_30min", without)
    assert r["estimate"] is None and r["not_estimable"] == "the data has no table referrals"


def test_data_the_tables_cannot_hold_says_which_data_would_make_it_estimable(tiny):
    r = result("savings.reinvestment", tiny)
    assert r["not_estimable"].startswith("the canonical tables do not hold this; needs ")


def test_calls_whose_times_are_not_dates_say_so(tmp_path):
    from divert.evaluation.source import from_dir
    from tests.evaluation.conftest import tiny_frames

    tiny_frames()["areas"].to_csv(tmp_path / "areas.csv", index=False)
    (tmp_path / "calls_for_service.csv").write_text(
        "call_id,area_id,received_at,kind\n1,1,yesterday,disorder\n2,2,2020-02-01 10:00,drugs\n"
    )
    r = result("reorient.calls_for_service", from_dir(tmp_path))
    assert r["estimate"] is None
    assert r["not_estimable"].startswith(
        "the data has no column calls_for_service.received_at (as dates and times)"
    )


def test_complaints_not_imported_say_which_table_would_make_them_estimable(tiny):
    r = result("relations.complaints", tiny)
    assert r["estimate"] is None
    assert r["not_estimable"].startswith("the data has no table complaints; needs a complaints")


def test_calls_for_service_difference_in_differences_by_hand(tiny):
    r = result("reorient.calls_for_service", tiny)
    # After / before per area-month: program (2 / 2) / (4 / 1), comparison (4 / 2) / (2 / 1);
    # the launch month's 9 and 5 calls left out; March's empty program month counts as 0.
    assert r["estimate"] == pytest.approx(0.25)
    se = math.sqrt(1 / 2 + 1 / 4 + 1 / 4 + 1 / 2)
    assert r["ci_high"] == pytest.approx(0.25 * math.exp(stats.Z * se))
    assert r["n"] == 12
    assert r["cells"]["program areas after launch"] == {
        "events": 2,
        "exposure": pytest.approx(2 / 12),
    }
    later = result("reorient.calls_for_service", tiny, start=dt.date(2020, 2, 1))
    assert later["not_estimable"] == "no program areas before launch in the data"


def test_surveys_not_taken_say_which_table_is_missing(tiny):
    r = result("relations.legitimacy_survey", tiny)
    assert r["estimate"] is None and "survey_scores" in r["not_estimable"]


def test_difference_in_differences_needs_years_before_the_launch(tiny):
    r = result("system.eligible_booked_difference_in_differences", tiny)
    assert r["estimate"] is None
    assert r["not_estimable"] == "no program areas before launch in the data"


def test_difference_in_differences_by_hand():
    from divert.evaluation.compute import did_from_counts

    r = did_from_counts(
        {
            (True, False): (100, 1),
            (True, True): (50, 1),
            (False, False): (80, 2),
            (False, True): (80, 2),
        }
    )
    assert r["estimate"] == pytest.approx(0.5)
    se = math.sqrt(1 / 100 + 1 / 50 + 1 / 80 + 1 / 80)
    assert r["ci_low"] == pytest.approx(0.5 * math.exp(-stats.Z * se))
    assert (
        did_from_counts(
            {
                (True, False): (0, 1),
                (True, True): (5, 1),
                (False, False): (1, 1),
                (False, True): (1, 1),
            }
        )["not_estimable"]
        == "no events in program areas before launch"
    )


def test_rri_by_sex(tiny):
    r = result("equity.rri_diverted", tiny)
    assert set(r["by_sex"]) == {"male"}  # everyone in the tiny county is male
    assert r["by_sex"]["male"]["groups"]["black"]["estimate"] == pytest.approx(1.0)


def test_rri_by_age_group_takes_the_age_at_the_units_date(tiny):
    r = result("equity.rri_diverted", tiny)
    assert set(r["by_age_band"]) == {"35-44"}  # born 1980-01-01, arrested in 2020
    assert r["by_age_band"]["35-44"]["groups"]["black"]["estimate"] == pytest.approx(1.0)
    arrest = result("equity.rri_arrest", tiny)
    # The tiny population counts every resident as 25-34, so that band has no arrests and
    # 35-44 no base; the overall index still counts every person arrested.
    assert arrest["by_age_band"]["25-34"]["groups"]["black"]["hits"] == 0
    assert arrest["by_age_band"]["35-44"]["not_estimable"].startswith("no one at the previous")
    assert (arrest["groups"]["black"]["hits"], arrest["groups"]["white"]["hits"]) == (3, 2)


def test_rri_within_age_groups_by_hand():
    import ibis
    import pandas as pd

    from divert.evaluation.compute import rri

    rows = [("white", "18-24", 10, 100), ("black", "18-24", 20, 100),
            ("white", "25-34", 5, 100), ("black", "25-34", 5, 50)]  # fmt: skip
    t = ibis.memtable(pd.DataFrame(rows, columns=["group", "age_band", "hits", "total"]))
    r = rri(t)
    assert r["groups"]["black"]["estimate"] == pytest.approx((25 / 150) / (15 / 200))
    assert r["by_age_band"]["18-24"]["groups"]["black"]["estimate"] == pytest.approx(2.0)
    assert r["by_age_band"]["25-34"]["groups"]["black"]["estimate"] == pytest.approx(2.0)
    assert r["by_age_band"]["25-34"]["groups"]["black"]["n"] == 50


def monthly(r):
    return {t["period"]: (t.get("numerator"), t["n"]) for t in r["monthly"]}


def test_reorient_measures_have_a_monthly_trend(tiny):
    r = result("reorient.diversion_rate", tiny)
    assert monthly(r) == {"2020-01": (1, 1), "2020-02": (1, 1), "2020-03": (0, 2),
                          "2020-04": (0, 1)}  # fmt: skip
    assert r["monthly_additive"] is True
    missed = result("reorient.missed_diversions", tiny)
    assert monthly(missed)["2020-03"] == (2, 2)
    # The period filter narrows the months too.
    from datetime import date

    narrow = result("reorient.diversion_rate", tiny, start=date(2020, 2, 1), end=date(2020, 4, 1))
    assert list(monthly(narrow)) == ["2020-02", "2020-03"]


def test_officer_participation_by_month_counts_officer_months(tiny):
    r = result("reorient.officer_participation", tiny)
    # Officers 10, 11, 12 in the LEAD area, in the 7 months with a LEAD-active encounter;
    # officer 10 referred in January, February and October.
    assert monthly(r) == {
        "2020-01": (1, 3), "2020-02": (1, 3), "2020-03": (0, 3), "2020-04": (0, 3),
        "2020-06": (0, 3), "2020-09": (0, 3), "2020-10": (1, 3),
    }  # fmt: skip
    assert r["monthly_additive"] is False  # officer-months do not add up to officer-years
    # Measures without a monthly trend carry none.
    assert "monthly" not in result("safety.rearrest_6m", tiny)
