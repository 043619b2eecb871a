"""Assemble a synthetic LEAD county: population, police, program, justice, costs, truth.

>>> from divert.synth.scenario import Scenario
>>> county = build(Scenario(), residents=30_000, years=2, seed=1)
>>> sorted(county.tables)[:3]
['areas', 'bookings', 'calls_for_service']
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from divert.synth import truth as truth_mod
from divert.synth.casework import casework
from divert.synth.costs import cost_tables
from divert.synth.dispatch import dispatch_tables
from divert.synth.eligibility import (
    CODES,
    MARKET_CODES,
    VIOLENT,
    WEAPONS,
    Entries,
    Facts,
    calendar_age,
    deployed_policy,
    months_before_ymd,
    pending_at,
    screen_all,
    secondary_activity,
)
from divert.synth.justice import ChargeDraws, charge_draws, justice_records
from divert.synth.police import (
    DRUG,
    SALE_FLAGS,
    SEX_WORK,
    SHIFTS,
    Events,
    arrest_rate,
    encounter_rates,
    officer_table,
    potential_encounters,
)
from divert.synth.population import PERSON_FLAGS, People
from divert.synth.population import residents as make_residents
from divert.synth.program import (
    ACCEPTED,
    ARREST,
    COMMUNITY,
    DID_NOT_HAPPEN,
    ENROLLED_ALREADY,
    PATHWAYS,
    SOCIAL,
    case_manager_count,
    community_referrals,
    happened,
    officer_choices,
    policy_index,
    run_capacity,
)
from divert.synth.rng import stream
from divert.synth.scenario import RACES, Scenario
from divert.synth.surveys import survey_scores
from divert.synth.tables import TABLES, conform
from divert.synth.write import FORMATS, check_out_dir, staging, write_json, write_table

Progress = Callable[[str, float], None]


@dataclass
class County:
    """Every table (conformed to tables.TABLES) plus the truth dictionary."""

    tables: dict[str, pd.DataFrame]
    truth: dict[str, Any]


@dataclass
class Summary:
    out: Path
    fmt: str
    rows: dict[str, int]
    seconds: float
    truth: dict[str, Any] = field(repr=False)


def meetings_held(s: Scenario, end: np.datetime64) -> pd.DataFrame:
    """The work group's meetings: every `meeting_every_days` from launch to the end."""
    step = np.timedelta64(s.program.meeting_every_days, "D")
    days = np.arange(np.datetime64(s.program.launch_date, "D"), end.astype("datetime64[D]"), step)
    return pd.DataFrame(
        {"meeting_id": np.arange(1, len(days) + 1), "held_on": days.astype("datetime64[ns]")}
    )


def end_date(s: Scenario, years: int) -> np.datetime64:
    d = s.county.start_date
    try:
        e = d.replace(year=d.year + years)
    except ValueError:  # Feb 29
        e = d.replace(year=d.year + years, day=28)
    return np.datetime64(e, "s")


def _ns(a: np.ndarray) -> np.ndarray:
    return a.astype("datetime64[ns]")


def _seconds(a: np.ndarray) -> np.ndarray:
    return a.astype("datetime64[s]").astype(np.int64)


