"""The synthesizer's vectorized eligibility agrees with the policy engine, case by case.

Each sampled encounter becomes an engine case built only from what the synthesizer wrote:
the date and time, the area, the person's date of birth, every offense (code, activity,
drug, grams, value), the flags the officer knew (encounter_flags), the history the courts
held at that moment (convictions before the window from truth_prior_record; this window's
charges: convicted once disposed, pending while filed and undisposed), and verified
activity (earlier arrests for drug or sex-work codes as records; what the officer observed
at a contact). The engine screens it under the policy version in force, as the county
deployed it, for the pathway the encounter opens, twice:

- without time and area: its answer must be the `eligible` column;
- with them: `eligible & green_light & the area is a program area`.
"""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np
import pandas as pd
import pytest

from divert.eligibility import Case, screen
from divert.synth import build, scenario_from_dict
from divert.synth.eligibility import deployed_policy
from divert.synth.police import SALE_FLAGS

PER_COUNTY = 1500


def _scenario(policy, **extra):
    data = {"eligibility": {"policy": policy}, "calibration": {"targets": ""}}
    for key, value in extra.items():
        data.setdefault(key, {}).update(value)
    return scenario_from_dict(data)


COUNTIES = {
    # Seattle 2011: green-light windows, exploiting adults, violent history.
    "seattle-2011": (_scenario("policies/seattle-2011.toml"), 200_000, 3, 5),
    # Versions in force by date: 2015's domestic-violence history, 2018's property offenses.
    "seattle-versions": (
        _scenario(
            [
                "policies/seattle-2011.toml",
                "policies/seattle-2015.toml",
                "policies/seattle-2018.toml",
                "policies/seattle-2020.toml",
            ],
            county={"start_date": "2014-06-01"},
            program={"launch_date": "2014-09-01"},
        ),
        150_000,
        7,
        6,
    ),
    # San Francisco: program areas, scoped orders, specialty courts, open cases, approvals.
    "san-francisco": (
        _scenario(
            "policies/san-francisco.toml",
            county={
                "areas": [
                    {"name": "Tenderloin", "resident_share": 0.1, "lead": True, "market": 6.0},
                    {"name": "Mission", "resident_share": 0.15, "lead": True, "market": 3.0},
                    {"name": "Richmond", "resident_share": 0.4},
                    {"name": "Bayview", "resident_share": 0.35, "black_share_factor": 2.0},
                ]
            },
        ),
        200_000,
        3,
        7,
    ),
    # Santa Fe: opiates only, shoplifting with a value limit, informants.
    "santa-fe": (_scenario("policies/santa-fe.toml"), 200_000, 3, 8),
}


@pytest.fixture(scope="module", params=sorted(COUNTIES))
def county(request):
    s, residents, years, seed = COUNTIES[request.param]
    return request.param, s, build(s, residents=residents, years=years, seed=seed)


def _history_by_person(t: dict[str, pd.DataFrame]) -> dict[int, list[tuple]]:
    """person_id -> [(kind, when, nibrs, dv, until)], kind "prior" or "charge"."""
    out: dict[int, list[tuple]] = defaultdict(list)
    for r in t["truth_prior_record"].itertuples():
        out[r.person_id].append(("prior", r.convicted_at, r.nibrs, r.domestic_violence, None))
    ch = t["charges"][t["charges"].filed]
    ch = ch.merge(t["truth_links"][["justice_person_id", "person_id"]], on="justice_person_id")
    ch = ch.merge(t["dispositions"], on="charge_id", how="left")
    for r in ch.itertuples():
        out[r.person_id].append(
            ("charge", r.filed_at, r.nibrs, r.domestic_violence, (r.disposition, r.disposed_at))
        )
    return out


def _history(entries: list[tuple], when: pd.Timestamp) -> list[dict]:
    history = []
    for kind, at, nibrs, dv, disposed in entries:
        if kind == "prior":
            if at < when:
                history.append(_entry(nibrs, "convicted", at, dv))
            continue
        if at >= when:
            continue  # not filed yet
        outcome, disposed_at = disposed
        if isinstance(outcome, str) and disposed_at < when:
            # A deferred case is neither a conviction nor pending: "charged" in the engine's words.
            word = "charged" if outcome == "deferred" else outcome
            history.append(_entry(nibrs, word, disposed_at, dv))
        else:
            history.append(_entry(nibrs, "pending", at, dv))
    return history


def _entry(nibrs: str, disposition: str, at: pd.Timestamp, dv: bool) -> dict:
    entry = {"nibrs": nibrs, "disposition": disposition, "date": at.date().isoformat()}
    if dv:
        entry["domestic_violence"] = True
    return entry


