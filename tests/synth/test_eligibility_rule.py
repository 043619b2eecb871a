"""The vectorized rule, one fact at a time (the cross-check covers whole counties)."""

from __future__ import annotations

import numpy as np
import pytest

from divert.eligibility import load_policy
from divert.synth.eligibility import (
    Entries,
    Facts,
    calendar_age,
    deployed_policy,
    months_before,
    pending_at,
    screen_all,
    years_before,
)
from divert.synth.police import SALE_FLAGS
from divert.synth.population import PERSON_FLAGS
from divert.synth.scenario import policy_path

TUESDAY_NOON = "2026-03-10T12:00"


def policy(name: str, areas=("Downtown",)):
    return deployed_policy(load_policy(policy_path(f"policies/{name}.toml")), list(areas))


def one(name="seattle-2011", *, history=None, records=None, observed=False, **kw):
    """Screen one encounter; returns (eligible, green_light, in_program_area)."""
    base = dict(
        at=TUESDAY_NOON, area="Downtown", probable_cause=True, category=0, code="35A",
        activity="possess", drug="heroin", grams=1.0, value=np.nan, code2="", age=30,
        sale_flags=(), person_flags=(), pending_violent=False, pending_weapons=False,
    )  # fmt: skip
    base.update(kw)
    at = np.array([base["at"]], dtype="datetime64[s]")
    date = at.astype("datetime64[D]")
    names = ("Downtown", "North", "Tenderloin", "Mission")
    sale = np.array([[f in base["sale_flags"] for f in SALE_FLAGS]])
    person = np.array([[f in base["person_flags"] for f in PERSON_FLAGS]])
    facts = Facts(
        person=np.array([0]), at=at, weekday=(date.astype(np.int64) + 3) % 7,
        minute=(at - date.astype("datetime64[s]")).astype(np.int64) // 60,
        area=np.array([names.index(base["area"])]), area_names=names,
        probable_cause=np.array([base["probable_cause"]]),
        category=np.array([base["category"]]), code=np.array([base["code"]], dtype=object),
        activity=np.array([base["activity"]], dtype=object),
        drug=np.array([base["drug"]], dtype=object), grams=np.array([base["grams"]]),
        value=np.array([base["value"]]), code2=np.array([base["code2"]], dtype=object),
        age=np.array([base["age"]]), sale_flags=sale, person_flags=person,
        pending_violent=np.array([base["pending_violent"]]),
        pending_weapons=np.array([base["pending_weapons"]]),
    )  # fmt: skip
    history = history or []
    facts.convictions = Entries(
        person=np.zeros(len(history), dtype=int),
        seconds=np.array(
            [np.datetime64(d, "s").astype(np.int64) for d, _, _ in history], dtype=np.int64
        ),
        code=np.array([c for _, c, _ in history], dtype=object),
        dv=np.array([dv for _, _, dv in history], dtype=bool),
    )
    records = records or []
    rec = Entries(
        person=np.zeros(len(records), dtype=int),
        seconds=np.array(
            [np.datetime64(d, "s").astype(np.int64) for d, _, _ in records], dtype=np.int64
        ),
        code=np.array([c for _, c, _ in records], dtype=object),
        area=np.array([a for _, _, a in records], dtype=object),
    )
    versions = name if isinstance(name, tuple) else (policy(name),)
    s = screen_all(versions, facts, rec, np.array([observed]))
    return bool(s.eligible[0]), bool(s.green_light[0]), bool(s.in_program_area[0])


def eligible(*args, **kw) -> bool:
    return one(*args, **kw)[0]


def test_seattle_2011_diverts_less_than_three_grams():
    assert eligible(grams=2.99)
    assert not eligible(grams=3.0)  # "less than 3 grams", the protocol's wording
    assert eligible("san-francisco", area="Tenderloin", grams=5.0)  # "5 g or less"


def test_activities_codes_and_secondary_offenses_follow_the_policy():
    assert eligible(activity="subsistence_sale")
    assert not eligible(activity="sale_for_profit")
    assert eligible(code="40A", activity="solicit", drug=None, grams=np.nan)
    assert not eligible(code="40B", activity="promote", drug=None, grams=np.nan)
    assert eligible(code2="35B")  # paraphernalia with possession
    assert not eligible(code2="90Z")  # recorded as "other"
    assert not eligible(grams=np.nan)  # weigh or estimate it


def test_santa_fe_diverts_opiates_and_small_thefts():
    assert eligible("santa-fe", drug="heroin", grams=6.0)
    assert eligible("santa-fe", drug="prescription_opioid_pills", grams=40.0)  # not weighed
    assert not eligible("santa-fe", drug="cocaine")
    assert eligible("santa-fe", code="23C", activity="other", drug=None, grams=np.nan, value=200.0)
    assert not eligible(
        "santa-fe", code="23C", activity="other", drug=None, grams=np.nan, value=300.0
    )
    assert not eligible("santa-fe", code="23C", activity="other", drug=None, grams=np.nan)