def _facts(
    s: Scenario, ev: Events, people: People, mask: np.ndarray, draws: ChargeDraws, never: set
) -> tuple[Facts, Entries]:
    """What the screen knows at each encounter, from the encounters in `mask` (those that
    happened, or all potential ones for the officer's view) and the record before."""
    names = np.array([a.name for a in s.county.areas], dtype=object)
    seconds = _seconds(ev.at)
    days = seconds // 86400
    facts = Facts(
        person=ev.person,
        at=ev.at,
        weekday=(days + 3) % 7,
        minute=seconds % 86400 // 60,
        area=ev.area,
        area_names=tuple(names),
        probable_cause=ev.probable_cause,
        category=ev.category,
        code=ev.code,
        activity=ev.activity,
        drug=ev.drug,
        grams=ev.grams,
        value=ev.value,
        code2=ev.code2,
        age=calendar_age(people.dob[ev.person], days.astype("datetime64[D]")),
        sale_flags=ev.sale_flags,
        person_flags=people.flags[ev.person],
    )
    # Convictions and pending charges of earlier bookings, for codes no policy diverts (so
    # the booking never depended on a diversion), plus the record before the window.
    booked = mask & draws.booked
    never_i = [CODES.index(c) for c in never]
    slots = [
        (ev.code, facts.code_i, ev.dv, 0),
        (ev.code2, facts.code2_i, np.zeros(len(ev), dtype=bool), 1),
    ]
    conv_person, conv_time, conv_code, conv_dv = [people.prior_person], [], [], []
    conv_time.append(_seconds(people.prior_at))
    conv_code.append(people.prior_code)
    conv_dv.append(people.prior_dv)
    pend: dict[str, list] = {"person": [], "filed": [], "disposed": [], "code": []}
    for code, code_i, dv, k in slots:
        ok = booked & (code_i > 0) & ~np.isin(code_i, never_i) & draws.filed[:, k]
        conv = ok & (draws.kind[:, k] == "convicted")
        conv_person.append(ev.person[conv])
        conv_time.append(_seconds(draws.disposed_at[conv, k]))
        conv_code.append(code[conv])
        conv_dv.append(dv[conv])
        pend["person"].append(ev.person[ok])
        pend["filed"].append(_seconds(draws.filed_at[ok, k]))
        pend["disposed"].append(_seconds(draws.disposed_at[ok, k]))
        pend["code"].append(code_i[ok])
    facts.convictions = Entries(
        person=np.concatenate(conv_person),
        seconds=np.concatenate(conv_time),
        code=np.concatenate(conv_code),
        dv=np.concatenate(conv_dv),
    )
    p_person, p_filed, p_disposed, p_code = (np.concatenate(pend[k]) for k in pend)
    for family, codes in (("violent", VIOLENT), ("weapons", WEAPONS)):
        sel = np.isin(p_code, [CODES.index(c) for c in codes])
        flag = pending_at(p_person[sel], p_filed[sel], p_disposed[sel], ev.person, facts.seconds)
        setattr(facts, f"pending_{family}", flag)
    rec = mask & ev.probable_cause & np.isin(facts.code_i, [CODES.index(c) for c in MARKET_CODES])
    records = Entries(
        person=ev.person[rec],
        seconds=facts.seconds[rec],
        code=ev.code[rec],
        area=names[ev.area[rec]],
    )
    return facts, records