def _cases(name, s, county, sample: np.ndarray):
    t = county.tables
    enc = t["encounters"].set_index("encounter_id")
    offenses: dict[int, list[dict]] = defaultdict(list)
    for o in t["encounter_offenses"].sort_values(["encounter_id", "seq"]).itertuples():
        offense = {"nibrs": o.nibrs, "activity": o.activity}
        if o.drug is not None:
            offense["drug"] = o.drug
        if not math.isnan(o.grams):
            offense["grams"] = o.grams
        if not math.isnan(o.value):
            offense["value"] = o.value
        offenses[o.encounter_id].append(offense)
    flags: dict[int, list[str]] = defaultdict(list)
    for f in t["encounter_flags"].itertuples():
        flags[f.encounter_id].append(f.flag)
    dob = t["persons"].set_index("person_id").dob
    areas = t["areas"].set_index("area_id").name
    history = _history_by_person(t)
    primary = t["encounter_offenses"][t["encounter_offenses"].seq == 1].set_index("encounter_id")
    markets = {"35A", "35B", "40A", "40B", "40C"}
    arrests: dict[int, list[tuple]] = defaultdict(list)
    for r in (
        t["encounters"][t["encounters"].probable_cause].sort_values("occurred_at").itertuples()
    ):
        code = primary.nibrs[r.encounter_id]
        if code in markets:
            arrests[r.person_id].append((r.occurred_at, areas[r.area_id], code))
    for eid in sample:
        r = enc.loc[eid]
        when = r.occurred_at
        code = primary.nibrs[eid]
        activity = [
            {"date": at.date().isoformat(), "area": area, "nibrs": c, "source": "records"}
            for at, area, c in arrests[r.person_id]
            if at < when
        ]
        if not r.probable_cause and code in markets:
            activity.append(
                {"date": when.date().isoformat(), "area": areas[r.area_id], "nibrs": code,
                 "source": "observation"}
            )  # fmt: skip
        data = {
            "date": when.date().isoformat(),
            "pathway": "arrest_diversion" if r.probable_cause else "social_contact",
            "person": {"date_of_birth": dob[r.person_id].date().isoformat()},
            "offenses": offenses[eid] if r.probable_cause else [],
            "history": _history(history[r.person_id], when),
            "flags": sorted(flags[eid]),
            "verified_activity": activity,
        }
        placed = {**data, "time": when.strftime("%H:%M"), "area": areas[r.area_id]}
        yield int(eid), r, Case.model_validate(data), Case.model_validate(placed)


def _sample(county) -> np.ndarray:
    """Every kind of encounter: arrests and contacts, with flags, with history, eligible
    or not, in program areas or not; the rest at random."""
    t = county.tables
    enc = t["encounters"]
    rng = np.random.default_rng(0)
    flags = t["encounter_flags"]
    flagged = set(flags.encounter_id)
    scene = set(flags.encounter_id[flags.flag.isin(SALE_FLAGS)])
    linked = set(t["truth_prior_record"].person_id) | set(t["truth_bookings"].person_id)
    groups = [
        enc.eligible,
        enc.eligible & ~enc.probable_cause,
        ~enc.eligible & enc.lead_active,
        enc.encounter_id.isin(flagged),
        enc.encounter_id.isin(scene),
        enc.person_id.isin(linked) & enc.probable_cause,
        ~enc.green_light,
        enc.action.isin(["diverted", "referred", "declined"]),
    ]
    chosen = []
    for g in groups:
        ids = enc.encounter_id[g].to_numpy()
        chosen.append(rng.choice(ids, min(len(ids), PER_COUNTY // 10), replace=False))
    rest = enc.encounter_id.to_numpy()
    chosen.append(rng.choice(rest, PER_COUNTY - sum(map(len, chosen)), replace=False))
    return np.unique(np.concatenate(chosen))


# What each county's sample must fire between its two screens, so the agreement is not
# only on easy cases.
FIRES = {
    "seattle-2011": {
        "offense.code_excluded", "offense.code_not_eligible", "offense.activity_not_allowed",
        "drug.grams_over_limit", "sale.to_minor", "window.red_light",
        "exclusion.exploitation_of_minors", "exclusion.exploitation_of_adults",
        "history.violent", "history.related_lesser", "person.under_min_age",
        "pathway.social_contact_unverified",
    },
    "seattle-versions": {
        "offense.value_over_limit", "history.burglary_robbery", "history.domestic_violence",
        "history.gravest", "drug.grams_over_limit",
    },
    "san-francisco": {
        "area.outside_program", "order.bars_contact", "exclusion.pending_specialty_court",
        "exclusion.open_violent_case", "exclusion.open_weapons_case", "sale.school_zone",
        "approval.supervising_agency", "history.prior_strike",
    },
    "santa-fe": {
        "drug.not_eligible", "offense.value_over_limit", "exclusion.confidential_informant",
        "approval.prosecutor", "history.disqualifying",
    },
}  # fmt: skip


def _program_ids(c, policy) -> set[int]:
    areas = c.tables["areas"]
    return set(areas.area_id[areas.name.isin(sorted(policy.program_areas))])


def test_every_sampled_encounter_gets_the_engines_decision(county):
    name, s, c = county
    lead = [a.name for a in s.county.areas if a.lead]
    versions = [deployed_policy(p, lead) for p in s.eligibility.policies]
    effective = [p.effective for p in versions]
    wrong, fired, n_elig, n = [], set(), 0, 0
    for eid, row, case, placed in _cases(name, s, c, _sample(c)):
        k = max([i for i, d in enumerate(effective) if d <= case.date], default=0)
        policy = versions[k]
        d = screen(policy, case)
        where = screen(policy, placed)
        expect_placed = row.eligible and row.green_light and row.area_id in _program_ids(c, policy)
        if d.eligible != row.eligible or where.eligible != expect_placed:
            wrong.append((eid, row.eligible, row.green_light, where.to_dict()["reasons"]))
        fired |= d.rules | where.rules
        n_elig += d.eligible
        n += 1
    assert not wrong, f"{name}: {len(wrong)} of {n} disagree, e.g. {wrong[:2]}"
    assert 50 < n_elig < n - 50, (n_elig, n)
    assert FIRES[name] <= fired, sorted(FIRES[name] - fired)


def test_every_diverted_encounter_is_eligible_in_an_active_lead_area_on_a_green_light(county):
    _, _, c = county
    enc = c.tables["encounters"]
    diverted = enc[enc.action.isin(["diverted", "referred"])]
    assert len(diverted) > 20
    assert diverted.eligible.all() and diverted.lead_active.all() and diverted.green_light.all()
    assert diverted.amenable.all()
