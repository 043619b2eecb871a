"""Each shipped policy file reproduces its site's published criteria, row by row.

The tables below follow the sites' published protocol rules, source by source: each
case carries the published row it checks (rule, what was published, source), so a failure
names the row a policy file no longer matches. Rows the file marks "silent:" or "not
verified:" say so too.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

import pytest

from divert.eligibility import Policy, screen

from .helpers import site, site_case

TUESDAY, SATURDAY = "2026-03-10", "2026-03-14"


class Row(NamedTuple):
    cited: str  # the published row: rule, what was published, source
    case: dict  # changes to the plain eligible case
    eligible: bool
    rule: str | None  # a rule that must fire, or None


def drug(grams, activity="possess", name="heroin", code="35A"):
    offense = {"nibrs": code, "activity": activity, "drug": name}
    return [offense | ({"grams": grams} if grams is not None else {})]


def offense(code, activity="other", **extra):
    return [{"nibrs": code, "activity": activity, **extra}]


def years_ago(n: int, months: int = 0) -> str:
    return (dt.date(2026, 3, 14) - dt.timedelta(days=round(365.25 * n + 30.5 * months))).isoformat()


def history(code: str, when: str, disposition: str = "convicted", **extra) -> list[dict]:
    return [{"nibrs": code, "disposition": disposition, "date": when, **extra}]


def activity(months_ago: int, area: str = "West", source: str = "records") -> list[dict]:
    return [{"date": years_ago(0, months_ago), "area": area, "nibrs": "35A", "source": source}]


SOCIAL = {"offenses": [], "pathway": "social_contact"}

QUANTITY_SEATTLE = (
    "Drug quantity: 'less than 3 grams' (studyslide 194483, slideum 1564621) vs "
    "'3 grams or less' (crimesolutions 477); the file follows the protocol"
)
EXPLOIT = "Exploitation: excluded if the person 'exploits others/minors' (studyslide 194483)"
AMENABLE = "Amenability: a judgment, not a rule (studyslide 194483)"
HISTORY_2011 = (
    "History, 2011: murder, arson, robbery, rape, assault or gun crimes (studyslide 194483)"
)
LESSER = "History, 2011: 'related but lesser' convictions in the last 10 years (background)"
GREEN = "Green-light shifts: diversion only on pre-set days and times (studyslide 194483)"
SOCIAL_SEATTLE = "Social contact: added after launch at officers' request (leadkingcounty FAQ)"
OFFENSES_SEATTLE = "Offenses: low-level drug or prostitution (crimesolutions 477)"
SALES_SEATTLE = "Sales: subsistence sale yes, dealing for profit no (studyslide 194483)"
HISTORY_2015 = "History, 2015: burglary, robbery or DV convictions in 10 years (mynorthwest 2015)"
EXPANSION_2018 = "2018: criminal trespass, theft, property destruction eligible (mynorthwest 2019)"
INTAKE_SEATTLE = "Intake deadline: 30 days used; no Seattle source verified"

SEATTLE_2011 = [
    Row(QUANTITY_SEATTLE, {"offenses": drug(2.99)}, True, None),
    Row(QUANTITY_SEATTLE, {"offenses": drug(3.0)}, False, "drug.grams_over_limit"),
    Row(
        QUANTITY_SEATTLE,
        {"offenses": drug(2.0) + drug(0.5, name="cocaine")},
        True,
        None,
    ),
    Row(
        QUANTITY_SEATTLE,
        {"offenses": drug(2.0) + drug(1.5, name="cocaine")},
        False,
        "drug.grams_over_limit",
    ),
    Row(QUANTITY_SEATTLE, {"offenses": drug(None)}, False, "drug.grams_unknown"),
    Row(OFFENSES_SEATTLE, {"offenses": offense("40A", "solicit")}, True, None),
    Row(OFFENSES_SEATTLE, {"offenses": offense("40B", "promote")}, False, "offense.code_excluded"),
    Row(
        OFFENSES_SEATTLE,
        {"offenses": offense("40A", "promote")},
        False,
        "offense.activity_not_allowed",
    ),
    Row(OFFENSES_SEATTLE, {"offenses": offense("64A")}, False, "offense.code_excluded"),
    Row(OFFENSES_SEATTLE, {"offenses": offense("23C")}, False, "offense.code_not_eligible"),
    Row(OFFENSES_SEATTLE, {"offenses": offense("90J")}, False, "offense.code_not_eligible"),
    Row(SALES_SEATTLE, {"offenses": drug(1, "subsistence_sale")}, True, None),
    Row(
        SALES_SEATTLE,
        {"offenses": drug(1, "sale_for_profit")},
        False,
        "offense.activity_not_allowed",
    ),
    Row(EXPLOIT, {"flags": ["exploitation_of_adult"]}, False, "exclusion.exploitation_of_adults"),
    Row(EXPLOIT, {"flags": ["exploitation_of_minor"]}, False, "exclusion.exploitation_of_minors"),
    Row(AMENABLE, {"amenable": False}, True, "officer.not_amenable"),
    Row(AMENABLE, {"amenable": True}, True, None),
    Row(HISTORY_2011, {"history": history("09A", years_ago(20))}, False, "history.violent"),
    Row(HISTORY_2011, {"history": history("200", years_ago(25))}, False, "history.violent"),
    Row(HISTORY_2011, {"history": history("120", years_ago(30))}, False, "history.violent"),
    Row(HISTORY_2011, {"history": history("11A", years_ago(15))}, False, "history.violent"),
    Row(HISTORY_2011, {"history": history("13A", years_ago(12))}, False, "history.violent"),
    Row(HISTORY_2011, {"history": history("520", years_ago(20))}, False, "history.violent"),
    Row(HISTORY_2011, {"history": history("120", years_ago(6), "dismissed")}, True, None),
    Row(HISTORY_2011, {"history": history("23C", years_ago(1))}, True, None),
    Row(LESSER, {"history": history("13B", years_ago(9))}, False, "history.related_lesser"),
    Row(LESSER, {"history": history("13B", years_ago(11))}, True, None),
    Row(GREEN, {"date": TUESDAY, "time": "10:00"}, True, None),
    Row(GREEN, {"date": TUESDAY, "time": "22:59"}, True, None),
    Row(GREEN, {"date": TUESDAY, "time": "23:00"}, False, "window.red_light"),
    Row(GREEN, {"date": TUESDAY, "time": "06:30"}, False, "window.red_light"),
    Row(GREEN, {"date": SATURDAY, "time": "10:00"}, False, "window.red_light"),
    Row(GREEN, {"date": SATURDAY}, True, "window.time_unknown"),
    Row(
        GREEN + "; social contact is not a shift-bound arrest",
        {**SOCIAL, "date": SATURDAY, "time": "10:00", "verified_activity": activity(6)},
        True,
        None,
    ),
    Row(SOCIAL_SEATTLE, {**SOCIAL, "verified_activity": activity(6)}, True, None),
    Row(
        SOCIAL_SEATTLE + "; silent: 24-month window",
        {**SOCIAL, "verified_activity": activity(25)},
        False,
        "pathway.social_contact_unverified",
    ),
    Row(
        "Community referral: Seattle added it in 2020 (background)",
        {"pathway": "community"},
        False,
        "pathway.not_offered",
    ),
    Row(
        "Age: silent, adults only",
        {"person": {"date_of_birth": "2009-01-01"}},
        False,
        "person.under_min_age",
    ),  # fmt: skip
    Row("Informants: silent in 2011", {"flags": ["confidential_informant"]}, True, None),
    Row("No-contact orders: silent in 2011", {"flags": ["no_contact_order"]}, True, None),
    Row("Probation: silent in 2011", {"flags": ["on_probation"]}, True, None),
]

SEATTLE_2015 = [
    Row(HISTORY_2015, {"history": history("220", years_ago(9))}, False, "history.burglary_robbery"),
    Row(HISTORY_2015, {"history": history("220", years_ago(11))}, True, None),
    Row(HISTORY_2015, {"history": history("120", years_ago(9))}, False, "history.burglary_robbery"),
    Row(
        HISTORY_2015,
        {"history": history("13B", years_ago(5), domestic_violence=True)},
        False,
        "history.domestic_violence",
    ),
    Row(
        HISTORY_2015,
        {"history": history("13B", years_ago(11), domestic_violence=True)},
        True,
        None,
    ),
    Row(
        HISTORY_2015 + ": assault no longer", {"history": history("13A", years_ago(5))}, True, None
    ),
    Row(
        HISTORY_2015 + ": gun crimes no longer",
        {"history": history("520", years_ago(5))},
        True,
        None,
    ),  # fmt: skip
    Row(HISTORY_2015 + ": lesser no longer", {"history": history("13B", years_ago(5))}, True, None),
    Row(
        HISTORY_2015 + "; silent: the gravest 2011 offenses stay",
        {"history": history("09A", years_ago(30))},
        False,
        "history.gravest",
    ),
    Row(GREEN + "; silent: none after 2014", {"date": SATURDAY, "time": "03:00"}, True, None),
    Row(QUANTITY_SEATTLE, {"offenses": drug(3.0)}, False, "drug.grams_over_limit"),
    Row(EXPLOIT, {"flags": ["exploitation_of_adult"]}, False, "exclusion.exploitation_of_adults"),
    Row(
        OFFENSES_SEATTLE,
        {"offenses": offense("23C", value=10.0)},
        False,
        "offense.code_not_eligible",
    ),  # fmt: skip
]

SEATTLE_2018 = [
    Row(EXPANSION_2018, {"offenses": offense("90J")}, True, None),
    Row(EXPANSION_2018, {"offenses": offense("23C", value=200.0)}, True, None),
    Row(EXPANSION_2018, {"offenses": offense("23H", value=750.0)}, True, None),
    Row(EXPANSION_2018, {"offenses": offense("290", value=120.0)}, True, None),
    Row(
        EXPANSION_2018 + "; silent: RCW $750 misdemeanour ceiling",
        {"offenses": offense("23C", value=750.01)},
        False,
        "offense.value_over_limit",
    ),
    Row(EXPANSION_2018, {"offenses": offense("23F")}, False, "offense.value_unknown"),
    Row(
        EXPANSION_2018 + ": burglary is not theft",
        {"offenses": offense("220", value=50.0)},
        False,
        "offense.code_not_eligible",
    ),
    Row(
        EXPANSION_2018 + "; sex work and drugs keep their activities",
        {"offenses": offense("90J", "solicit")},
        False,
        "offense.activity_not_allowed",
    ),
    Row(HISTORY_2015, {"history": history("120", years_ago(2))}, False, "history.burglary_robbery"),
    Row(
        "Social contact: known low-level drug or sex-work activity (background), not theft",
        {**SOCIAL, "verified_activity": [{"date": years_ago(1), "area": "West", "nibrs": "23C"}]},
        False,
        "pathway.social_contact_unverified",
    ),
    Row(
        "Community referral: Seattle added it in 2020 (background)",
        {"pathway": "community"},
        False,
        "pathway.not_offered",
    ),
]

SEATTLE_2020 = [
    Row(
        "Community referral: Seattle added it in 2020 (background)",
        {"pathway": "community"},
        True,
        None,
    ),  # fmt: skip
    Row(EXPANSION_2018, {"offenses": offense("90J")}, True, None),
    Row(QUANTITY_SEATTLE, {"offenses": drug(3.0)}, False, "drug.grams_over_limit"),
]

SF_OFFENSES = "Offenses: low-level drug or prostitution activity (PC §1001.87; SB 843 list)"
SF_SALES = "Sales: only subsistence sales, not for profit (PC §1001.87)"
SF_FOCUS = "Program focus: the Tenderloin and Mission (sfdph.org; sfdistrictattorney.org)"
SF_SOCIAL = "Social contact: verified activity in the area within 24 months (PC §1001.87(a)(2)(A))"
SF_ORDERS = "No-contact, restraining, anti-harassment orders vs a current participant: social contact refused (PC §1001.87(a)(2)(E))"
SF_COURTS = "Specialty courts: no pending drug or mental-health court case (PC §1001.87(a)(2)(D))"
UNVERIFIED = "5 g, prior strike within 8 years, probation/parole approval: not verified"

SAN_FRANCISCO = [
    Row(SF_OFFENSES, {"offenses": offense("40A", "solicit")}, True, None),
    Row(SF_OFFENSES, {"offenses": drug(1)}, True, None),
    Row(SF_OFFENSES, {"offenses": offense("40B", "promote")}, False, "offense.code_excluded"),
    Row(SF_OFFENSES, {"offenses": offense("23C", value=10.0)}, False, "offense.code_not_eligible"),
    Row(SF_SALES, {"offenses": drug(1, "subsistence_sale")}, True, None),
    Row(SF_SALES, {"offenses": drug(1, "sale_for_profit")}, False, "offense.activity_not_allowed"),
    Row(SF_FOCUS, {"area": "Mission"}, True, None),
    Row(SF_FOCUS, {"area": "Richmond"}, False, "area.outside_program"),
    Row(SF_SOCIAL, {**SOCIAL, "verified_activity": activity(18, "Mission")}, True, None),
    Row(
        SF_SOCIAL + ": direct observation",
        {**SOCIAL, "verified_activity": activity(3, "Tenderloin", "observation")},
        True,
        None,
    ),
    Row(
        SF_SOCIAL + ": a reliable basis of information",
        {**SOCIAL, "verified_activity": activity(3, "Tenderloin", "reliable_information")},
        True,
        None,
    ),
    Row(
        SF_SOCIAL,
        {**SOCIAL, "verified_activity": activity(25, "Tenderloin")},
        False,
        "pathway.social_contact_unverified",
    ),
    Row(
        SF_SOCIAL,
        {**SOCIAL, "verified_activity": activity(3, "Richmond")},
        False,
        "pathway.social_contact_unverified",
    ),
    Row(
        SF_ORDERS,
        {
            **SOCIAL,
            "verified_activity": activity(3, "Tenderloin"),
            "flags": ["no_contact_order", "order_protects_participant"],
        },
        False,
        "order.bars_contact",
    ),
    Row(
        SF_ORDERS,
        {
            **SOCIAL,
            "verified_activity": activity(3, "Tenderloin"),
            "flags": ["restraining_order", "order_protects_participant"],
        },
        False,
        "order.bars_contact",
    ),
    Row(
        SF_ORDERS,
        {
            **SOCIAL,
            "verified_activity": activity(3, "Tenderloin"),
            "flags": ["anti_harassment_order", "order_protects_participant"],
        },
        False,
        "order.bars_contact",
    ),
    Row(
        SF_ORDERS + ": an order protecting someone else",
        {**SOCIAL, "verified_activity": activity(3, "Tenderloin"), "flags": ["no_contact_order"]},
        True,
        None,
    ),
    Row(
        SF_ORDERS + ": arrest diversion is not a social contact",
        {"flags": ["restraining_order", "order_protects_participant"]},
        True,
        "order.bars_contact",
    ),
    Row(
        SF_COURTS,
        {"flags": ["pending_specialty_court"]},
        False,
        "exclusion.pending_specialty_court",
    ),  # fmt: skip
    Row(UNVERIFIED, {"offenses": drug(5.0)}, True, None),
    Row(UNVERIFIED, {"offenses": drug(5.1)}, False, "drug.grams_over_limit"),
    Row(UNVERIFIED, {"history": history("120", years_ago(7))}, False, "history.prior_strike"),
    Row(UNVERIFIED, {"history": history("120", years_ago(9))}, True, None),
    Row(UNVERIFIED, {"history": history("120", years_ago(7), "arrested")}, True, None),
    Row(UNVERIFIED, {"flags": ["on_probation"]}, True, "approval.supervising_agency"),
    Row(UNVERIFIED, {"flags": ["on_parole"]}, True, "approval.supervising_agency"),
    Row(
        "Background: sales to minors or in school zones no",
        {"flags": ["school_zone"]},
        False,
        "sale.school_zone",
    ),  # fmt: skip
    Row(
        "Background: open violent or weapons case",
        {"flags": ["open_violent_case"]},
        False,
        "exclusion.open_violent_case",
    ),  # fmt: skip
    Row(
        "Background: open violent or weapons case",
        {"history": history("520", years_ago(1), "pending")},
        False,
        "exclusion.open_weapons_case",
    ),
    Row("Community referral: silent", {"pathway": "community"}, False, "pathway.not_offered"),
]

SF_OFFENSES_SANTA_FE = (
    "Arrest referral offenses: opiate possession or subsistence sale; the FAQ adds shoplifting "
    "and minor theft (lead-santafe.org)"
)
QUANTITY_SANTA_FE = "Quantity: 6 g, prescription pills not weighed (lead-santafe.org)"
HISTORY_SANTA_FE = "Criminal history: 'disqualifying criminal history' presumptive (referral page)"

SANTA_FE = [
    Row(SF_OFFENSES_SANTA_FE, {"offenses": drug(1)}, True, "approval.prosecutor"),
    Row(SF_OFFENSES_SANTA_FE, {"offenses": drug(1, name="prescription_opioid_pills")}, True, None),
    Row(
        SF_OFFENSES_SANTA_FE + "; silent: fentanyl is an opiate",
        {"offenses": drug(1, name="fentanyl")},
        True,
        None,
    ),  # fmt: skip
    Row(SF_OFFENSES_SANTA_FE, {"offenses": drug(1, name="cocaine")}, False, "drug.not_eligible"),
    Row(
        SF_OFFENSES_SANTA_FE,
        {"offenses": drug(1, name="methamphetamine")},
        False,
        "drug.not_eligible",
    ),  # fmt: skip
    Row(
        SF_OFFENSES_SANTA_FE,
        {"offenses": [{"nibrs": "35A", "activity": "possess", "grams": 1.0}]},
        False,
        "drug.unknown",
    ),
    Row(SF_OFFENSES_SANTA_FE, {"offenses": drug(1, "subsistence_sale")}, True, None),
    Row(
        SF_OFFENSES_SANTA_FE,
        {"offenses": drug(1, "sale_for_profit")},
        False,
        "offense.activity_not_allowed",
    ),
    Row(SF_OFFENSES_SANTA_FE, {"offenses": offense("23C", value=100.0)}, True, None),
    Row(SF_OFFENSES_SANTA_FE, {"offenses": offense("23H", value=250.0)}, True, None),
    Row(
        SF_OFFENSES_SANTA_FE + "; silent: NM petty misdemeanour, $250",
        {"offenses": offense("23C", value=300.0)},
        False,
        "offense.value_over_limit",
    ),
    Row(SF_OFFENSES_SANTA_FE, {"offenses": offense("23C")}, False, "offense.value_unknown"),
    Row(
        SF_OFFENSES_SANTA_FE + "; silent: no sex work named",
        {"offenses": offense("40A", "solicit")},
        False,
        "offense.code_not_eligible",
    ),  # fmt: skip
    Row(
        SF_OFFENSES_SANTA_FE,
        {"offenses": offense("290", value=5.0)},
        False,
        "offense.code_not_eligible",
    ),  # fmt: skip
    Row(QUANTITY_SANTA_FE, {"offenses": drug(6.0)}, True, None),
    Row(QUANTITY_SANTA_FE, {"offenses": drug(6.1)}, False, "drug.grams_over_limit"),
    Row(
        QUANTITY_SANTA_FE,
        {"offenses": drug(6.0) + drug(40, name="prescription_opioid_pills")},
        True,
        None,
    ),
    Row(
        HISTORY_SANTA_FE, {"history": history("120", years_ago(2))}, False, "history.disqualifying"
    ),  # fmt: skip
    Row(HISTORY_SANTA_FE, {"history": history("23C", years_ago(2))}, True, None),
    Row(
        "Eligibility decision: the prosecutor has final authority (lead-santafe.org)",
        {},
        True,
        "approval.prosecutor",
    ),  # fmt: skip
    Row(
        "Social contacts: 55% of referrals (lead-santafe.org)",
        {**SOCIAL, "verified_activity": activity(3)},
        True,
        None,
    ),  # fmt: skip
    Row(
        "Self-referral: not allowed, nor by family or friends (FAQ)",
        {"pathway": "community"},
        False,
        "pathway.not_offered",
    ),  # fmt: skip
    Row(
        "Background: under 18 excluded",
        {"person": {"date_of_birth": "2009-01-01"}},
        False,
        "person.under_min_age",
    ),  # fmt: skip
    Row(
        "Background: informants cannot be clients",
        {"flags": ["confidential_informant"]},
        False,
        "exclusion.confidential_informant",
    ),  # fmt: skip
    Row(
        "Background: exploiting minors excluded",
        {"flags": ["exploitation_of_minor"]},
        False,
        "exclusion.exploitation_of_minors",
    ),  # fmt: skip
]

TABLES = {
    "seattle": SEATTLE_2011,
    "seattle-2015": SEATTLE_2015,
    "seattle-2018": SEATTLE_2018,
    "seattle-2020": SEATTLE_2020,
    "san-francisco": SAN_FRANCISCO,
    "santa-fe": SANTA_FE,
}
CASES = [
    pytest.param(name, row, id=f"{name}: {row.cited} #{i}")
    for name, rows in TABLES.items()
    for i, row in enumerate(rows)
]


@pytest.mark.parametrize(("name", "row"), CASES)
def test_each_policy_file_reproduces_its_published_row(name, row):
    decision = screen(site(name), site_case(name, **row.case))
    assert decision.eligible is row.eligible, (row.cited, decision.to_dict()["reasons"])
    if row.rule is not None:
        assert row.rule in decision.rules, (row.cited, decision.to_dict()["reasons"])
    if row.eligible:
        assert not [r for r in decision.reasons if r.effect == "exclude"]
    else:
        assert decision.pathways == ()


def test_every_policy_file_has_a_table():
    from .helpers import SITES

    assert set(TABLES) == set(SITES)


@pytest.mark.parametrize(
    ("name", "approvals"),
    [
        ("seattle", []),
        ("santa-fe", ["prosecutor"]),
        ("san-francisco", ["supervising_agency"]),
    ],
)
def test_approvals_are_listed_by_who_must_agree(name, approvals):
    decision = screen(site(name), site_case(name, flags=["on_probation"]))
    assert list(decision.needs_approval) == approvals


def test_an_ineligible_case_asks_for_no_approval():
    decision = screen(site("santa-fe"), site_case("santa-fe", flags=["confidential_informant"]))
    assert decision.needs_approval == ()
    assert "approval.prosecutor" in decision.rules  # still reported as a rule that fired


@pytest.mark.parametrize(
    ("name", "days"),
    [("seattle", 30), ("seattle-2020", 30), ("san-francisco", 30), ("santa-fe", 7)],
)
def test_intake_deadline_follows_the_site(name, days):
    decision = screen(site(name), site_case(name))
    assert decision.intake_deadline_days == days
    assert decision.intake_due == dt.date(2026, 3, 14) + dt.timedelta(days=days)


def test_santa_fes_committee_termination_is_a_site_exit_reason():
    [reason] = site("santa-fe").exit_reasons
    assert (reason.name, reason.decided_by) == ("committee_termination", "prosecutor")
    assert site("seattle").exit_reasons == []


def test_the_seattle_versions_keep_one_id_and_rising_dates():
    policies = [site(n) for n in ("seattle", "seattle-2015", "seattle-2018", "seattle-2020")]
    assert {p.id for p in policies} == {"seattle"}
    dates = [p.effective for p in policies]
    assert dates == sorted(dates) and len(set(dates)) == 4


def test_every_rule_that_fires_is_reported_not_just_the_first():
    decision = screen(
        site("san-francisco"),
        site_case(
            "san-francisco",
            offenses=drug(9, "sale_for_profit"),
            flags=["school_zone", "pending_specialty_court", "open_weapons_case"],
            history=history("120", years_ago(2)),
        ),
    )
    assert {
        "drug.grams_over_limit",
        "offense.activity_not_allowed",
        "sale.school_zone",
        "exclusion.pending_specialty_court",
        "exclusion.open_weapons_case",
        "history.prior_strike",
    } <= decision.rules


def test_a_leap_day_birthday_turns_18_on_the_first_of_march():
    born = {"date_of_birth": "2008-02-29"}
    assert not screen(
        site("santa-fe"), site_case("santa-fe", date="2026-02-28", person=born)
    ).eligible
    assert screen(site("santa-fe"), site_case("santa-fe", date="2026-03-01", person=born)).eligible


def test_a_partial_date_of_birth_is_named_in_the_reason():
    decision = screen(site("santa-fe"), site_case("santa-fe", person={"date_of_birth": "2008-03"}))
    assert not decision.eligible
    [reason] = [r for r in decision.reasons if r.rule == "person.age_uncertain"]
    assert "2008-03" in reason.message and "partial" in reason.message


class TestPathways:
    def test_social_contact_activity_must_be_a_kind_the_program_diverts(self):
        theft = [{"date": years_ago(1), "nibrs": "23C", "area": "Tenderloin"}]
        decision = screen(
            site("san-francisco"),
            site_case("san-francisco", offenses=[], verified_activity=theft),
        )
        assert not decision.eligible
        assert {"pathway.social_contact_unverified", "pathway.none_open"} <= decision.rules

    def test_an_arrest_opens_arrest_diversion(self):
        assert screen(site("seattle"), site_case("seattle")).pathways == ("arrest_diversion",)

    def test_a_red_light_shift_closes_arrest_diversion_but_not_social_contact(self):
        case = site_case("seattle", date=SATURDAY, time="12:00", verified_activity=activity(2))
        decision = screen(site("seattle"), case)
        assert decision.eligible and decision.pathways == ("social_contact",)
        assert "window.red_light" in decision.rules

    def test_a_protective_order_closes_only_its_pathways(self):
        case = site_case(
            "san-francisco",
            verified_activity=activity(2, "Mission"),
            flags=["no_contact_order", "order_protects_participant"],
        )
        decision = screen(site("san-francisco"), case)
        assert decision.eligible and decision.pathways == ("arrest_diversion",)

    def test_activity_verified_in_a_way_the_site_does_not_accept_does_not_count(self):
        data = site("san-francisco").model_dump()
        data["pathways"]["social_contact"]["sources"] = ["records"]
        policy = Policy.model_validate(data)
        seen = site_case(
            "san-francisco",
            **SOCIAL,
            verified_activity=activity(2, "Mission", "reliable_information"),
        )
        assert not screen(policy, seen).eligible
        assert screen(site("san-francisco"), seen).eligible

    def test_program_areas_limit_where_a_case_can_come_from(self):
        data = site("seattle").model_dump() | {"program_areas": ["West"]}
        policy = Policy.model_validate(data)
        assert screen(policy, site_case("seattle", area="West")).eligible
        outside = screen(policy, site_case("seattle", area="North"))
        assert not outside.eligible and "area.outside_program" in outside.rules

    def test_a_window_limited_to_some_areas_is_red_light_elsewhere(self):
        data = site("seattle").model_dump()
        data["green_light"][0]["areas"] = ["West"]
        policy = Policy.model_validate(data)
        west = site_case("seattle", date=TUESDAY, time="10:00", area="West")
        north = site_case("seattle", date=TUESDAY, time="10:00", area="North")
        assert screen(policy, west).eligible
        assert "window.red_light" in screen(policy, north).rules