def build(
    s: Scenario,
    residents: int | None = None,
    years: int | None = None,
    seed: int = 1,
    progress: Progress | None = None,
) -> County:
    """Generate every table in memory (county size: the scenario's unless given)."""
    say = progress or (lambda stage, frac: None)
    residents = s.residents if residents is None else residents
    years = s.years if years is None else years
    if residents <= 0 or years <= 0:
        raise ValueError("residents and years must be positive")
    start = np.datetime64(s.county.start_date, "s")
    end = end_date(s, years)
    launch = np.datetime64(s.program.launch_date, "s")
    lead_names = [a.name for a in s.county.areas if a.lead]
    versions = tuple(deployed_policy(p, lead_names) for p in s.eligibility.policies)
    never = set().union(*(p.offenses.eligible for p in versions))
    if never & (set(VIOLENT) | set(WEAPONS)):
        raise ValueError("a policy diverts violent or weapons codes; pending cases would be wrong")

    say("population", 0.0)
    areas, population, people = make_residents(s, residents, seed)
    officers = officer_table(s, residents, seed)
    say("encounters", 0.1)
    ev = potential_encounters(s, people, officers, years, seed)
    draws = charge_draws(s, ev, seed)
    lead_area = np.array([a.lead for a in s.county.areas])
    lead = lead_area[ev.area] & (ev.at >= launch)
    observed = ~ev.probable_cause & np.isin(ev.category, (DRUG, SEX_WORK))

    # The officer's view: every potential encounter counts as history (nobody treated yet
    # sees any difference; see program.py).
    say("screening", 0.2)
    facts0, records0 = _facts(s, ev, people, np.ones(len(ev), dtype=bool), draws, never)
    screen0 = screen_all(versions, facts0, records0, observed)
    buy_in = officers.buy_in.to_numpy()
    choices = officer_choices(s, ev, people, buy_in, screen0.eligible & screen0.green_light & lead)

    say("program", 0.3)
    wi = np.flatnonzero(choices.attempt)
    comm = community_referrals(s, people, residents, end, seed, versions)
    attempts = pd.DataFrame(
        {
            "person": np.concatenate([ev.person[wi], comm.person.to_numpy()]),
            "at": np.concatenate([_seconds(ev.at[wi]), _seconds(comm["at"].to_numpy())]),
            "pathway": np.concatenate(
                [np.where(ev.probable_cause[wi], ARREST, SOCIAL), np.full(len(comm), COMMUNITY)]
            ),
            "event": np.concatenate([wi, np.full(len(comm), -1)]),
            "u_effect": np.concatenate([ev.u_effect[wi], np.zeros(len(comm))]),
        }
    )
    attempts = attempts.sort_values(
        ["at", "pathway", "event", "person"], kind="stable"
    ).reset_index(drop=True)
    verify = _verifier(s, ev, attempts, versions, observed, facts0)
    outcome, enr = run_capacity(
        s, attempts, len(people), residents, end, seed, versions, verify=verify
    )
    real, _ = happened(ev, enr, s.effect.after_exit_hazard_ratio)
    del facts0, records0, screen0, verify  # the officer's view is done with: free it

    # The record as it really is: only encounters that happened.
    say("eligibility", 0.45)
    facts, records = _facts(s, ev, people, real, draws, never)
    screen = screen_all(versions, facts, records, observed)
    eligible, green = screen.eligible, screen.green_light
    del facts, records

    # Actions: the fallback, unless the person was offered LEAD.
    n = len(ev)
    action = np.where(draws.booked, "booked", np.where(draws.cited, "cited", "released")).astype(
        object
    )
    action[choices.declined] = "declined"
    pathway = np.full(n, None, dtype=object)
    ev_idx = attempts.event.to_numpy()
    from_event = ev_idx >= 0
    took = from_event & ((outcome == ACCEPTED) | (outcome == ENROLLED_ALREADY))
    di = ev_idx[took]
    action[di] = np.where(ev.probable_cause[di], "diverted", "referred")
    pathway[di] = np.where(ev.probable_cause[di], "arrest_diversion", "social_contact")
    unhappened = ev_idx[from_event & (outcome == DID_NOT_HAPPEN)]
    if len(unhappened) and real[unhappened].any():
        raise AssertionError("the capacity loop and the effect disagree on what happened")
    say("tables", 0.5)

    # Program person ids: a fixed shuffle, so ids carry no order information.
    ids = stream(seed, "ids").permutation(len(people)) + 1
    ri = np.flatnonzero(real)
    t_order = ri[np.lexsort((ids[ev.person[ri]], ev.at[ri]))]
    encounter_id = np.zeros(n, dtype=np.int64)
    encounter_id[t_order] = np.arange(1, len(t_order) + 1)

    referral_rows = np.flatnonzero((outcome == ACCEPTED) | (outcome == 0))
    involved = np.union1d(ev.person[ri], attempts.person.to_numpy()[referral_rows])
    persons = pd.DataFrame(
        {
            "person_id": ids[involved],
            "first_name": people.first_name[involved],
            "last_name": people.last_name[involved],
            "dob": _ns(people.dob[involved]),
            "race": np.array(RACES, dtype=object)[people.race[involved]],
            "ethnicity": np.where(people.hispanic[involved], "hispanic", "non_hispanic").astype(
                object
            ),
            "sex": np.where(people.female[involved], "female", "male").astype(object),
            "home_area_id": people.area[involved] + 1,
            "substance_use": people.substance_use[involved],
            "sex_work": people.sex_work[involved],
            "latent_risk": np.round(people.risk[involved], 6),
        }
    )
    screened = eligible & green & lead
    encounters = pd.DataFrame(
        {
            "encounter_id": encounter_id[ri],
            "person_id": ids[ev.person[ri]],
            "officer_id": officers.officer_id.to_numpy()[ev.officer[ri]],
            "area_id": ev.area[ri] + 1,
            "occurred_at": _ns(ev.at[ri]),
            "shift": SHIFTS[ev.shift[ri]],
            "probable_cause": ev.probable_cause[ri],
            "action": action[ri],
            "eligible": eligible[ri],
            "lead_active": lead[ri],
            "green_light": green[ri],
            "amenable": (choices.amenable & screened)[ri],
            "pathway": pathway[ri],
        }
    )
    has2 = ev.code2[ri] != ""
    offenses = pd.DataFrame(
        {
            "encounter_id": np.concatenate([encounter_id[ri], encounter_id[ri][has2]]),
            "seq": np.repeat([1, 2], [len(ri), int(has2.sum())]),
            "nibrs": np.concatenate([ev.code[ri], ev.code2[ri][has2]]),
            "activity": np.concatenate([ev.activity[ri], secondary_activity(ev.code2[ri][has2])]),
            "drug": np.concatenate(
                [ev.drug[ri], np.where(ev.code2[ri][has2] == "35B", ev.drug[ri][has2], None)]
            ),
            "grams": np.concatenate([ev.grams[ri], np.full(int(has2.sum()), np.nan)]),
            "value": np.concatenate([ev.value[ri], np.full(int(has2.sum()), np.nan)]),
            "domestic_violence": np.concatenate([ev.dv[ri], np.zeros(int(has2.sum()), bool)]),
        }
    )
    flag_rows = [
        (encounter_id[ri][people.flags[ev.person[ri], k]], name)
        for k, name in enumerate(PERSON_FLAGS)
    ] + [(encounter_id[ri][ev.sale_flags[ri, k]], name) for k, name in enumerate(SALE_FLAGS)]
    encounter_flags = pd.DataFrame(
        {
            "encounter_id": np.concatenate([r[0] for r in flag_rows]),
            "flag": np.concatenate([np.full(len(r[0]), r[1], dtype=object) for r in flag_rows]),
        }
    )

    # Referrals (new-enrollment attempts, accepted or refused) and enrollments.
    att = attempts.iloc[referral_rows]
    att_event = att.event.to_numpy()
    is_ev = att_event >= 0
    referral_id = np.arange(1, len(att) + 1)
    ref_of_attempt = np.zeros(len(attempts), dtype=np.int64)
    ref_of_attempt[referral_rows] = referral_id
    enrollment_of_attempt = np.full(len(attempts), -1, dtype=np.int64)
    enrollment_of_attempt[enr.attempt] = np.arange(1, len(enr) + 1)
    path = att.pathway.to_numpy()
    handoff = stream(seed, "handoff").lognormal(
        np.log(s.program.handoff_median_minutes), s.program.handoff_sigma, len(att)
    )
    accepted = outcome[referral_rows] == ACCEPTED
    safe_event = np.maximum(att_event, 0)
    referrals = pd.DataFrame(
        {
            "referral_id": referral_id,
            "person_id": ids[att.person.to_numpy()],
            "pathway": PATHWAYS[path],
            "encounter_id": pd.array(np.where(is_ev, encounter_id[safe_event], 0), dtype="Int64"),
            "officer_id": pd.array(
                np.where(is_ev, officers.officer_id.to_numpy()[ev.officer[safe_event]], 0),
                dtype="Int64",
            ),
            "referred_at": _ns(att["at"].to_numpy().astype("datetime64[s]")),
            "handoff_minutes": np.where(accepted & (path == ARREST), np.round(handoff, 1), np.nan),
            "capacity_refused": ~accepted,
            "enrollment_id": pd.array(enrollment_of_attempt[referral_rows], dtype="Int64"),
        }
    )
    referrals.loc[~is_ev, ["encounter_id", "officer_id"]] = pd.NA
    referrals.loc[~accepted, "enrollment_id"] = pd.NA

    enrollment_ids = pd.DataFrame(
        {
            "enrollment_id": np.arange(1, len(enr) + 1),
            "person_id": ids[enr.person],
            "referral_id": ref_of_attempt[enr.attempt],
        }
    )
    say("casework", 0.6)
    in_force = policy_index(versions, enr.referred_at) if len(enr) else np.zeros(0, int)
    site_reasons = [tuple(r.name for r in versions[k].exit_reasons) for k in in_force]
    work = casework(s, enr, enrollment_ids, end, seed, site_reasons)

    # Justice: booked encounters (one row per charge), and diverted charges whose intake
    # deadline was missed.
    say("justice", 0.7)
    b = ri[draws.booked[ri] & np.isin(action[ri], ("booked", "declined"))]
    slot2 = b[ev.code2[b] != ""]
    bk = np.concatenate([b, slot2])
    slot = np.repeat([0, 1], [len(b), len(slot2)])
    booked = pd.DataFrame(
        {
            "encounter_id": encounter_id[bk],
            "person_id": ids[ev.person[bk]],
            "area_id": ev.area[bk] + 1,
            "booked_at": draws.booked_at[bk],
            "slot": slot,
            "nibrs": np.where(slot == 0, ev.code[bk], ev.code2[bk]),
            "activity": np.where(slot == 0, ev.activity[bk], secondary_activity(ev.code2[bk])),
            "dv": np.where(slot == 0, ev.dv[bk], False),
            "felony_cf": draws.felony_cf[bk, slot],
            "filed": draws.filed[bk, slot],
            "filed_at": draws.filed_at[bk, slot],
            "kind": draws.kind[bk, slot],
            "disposed_at": draws.disposed_at[bk, slot],
        }
    )
    it = work["intakes"]
    arrest_enr = np.flatnonzero(attempts.pathway.to_numpy()[enr.attempt] == ARREST) + 1
    end_ns = _ns(np.array([end]))[0]
    miss = it[~it.deadline_met & it.enrollment_id.isin(arrest_enr) & (it.due_at < end_ns)]
    miss_ev = ev_idx[enr.attempt][miss.enrollment_id.to_numpy() - 1]
    missed = pd.DataFrame(
        {
            "encounter_id": encounter_id[miss_ev],
            "person_id": ids[ev.person[miss_ev]],
            "due_at": miss.due_at.to_numpy(),
            "nibrs": ev.code[miss_ev],
            "activity": ev.activity[miss_ev],
        }
    )
    del draws
    just = justice_records(s, persons, booked, missed, end, seed)
    del booked

    case_managers = pd.DataFrame(
        {
            "case_manager_id": np.arange(1, case_manager_count(s, residents) + 1),
            "caseload_target": s.program.caseload_target,
            "caseload_hard_cap": s.program.caseload_hard_cap,
        }
    )
    never_s = np.iinfo(np.int64).max
    done = enr.intake_at < _seconds(np.array([end]))[0]
    first_intake = np.full(len(people), never_s, dtype=np.int64)
    np.minimum.at(first_intake, enr.person[done], enr.intake_at[done])
    fi = first_intake[involved]
    fi_event = first_intake[ev.person]
    after = _seconds(ev.at) > fi_event
    pc_after = ev.probable_cause & after
    truth_persons = pd.DataFrame(
        {
            "person_id": ids[involved],
            "arrest_rate": np.round(arrest_rate(s, people)[involved], 6),
            "drug_enforcement_factor": people.drug_factor[involved],
            "enforcement_factor": people.enforcement[involved],
            "treated_from": np.where(
                fi < never_s, _ns(np.where(fi < never_s, fi, 0).astype("datetime64[s]")), None
            ).astype("datetime64[ns]"),
            "potential_after": np.bincount(ev.person[pc_after], minlength=len(people))[involved],
            "realized_after": np.bincount(ev.person[pc_after & real], minlength=len(people))[
                involved
            ],
        }
    )
    keep_prior = np.isin(people.prior_person, involved)
    prior = pd.DataFrame(
        {
            "person_id": ids[people.prior_person[keep_prior]],
            "nibrs": people.prior_code[keep_prior],
            "convicted_at": _ns(people.prior_at[keep_prior]),
            "domestic_violence": people.prior_dv[keep_prior],
        }
    )
    costs, costs_by_year = cost_tables(s, work["monthly_status"], start, end)
    potential_after, realized_after = int(pc_after.sum()), int((pc_after & real).sum())
    del ev, real, after, pc_after, fi_event, action, pathway, encounter_id

    tables = {
        "areas": areas,
        "population": population,
        "persons": persons,
        "officers": officers.drop(columns="activity"),
        "case_managers": case_managers,
        "encounters": encounters,
        "encounter_offenses": offenses,
        "encounter_flags": encounter_flags,
        "referrals": referrals,
        "meetings": meetings_held(s, end),
        "survey_scores": survey_scores(s, areas, officers, work["enrollments"], end, seed),
        **dispatch_tables(s, areas, population, start, end, seed),
        **work,
        **just,
        "costs": costs,
        "costs_by_year": costs_by_year,
        "truth_persons": truth_persons,
        "truth_prior_record": prior,
    }
    tables = {name: conform(name, tables[name]) for name in TABLES}
    say("truth", 0.8)
    internals = truth_mod.Internals(
        people_race=people.race,
        people_drug=encounter_rates(s, people)[:, 0],
        people_other=encounter_rates(s, people)[:, 2],
        people_drug_base=people.substance_use * people.risk_factor * s.behaviour.drug_rate,
        people_other_base=(
            people.other_offending * s.behaviour.other_rate
            + people.substance_use * s.behaviour.substance_use_other_rate
        )
        * people.risk_factor,
        potential_after=potential_after,
        realized_after=realized_after,
        enrollments=enr,
        person_ids=ids,
        arrest_rate=arrest_rate(s, people),
        day_weights_start=start,
    )
    truth = truth_mod.truth(
        s,
        residents=residents,
        years=years,
        seed=seed,
        tables=tables,
        internals=internals,
        versions=versions,
    )
    return County(tables=tables, truth=truth)