def test_green_light_windows_follow_the_weekday_time_and_pathway():
    assert one(at="2026-03-10T22:59")[1]
    assert not one(at="2026-03-10T23:00")[1]
    assert not one(at="2026-03-14T12:00")[1]  # Saturday
    # Eligibility itself leaves the time aside; a contact is not shift-bound.
    assert one(at="2026-03-14T12:00")[0]
    assert one(at="2026-03-14T12:00", probable_cause=False, code="90Z", observed=True,
               records=[("2026-01-01", "35A", "Downtown")])[1]  # fmt: skip


def test_program_areas_are_the_lead_areas_unless_the_policy_names_its_own():
    assert one(area="Downtown")[2] and not one(area="North")[2]
    assert one("san-francisco", area="Mission")[2]


def test_flags_exclude_as_each_policy_says():
    assert not eligible(sale_flags=("exploitation_of_adult",), activity="subsistence_sale")
    assert eligible("santa-fe", sale_flags=("exploitation_of_adult",), activity="subsistence_sale")
    assert not eligible("santa-fe", person_flags=("confidential_informant",))
    assert not eligible(
        "san-francisco", area="Tenderloin", person_flags=("pending_specialty_court",)
    )
    assert not eligible("san-francisco", area="Tenderloin", pending_weapons=True)
    assert eligible(pending_weapons=True)  # Seattle 2011 is silent on open cases


def test_orders_close_only_their_pathway_and_only_for_a_participant():
    sf = dict(name="san-francisco", area="Tenderloin")
    order = ("restraining_order", "order_protects_participant")
    contact = dict(probable_cause=False, code="35A", observed=True)
    assert eligible(**sf, person_flags=order)  # an arrest diversion goes ahead
    assert not eligible(**sf, person_flags=order, **contact)
    assert eligible(**sf, person_flags=("restraining_order",), **contact)


def test_history_rules_have_their_own_codes_look_back_and_domestic_violence():
    day = "2026-03-10T12:00"
    assert not eligible(history=[("2020-03-11", "13B", False)], at=day)  # within 10 years
    assert eligible(history=[("2016-03-09", "13B", False)], at=day)  # 10 years and a day
    assert not eligible(history=[("2016-03-10", "13B", False)], at=day)  # on the first day
    assert not eligible(history=[("1990-01-01", "13A", False)], at=day)  # violent: any time
    assert eligible("seattle-2015", history=[("2020-01-01", "13A", False)], at=day)
    assert not eligible("seattle-2015", history=[("2020-01-01", "13B", True)], at=day)
    assert not eligible("seattle-2015", history=[("2020-01-01", "220", False)], at=day)
    assert eligible(history=[(day, "13A", False)], at=day)  # not strictly earlier


def test_social_contacts_need_activity_verified_in_a_program_area_in_time():
    contact = dict(probable_cause=False, code="90Z", category=2)
    assert eligible(**contact, records=[("2025-01-01", "35A", "Downtown")])
    assert not eligible(**contact, records=[("2023-01-01", "35A", "Downtown")])  # > 24 months
    assert not eligible(**contact, records=[("2025-01-01", "35A", "North")])
    assert not eligible(**contact, records=[("2025-01-01", "23C", "Downtown")])
    assert eligible(probable_cause=False, code="35A", observed=True)
    assert not eligible(probable_cause=False, code="35A", observed=True, area="North")


def test_the_version_in_force_decides_by_date():
    versions = (policy("seattle-2011"), policy("seattle-2018"))
    theft = dict(code="23C", activity="other", drug=None, grams=np.nan, value=100.0)
    assert not eligible(versions, at="2017-12-31T12:00", **theft)
    assert eligible(versions, at="2018-01-02T12:00", **theft)


def test_date_helpers_count_as_the_engine_does():
    days = np.array(["2024-02-29", "2026-03-14", "2025-12-31"], dtype="datetime64[D]")
    assert years_before(days, 10).astype(str).tolist() == ["2014-02-28", "2016-03-14", "2015-12-31"]
    assert months_before(days, 24).astype(str).tolist() == [
        "2022-02-28",
        "2024-03-14",
        "2023-12-31",
    ]
    born = np.array(["2008-02-29", "2008-03-14"], dtype="datetime64[D]")
    on = np.array(["2026-02-28", "2026-03-13"], dtype="datetime64[D]")
    assert calendar_age(born, on).tolist() == [17, 17]


@pytest.mark.parametrize(
    ("filed", "disposed", "query", "pending"),
    [(10, 20, 10, False), (10, 20, 11, True), (10, 20, 20, True), (10, 20, 21, False)],
)
def test_a_case_is_pending_from_filing_until_it_is_disposed(filed, disposed, query, pending):
    got = pending_at(np.array([0]), np.array([filed]), np.array([disposed]), np.array([0]),
                     np.array([query]))  # fmt: skip
    assert bool(got[0]) is pending
