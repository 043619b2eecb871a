"""Each shipped policy reproduces its site's published criteria (lead.md's table)."""

from __future__ import annotations

import datetime as dt

import pytest

from divert.eligibility import Policy, screen

from .helpers import make_case, site


def heroin(grams, activity="possess", drug="heroin"):
    return [{"nibrs": "35A", "activity": activity, "drug": drug, "grams": grams}]


def years_ago(n: int, months: int = 0) -> str:
    return (dt.date(2026, 3, 14) - dt.timedelta(days=round(365.25 * n + 30.5 * months))).isoformat()


def convicted(code: str, when: str, disposition: str = "convicted") -> list[dict]:
    return [{"nibrs": code, "disposition": disposition, "date": when}]


# (site, what the case says, eligible?, a rule that must fire or None)
CRITERIA = [
    # Drug quantity
    ("seattle", {"offenses": heroin(3.0)}, True, None),
    ("seattle", {"offenses": heroin(3.1)}, False, "drug.grams_over_limit"),
    (
        "seattle",
        {"offenses": heroin(2.0) + heroin(1.5, drug="cocaine")},
        False,
        "drug.grams_over_limit",
    ),
    ("san-francisco", {"offenses": heroin(5.0)}, True, None),
    ("san-francisco", {"offenses": heroin(5.1)}, False, "drug.grams_over_limit"),
    ("santa-fe", {"offenses": heroin(6.0)}, True, None),
    ("santa-fe", {"offenses": heroin(6.1)}, False, "drug.grams_over_limit"),
    # Santa Fe: prescription opioid pills are aside from the gram count.
    (
        "santa-fe",
        {"offenses": heroin(6.0) + heroin(40, drug="prescription_opioid_pills")},
        True,
        None,
    ),
    (
        "seattle",
        {"offenses": heroin(40, drug="prescription_opioid_pills")},
        False,
        "drug.grams_over_limit",
    ),
    ("seattle", {"offenses": heroin(None)}, False, "drug.grams_unknown"),
    # Sales
    ("seattle", {"offenses": heroin(1, "subsistence_sale")}, True, None),
    ("seattle", {"offenses": heroin(1, "sale_for_profit")}, False, "offense.activity_not_allowed"),
    ("santa-fe", {"offenses": heroin(1, "subsistence_sale")}, True, None),
    ("santa-fe", {"offenses": heroin(1, "sale_for_profit")}, False, "offense.activity_not_allowed"),
    ("san-francisco", {"offenses": heroin(1, "sale_for_profit")}, True, None),
    (
        "san-francisco",
        {"offenses": heroin(1, "subsistence_sale"), "flags": ["sale_to_minor"]},
        False,
        "sale.to_minor",
    ),
    (
        "san-francisco",
        {"offenses": heroin(1, "subsistence_sale"), "flags": ["school_zone"]},
        False,
        "sale.school_zone",
    ),
    ("seattle", {"offenses": heroin(1, "subsistence_sale"), "flags": ["school_zone"]}, True, None),
    # Sex work in, promoting out
    ("seattle", {"offenses": [{"nibrs": "40A", "activity": "solicit"}]}, True, None),
    (
        "seattle",
        {"offenses": [{"nibrs": "40B", "activity": "promote"}]},
        False,
        "offense.code_excluded",
    ),
    (
        "seattle",
        {"offenses": [{"nibrs": "40A", "activity": "promote"}]},
        False,
        "offense.activity_not_allowed",
    ),
    ("santa-fe", {"offenses": [{"nibrs": "40A", "activity": "solicit"}]}, True, None),
    (
        "santa-fe",
        {"offenses": [{"nibrs": "40B", "activity": "promote"}]},
        False,
        "offense.code_excluded",
    ),
    (
        "seattle",
        {"offenses": [{"nibrs": "64A", "activity": "other"}]},
        False,
        "offense.code_excluded",
    ),
    (
        "seattle",
        {"offenses": [{"nibrs": "23C", "activity": "other"}]},
        False,
        "offense.code_not_eligible",
    ),
    # Always excluded
    ("seattle", {"flags": ["exploitation_of_minor"]}, False, "exclusion.exploitation_of_minors"),
    ("santa-fe", {"flags": ["exploitation_of_minor"]}, False, "exclusion.exploitation_of_minors"),
    ("santa-fe", {"person": {"date_of_birth": "2009-01-01"}}, False, "person.under_min_age"),
    ("santa-fe", {"person": {"date_of_birth": "2008-03-14"}}, True, None),  # 18 today
    ("santa-fe", {"person": {"date_of_birth": "2008-03-15"}}, False, "person.under_min_age"),
    ("santa-fe", {"person": {"date_of_birth": "2008"}}, False, "person.age_uncertain"),
    ("santa-fe", {"person": {"date_of_birth": "2007"}}, True, "person.partial_date_of_birth"),
    ("san-francisco", {"flags": ["open_violent_case"]}, False, "exclusion.open_violent_case"),
    ("san-francisco", {"flags": ["open_weapons_case"]}, False, "exclusion.open_weapons_case"),
    (
        "san-francisco",
        {"history": convicted("520", years_ago(1), "pending")},
        False,
        "exclusion.open_weapons_case",
    ),
    (
        "san-francisco",
        {"history": convicted("13A", years_ago(1), "pending")},
        False,
        "exclusion.open_violent_case",
    ),
    ("san-francisco", {"flags": ["no_contact_order"]}, False, "exclusion.no_contact_order"),
    ("seattle", {"flags": ["no_contact_order"]}, True, None),
    ("santa-fe", {"flags": ["confidential_informant"]}, False, "exclusion.confidential_informant"),
    ("seattle", {"flags": ["confidential_informant"]}, True, None),
    # Criminal history
    ("seattle", {"history": convicted("120", years_ago(6))}, False, "history.violent"),
    ("seattle", {"history": convicted("120", years_ago(30))}, False, "history.violent"),
    ("seattle", {"history": convicted("120", years_ago(6), "dismissed")}, True, None),
    ("seattle", {"history": convicted("09A", years_ago(20))}, False, "history.violent"),
    ("seattle", {"history": convicted("520", years_ago(20))}, False, "history.violent"),
    ("seattle", {"history": convicted("13B", years_ago(9))}, False, "history.related_lesser"),
    ("seattle", {"history": convicted("13B", years_ago(11))}, True, None),
    ("seattle", {"history": convicted("23C", years_ago(1))}, True, None),
    ("san-francisco", {"history": convicted("120", years_ago(7))}, False, "history.prior_strike"),
    ("san-francisco", {"history": convicted("120", years_ago(9))}, True, None),
    ("san-francisco", {"history": convicted("120", years_ago(7), "arrested")}, True, None),
    ("santa-fe", {"history": convicted("120", years_ago(2))}, True, "approval.prosecutor"),
    # Approvals
    ("san-francisco", {"flags": ["on_probation"]}, True, "approval.supervising_agency"),
    ("san-francisco", {"flags": ["on_parole"]}, True, "approval.supervising_agency"),
    ("seattle", {"flags": ["on_probation"]}, True, None),
    ("santa-fe", {}, True, "approval.prosecutor"),
]


