"""Assemble a synthetic LEAD county: population, police, program, justice, costs, truth.

>>> from divert.synth.scenario import Scenario
>>> county = build(Scenario(), residents=30_000, years=2, seed=1)
>>> sorted(county.tables)[:3]
['areas', 'bookings', 'case_managers']
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
from divert.synth.costs import cost_table
from divert.synth.eligibility import (
    DISQUALIFYING,
    eligible,
    secondary_activity,
    years_since_last_violent,
)
from divert.synth.justice import justice_records
from divert.synth.police import SECONDS_PER_YEAR, officer_table, potential_encounters
from divert.synth.population import residents as make_residents
from divert.synth.program import (
    ARREST,
    COMMUNITY,
    PATHWAYS,
    SOCIAL,
    case_manager_count,
    community_referrals,
    happened,
    officer_wants_to_refer,
    run_capacity,
)
from divert.synth.rng import stream
from divert.synth.scenario import Scenario
from divert.synth.tables import TABLES, conform
from divert.synth.write import FORMATS, check_out_dir, write_json, write_table

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


def end_date(s: Scenario, years: int) -> np.datetime64:
    d = s.county.start_date
    try:
        e = d.replace(year=d.year + years)
    except ValueError:  # Feb 29
        e = d.replace(year=d.year + years, day=28)
    return np.datetime64(e, "s")


def _ns(a: np.ndarray) -> np.ndarray:
    return a.astype("datetime64[ns]")


def build(
    s: Scenario, residents: int, years: int, seed: int, progress: Progress | None = None
) -> County:
    """Generate every table in memory."""
    say = progress or (lambda stage, frac: None)
    if residents <= 0 or years <= 0:
        raise ValueError("residents and years must be positive")
    start = np.datetime64(s.county.start_date, "s")
    end = end_date(s, years)
    launch = np.datetime64(s.program.launch_date, "s")
    hr = s.effect.rearrest_hazard_ratio

    say("population", 0.0)
    areas, population, people = make_residents(s, residents, seed)
    officers = officer_table(s, residents, seed)
    say("encounters", 0.1)
    ev = potential_encounters(s, people, officers, years, seed)

    # The officer's view before the program effect is known (see program.py on thinning).
    age = (ev.at - people.dob[ev.person].astype("datetime64[s]")).astype(
        np.int64
    ) / SECONDS_PER_YEAR
    is_violent = ev.probable_cause & (
        np.isin(ev.code, DISQUALIFYING) | np.isin(ev.code2, DISQUALIFYING)
    )
    known = people.substance_use[ev.person] | people.sex_work[ev.person]
    lead_area = np.array([a.lead for a in s.county.areas])
    lead = lead_area[ev.area] & (ev.at >= launch)

    def rule(mask: np.ndarray) -> np.ndarray:
        ysv = years_since_last_violent(ev.person, ev.at, is_violent & mask, people.prior_violent_at)
        return eligible(
            s.eligibility,
            code=ev.code,
            activity=ev.activity,
            grams=ev.grams,
            code2=ev.code2,
            age_years=age,
            years_since_violent=ysv,
            probable_cause=ev.probable_cause,
            known_activity=known,
            drug=ev.drug,
        )

    elig0 = rule(np.ones(len(ev), dtype=bool))
    wants = officer_wants_to_refer(s, ev, people, officers.buy_in.to_numpy(), elig0, lead)

    say("program", 0.3)
    wi = np.flatnonzero(wants)
    comm = community_referrals(s, people, residents, end, seed)
    attempts = pd.DataFrame(
        {
            "person": np.concatenate([ev.person[wi], comm.person.to_numpy()]),
            "at": np.concatenate(
                [ev.at[wi].astype(np.int64), comm["at"].to_numpy().astype(np.int64)]
            ),
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
    outcome, enrolled, first_intake = run_capacity(s, attempts, len(people), residents, end, seed)
    real = happened(ev, first_intake, hr)
    rng = stream(seed, "actions")

    # Actions for every potential encounter; only realized ones are kept.
    n = len(ev)
    violentish = np.isin(ev.code, DISQUALIFYING)
    u = rng.random(n)
    p = s.police
    fallback = np.where(
        ~ev.probable_cause,
        "released",
        np.where(
            u < p.release_with_cause,
            "released",
            np.where(
                ~violentish & (u < p.release_with_cause + p.cite_misdemeanor), "cited", "booked"
            ),
        ),
    ).astype(object)
    action = fallback.copy()
    pathway = np.full(n, None, dtype=object)
    from_event = attempts.event.to_numpy() >= 0
    ev_idx = attempts.event.to_numpy()
    # Re-diversions: attempts that were not new-enrollment decisions, by someone enrolled.
    enr_person = attempts.person.to_numpy()[enrolled.attempt]
    enr_start = attempts["at"].to_numpy()[enrolled.attempt]
    rediv = from_event & (outcome == -1)
    enrolled_now = _enrolled_at(
        attempts.person.to_numpy()[rediv],
        attempts["at"].to_numpy()[rediv],
        enr_person,
        enr_start,
        enrolled.exit_at,
    )
    diverted = np.zeros(len(attempts), dtype=bool)
    diverted[from_event & (outcome == 1)] = True
    diverted[np.flatnonzero(rediv)[enrolled_now]] = True
    di = ev_idx[diverted]
    action[di] = np.where(ev.probable_cause[di], "diverted", "referred")
    pathway[di] = np.where(ev.probable_cause[di], "arrest_diversion", "social_contact")

    elig = rule(real)  # history from encounters that happened only
    say("tables", 0.5)

    # Program person ids: a fixed shuffle, so ids carry no order information.
    ids = stream(seed, "ids").permutation(len(people)) + 1
    ri = np.flatnonzero(real)
    t_order = ri[np.lexsort((ids[ev.person[ri]], ev.at[ri]))]
    encounter_id = np.zeros(n, dtype=np.int64)
    encounter_id[t_order] = np.arange(1, len(t_order) + 1)

    referral_rows = np.flatnonzero(outcome >= 0)
    involved = np.union1d(ev.person[ri], attempts.person.to_numpy()[referral_rows])
    persons = pd.DataFrame(
        {
            "person_id": ids[involved],
            "first_name": people.first_name[involved],
            "last_name": people.last_name[involved],
            "dob": _ns(people.dob[involved]),
            "race": np.array(["white", "black", "asian", "native", "other"], dtype=object)[
                people.race[involved]
            ],
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
    encounters = pd.DataFrame(
        {
            "encounter_id": encounter_id[ri],
            "person_id": ids[ev.person[ri]],
            "officer_id": officers.officer_id.to_numpy()[ev.officer[ri]],
            "area_id": ev.area[ri] + 1,
            "occurred_at": _ns(ev.at[ri]),
            "probable_cause": ev.probable_cause[ri],
            "action": action[ri],
            "eligible": elig[ri],
            "lead_active": lead[ri],
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
        }
    )

    # Referrals (new-enrollment attempts) and enrollments.
    att = attempts.iloc[referral_rows]
    att_event = att.event.to_numpy()
    is_ev = att_event >= 0
    referral_id = np.arange(1, len(att) + 1)
    ref_of_attempt = np.zeros(len(attempts), dtype=np.int64)
    ref_of_attempt[referral_rows] = referral_id
    enrollment_of_attempt = np.full(len(attempts), -1, dtype=np.int64)
    enrollment_of_attempt[enrolled.attempt] = np.arange(1, len(enrolled.attempt) + 1)
    path = att.pathway.to_numpy()
    handoff = stream(seed, "handoff").lognormal(
        np.log(s.program.handoff_median_minutes), s.program.handoff_sigma, len(att)
    )
    accepted = outcome[referral_rows] == 1
    enr_ids = enrollment_of_attempt[referral_rows]
    referrals = pd.DataFrame(
        {
            "referral_id": referral_id,
            "person_id": ids[att.person.to_numpy()],
            "pathway": PATHWAYS[path],
            "encounter_id": pd.array(
                np.where(is_ev, encounter_id[np.maximum(att_event, 0)], 0), dtype="Int64"
            ),
            "officer_id": pd.array(
                np.where(
                    is_ev, officers.officer_id.to_numpy()[ev.officer[np.maximum(att_event, 0)]], 0
                ),
                dtype="Int64",
            ),
            "referred_at": _ns(att["at"].to_numpy().astype("datetime64[s]")),
            "handoff_minutes": np.where(accepted & (path == ARREST), np.round(handoff, 1), np.nan),
            "capacity_refused": ~accepted,
            "enrollment_id": pd.array(enr_ids, dtype="Int64"),
        }
    )
    referrals.loc[~is_ev, ["encounter_id", "officer_id"]] = pd.NA
    referrals.loc[~accepted, "enrollment_id"] = pd.NA

    cms = case_manager_count(s, residents)
    enr = pd.DataFrame(
        {
            "enrollment_id": np.arange(1, len(enrolled.attempt) + 1),
            "person_id": ids[enr_person],
            "referral_id": ref_of_attempt[enrolled.attempt],
            "case_manager_id": enrolled.case_manager,
            "referred_at": enr_start,
            "intake_at": enrolled.intake_at,
            "exit_at": enrolled.exit_at,
        }
    )
    say("casework", 0.6)
    work = casework(s, enr, end, seed)

    # Justice: booked encounters and diverted charges whose intake deadline was missed.
    say("justice", 0.7)
    b = ri[action[ri] == "booked"]
    booked = pd.DataFrame(
        {
            "encounter_id": encounter_id[b],
            "person_id": ids[ev.person[b]],
            "occurred_at": _ns(ev.at[b]),
            "area_id": ev.area[b] + 1,
            "code": ev.code[b],
            "activity": ev.activity[b],
            "code2": ev.code2[b],
            "treated": ev.at[b].astype(np.int64) > first_intake[ev.person[b]],
        }
    )
    it = work["intakes"]
    arrest_enr = enr.enrollment_id.to_numpy()[
        attempts.pathway.to_numpy()[enrolled.attempt] == ARREST
    ]
    miss = it[
        ~it.deadline_met & it.enrollment_id.isin(arrest_enr) & (it.due_at < _ns(np.array([end]))[0])
    ]
    miss_ev = ev_idx[enrolled.attempt][miss.enrollment_id.to_numpy() - 1]
    missed = pd.DataFrame(
        {
            "encounter_id": encounter_id[miss_ev],
            "person_id": ids[ev.person[miss_ev]],
            "due_at": miss.due_at.to_numpy(),
            "code": ev.code[miss_ev],
            "activity": ev.activity[miss_ev],
        }
    )
    just = justice_records(s, persons, booked, missed, end, seed)

    case_managers = pd.DataFrame(
        {
            "case_manager_id": np.arange(1, cms + 1),
            "caseload_target": s.program.caseload_target,
            "caseload_hard_cap": s.program.caseload_hard_cap,
        }
    )
    potential_after = np.bincount(
        ev.person[ev.at.astype(np.int64) > first_intake[ev.person]], minlength=len(people)
    )
    realized_after = np.bincount(
        ev.person[real & (ev.at.astype(np.int64) > first_intake[ev.person])], minlength=len(people)
    )
    fi = first_intake[involved]
    truth_persons = pd.DataFrame(
        {
            "person_id": ids[involved],
            "base_rate": people.base_rate[involved],
            "enforcement_factor": people.enforcement[involved],
            "prior_violent_at": _ns(people.prior_violent_at[involved]),
            "treated_from": np.where(
                fi < end.astype(np.int64), _ns(fi.astype("datetime64[s]")), np.datetime64("NaT")
            ),
            "potential_after": potential_after[involved],
            "realized_after": realized_after[involved],
        }
    )

    tables = {
        "areas": areas,
        "population": population,
        "persons": persons,
        "officers": officers.drop(columns="activity"),
        "case_managers": case_managers,
        "encounters": encounters,
        "encounter_offenses": offenses,
        "referrals": referrals,
        **work,
        **just,
        "costs": cost_table(s),
        "truth_persons": truth_persons,
    }
    tables = {name: conform(name, tables[name]) for name in TABLES}
    say("truth", 0.8)
    internals = truth_mod.Internals(
        people_race=people.race,
        people_base_rate=people.base_rate,
        pre_launch_counts=np.bincount(ev.person[real & (ev.at < launch)], minlength=len(people)),
        pre_launch_years=float((launch - start).astype(np.int64) / SECONDS_PER_YEAR),
        potential_after=int(potential_after.sum()),
        realized_after=int(realized_after.sum()),
    )
    truth = truth_mod.truth(
        s, residents=residents, years=years, seed=seed, tables=tables, internals=internals
    )
    return County(tables=tables, truth=truth)


def _enrolled_at(person, at, enr_person, enr_start, enr_exit) -> np.ndarray:
    """For each (person, at): is the person inside an enrollment [start, exit) at that time?"""
    if len(person) == 0 or len(enr_person) == 0:
        return np.zeros(len(person), dtype=bool)
    left = pd.DataFrame({"person": person, "at": at, "i": np.arange(len(person))}).sort_values(
        "at", kind="stable"
    )
    right = pd.DataFrame({"person": enr_person, "at": enr_start, "exit": enr_exit}).sort_values(
        "at", kind="stable"
    )
    m = pd.merge_asof(left, right, on="at", by="person", direction="backward")
    inside = (m["exit"].fillna(np.iinfo(np.int64).min).to_numpy() > m["at"].to_numpy()) & m[
        "exit"
    ].notna().to_numpy()
    out = np.zeros(len(person), dtype=bool)
    out[m.i.to_numpy()] = inside
    return out


def generate(
    scenario: Scenario,
    residents: int,
    years: int,
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
    out.mkdir(parents=True, exist_ok=True)
    say = progress or (lambda stage, frac: None)
    names = list(county.tables)
    for i, name in enumerate(names):
        say(f"write {name}", 0.85 + 0.15 * i / len(names))
        write_table(county.tables[name], out / name, fmt)
    write_json(county.truth, out / "truth.json")
    say("done", 1.0)
    return Summary(
        out=out,
        fmt=fmt,
        rows={k: len(v) for k, v in county.tables.items()},
        seconds=time.perf_counter() - t0,
        truth=county.truth,
    )


def small_county(seed: int = 1, scenario: Scenario | None = None) -> County:
    """A few thousand people over 3 years, in memory, in well under 5 s (for the demo).

    >>> c = small_county()
    >>> 1_000 < len(c.tables["persons"]) < 10_000
    True
    """
    return build(scenario or Scenario(), residents=60_000, years=3, seed=seed)


__all__ = ["County", "Summary", "build", "end_date", "generate", "small_county"]