def _verifier(
    s: Scenario,
    ev: Events,
    attempts: pd.DataFrame,
    versions: tuple,
    observed: np.ndarray,
    facts: Facts,
) -> Callable:
    """For a social contact by someone treated before: is it verified by something that
    really happened (the contact itself, or an earlier arrest that was not prevented)?"""
    events = attempts.event.to_numpy()
    seconds = facts.seconds
    names = np.array(facts.area_names, dtype=object)
    starts = np.r_[0, np.flatnonzero(ev.person[1:] != ev.person[:-1]) + 1]
    run_start = np.repeat(starts, np.diff(np.r_[starts, len(ev)]))
    which = policy_index(versions, seconds)

    def verify(i: int, multiplier: Callable[[int, int], float]) -> bool:
        j = int(events[i])
        p = versions[which[j]]
        c = p.compiled
        sc = p.pathways.social_contact
        codes = c.eligible_codes & set(MARKET_CODES)
        areas = c.program_areas
        check_area = sc.in_program_area and bool(areas)
        observation = "observation" in c.verification_sources and observed[j]
        if observation and ev.code[j] in codes and (not check_area or names[ev.area[j]] in areas):
            return True
        if "records" not in c.verification_sources:
            return False
        since = int(months_before_ymd(facts.day[j : j + 1], sc.verified_within_months)[0])
        person = int(ev.person[j])
        for k in range(int(run_start[j]), j):
            if not ev.probable_cause[k] or ev.code[k] not in codes or seconds[k] >= seconds[j]:
                continue
            if check_area and names[ev.area[k]] not in areas:
                continue
            if facts.day[k] < since:
                continue
            if ev.u_effect[k] <= multiplier(person, int(seconds[k])):
                return True
        return False

    return verify