@pytest.mark.parametrize(("name", "changes", "eligible", "rule"), CRITERIA)
def test_each_site_policy_reproduces_its_published_criteria(name, changes, eligible, rule):
    decision = screen(site(name), make_case(**changes))
    assert decision.eligible is eligible, decision.to_dict()["reasons"]
    if rule is not None:
        assert rule in decision.rules
    if eligible:
        assert not [r for r in decision.reasons if r.effect == "exclude"]
    else:
        assert decision.pathways == ()


@pytest.mark.parametrize(
    ("name", "approvals"),
    [
        ("seattle", []),
        ("santa-fe", ["prosecutor"]),
        ("san-francisco", ["supervising_agency"]),
    ],
)
def test_approvals_are_listed_by_who_must_agree(name, approvals):
    decision = screen(site(name), make_case(flags=["on_probation"]))
    assert list(decision.needs_approval) == approvals


def test_an_ineligible_case_asks_for_no_approval():
    decision = screen(site("santa-fe"), make_case(flags=["confidential_informant"]))
    assert decision.needs_approval == ()
    assert "approval.prosecutor" in decision.rules  # still reported as a rule that fired


@pytest.mark.parametrize(
    ("name", "days"), [("seattle", 30), ("san-francisco", 30), ("santa-fe", 7)]
)
def test_intake_deadline_follows_the_site(name, days):
    decision = screen(site(name), make_case())
    assert decision.intake_deadline_days == days
    assert decision.intake_due == dt.date(2026, 3, 14) + dt.timedelta(days=days)