def generate(
    scenario: Scenario,
    residents: int | None,
    years: int | None,
    seed: int,
    out: Path,
    fmt: str = "parquet",
    force: bool = False,
    progress: Progress | None = None,
) -> Summary:
    """Generate a county and write its tables, truth tables and truth.json to `out`.

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "county"
    >>> summary = generate(Scenario(), residents=20_000, years=2, seed=1, out=out, fmt="csv")
    >>> (out / "truth.json").exists()
    True
    """
    t0 = time.perf_counter()
    out = Path(out)
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, not {fmt!r}")
    check_out_dir(out, force)  # before anything is generated
    county = build(scenario, residents, years, seed, progress)
    say = progress or (lambda stage, frac: None)
    names = list(county.tables)
    # Written aside, then moved into place: a run killed part-way leaves no county to read.
    with staging(out) as tmp:
        for i, name in enumerate(names):
            say(f"write {name}", 0.85 + 0.15 * i / len(names))
            write_table(county.tables[name], tmp / name, fmt)
        write_json(county.truth, tmp / "truth.json")
    say("done", 1.0)
    return Summary(
        out=out,
        fmt=fmt,
        rows={k: len(v) for k, v in county.tables.items()},
        seconds=time.perf_counter() - t0,
        truth=county.truth,
    )


def small_county(seed: int = 1, scenario: Scenario | None = None) -> County:
    """A few thousand people over 3 years, in memory, in a few seconds (for the demo).

    >>> c = small_county()
    >>> 1_000 < len(c.tables["persons"]) < 15_000
    True
    """
    return build(scenario or Scenario(), residents=60_000, years=3, seed=seed)


__all__ = ["County", "Summary", "build", "end_date", "generate", "small_county"]