def test_every_rule_that_fires_is_reported_not_just_the_first():
    decision = screen(
        site("san-francisco"),
        make_case(
            offenses=heroin(9, "sale_for_profit"),
            flags=["school_zone", "no_contact_order", "open_weapons_case"],
            history=convicted("120", years_ago(2)),
        ),
    )
    assert {
        "drug.grams_over_limit",
        "sale.school_zone",
        "exclusion.no_contact_order",
        "exclusion.open_weapons_case",
        "history.prior_strike",
    } <= decision.rules


def test_a_leap_day_birthday_turns_18_on_the_first_of_march():
    born = {"date_of_birth": "2008-02-29"}
    assert not screen(site("santa-fe"), make_case(date="2026-02-28", person=born)).eligible
    assert screen(site("santa-fe"), make_case(date="2026-03-01", person=born)).eligible


def test_a_partial_date_of_birth_is_named_in_the_reason():
    decision = screen(site("santa-fe"), make_case(person={"date_of_birth": "2008-03"}))
    assert not decision.eligible
    [reason] = [r for r in decision.reasons if r.rule == "person.age_uncertain"]
    assert "2008-03" in reason.message and "partial" in reason.message


class TestPathways:
    def test_seattle_2011_has_no_community_referrals(self):
        decision = screen(site("seattle"), make_case(pathway="community"))
        assert not decision.eligible
        assert "pathway.not_offered" in decision.rules

    def test_social_contact_needs_verified_activity_within_24_months(self):
        recent = [{"date": years_ago(1, 11), "area": "Tenderloin"}]
        stale = [{"date": years_ago(2, 1), "area": "Tenderloin"}]
        sf = site("san-francisco")
        ok = screen(sf, make_case(offenses=[], pathway="social_contact", verified_activity=recent))
        old = screen(sf, make_case(offenses=[], pathway="social_contact", verified_activity=stale))
        assert ok.eligible and ok.pathways == ("social_contact",)
        assert not old.eligible and "pathway.social_contact_unverified" in old.rules

    def test_social_contact_activity_must_be_a_kind_the_program_diverts(self):
        theft = [{"date": years_ago(1), "nibrs": "23C"}]
        decision = screen(site("san-francisco"), make_case(offenses=[], verified_activity=theft))
        assert not decision.eligible
        assert {"pathway.social_contact_unverified", "pathway.none_open"} <= decision.rules

    def test_an_arrest_opens_arrest_diversion(self):
        assert screen(site("seattle"), make_case()).pathways == ("arrest_diversion",)

    def test_program_areas_limit_where_a_case_can_come_from(self):
        data = site("seattle").model_dump() | {"program_areas": ["West"]}
        policy = Policy.model_validate(data)
        assert screen(policy, make_case(area="West")).eligible
        outside = screen(policy, make_case(area="North"))
        assert not outside.eligible and "area.outside_program" in outside.rules
