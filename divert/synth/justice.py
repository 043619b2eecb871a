"""The jail/court system's view: its own person ids, bookings, charges, dispositions, jail
stays, prison sentences and warrants, as a jail/court export would carry them.

What would happen to each charge of an arrest if it were booked (felony or not, filed,
convicted, when) is drawn once per potential encounter (charge_draws), before anyone is
screened: the screen's history and pending cases and the court records are then the same
draws, so the synthesizer's eligibility and the records it writes agree.

The program reaches felony charges, jail days and prison only through the arrests it
prevents: a booking is charged and sentenced the same way with or without LEAD.

>>> _felony_probability(Justice(), np.array(["35A", "40A", "13B", "23C", "23C"]),
...     np.array(["possess", "solicit", "other", "other", "other"]),
...     np.array([np.nan, np.nan, np.nan, 100.0, 900.0])).tolist()
[0.4, 0.0, 0.0, 0.0, 1.0]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from divert.synth.eligibility import ACTIVITIES_, CODES, encode
from divert.synth.noise import add_noise
from divert.synth.police import Events
from divert.synth.rng import stream
from divert.synth.scenario import Justice, Scenario

_SALE = ("subsistence_sale", "sale_for_profit", "manufacture")
# Felony by definition (1) or never (0); value-based codes are decided by the value.
_ALWAYS_FELONY = ("09A", "100", "11A", "11B", "11C", "120", "13A", "200", "240", "64A", "64B")
_NEVER_FELONY = ("13B", "13C", "40A", "40C", "90A", "90B", "90C", "90E", "90G", "90J", "90Z")
_BY_VALUE = ("23C", "23D", "23F", "23H", "290", "280", "26A", "250")
_SOMETIMES = {"220": 0.9, "90D": 0.02, "90F": 0.1, "40B": 0.5, "11D": 0.5, "36B": 0.7}
DAY_NS = np.int64(86400 * 10**9)


def _felony_probability(
    j: Justice, code: np.ndarray, activity: np.ndarray, value: np.ndarray
) -> np.ndarray:
    """Chance a charge is a felony. Simple assault (13B) never is (NIBRS: misdemeanor-level
    by definition); theft and damage are felonies above the value threshold."""
    table = np.zeros(len(CODES))
    for c in _ALWAYS_FELONY:
        table[CODES.index(c)] = 1.0
    for c, p in _SOMETIMES.items():
        table[CODES.index(c)] = p
    table[CODES.index("520")] = j.felony_weapons
    table[CODES.index("35A")] = j.felony_drug_possession
    k = encode(code, CODES)
    p = table[k]
    sale = np.isin(encode(activity, ACTIVITIES_), [ACTIVITIES_.index(a) for a in _SALE])
    p = np.where((k == CODES.index("35A")) & sale, j.felony_drug_sale, p)
    by_value = np.isin(k, [CODES.index(c) for c in _BY_VALUE])
    return np.where(by_value, np.nan_to_num(value, nan=0.0) > j.felony_value_dollars, p)


@dataclass
class ChargeDraws:
    """What would happen to each potential encounter's charges if booked; slot 0 is the
    primary offense, slot 1 the secondary (its values are unused when there is none)."""

    booked: np.ndarray  # bool: the fallback action is a booking (not cited or released)
    cited: np.ndarray  # bool: cited and released instead
    booked_at: np.ndarray  # datetime64[ns]
    felony_cf: np.ndarray  # (n, 2) bool: felony without the program
    filed: np.ndarray  # (n, 2) bool
    filed_at: np.ndarray  # (n, 2) datetime64[ns]
    kind: np.ndarray  # (n, 2) object: convicted, dismissed, acquitted, deferred
    disposed_at: np.ndarray  # (n, 2) datetime64[ns]


def charge_draws(s: Scenario, ev: Events, seed: int) -> ChargeDraws:
    rng = stream(seed, "charges")
    j, p = s.justice, s.police
    n = len(ev)
    act2 = np.where(ev.code2 == "35B", "possess", "other").astype(object)
    p_fel = np.column_stack(
        [
            _felony_probability(j, ev.code, ev.activity, ev.value),
            _felony_probability(j, ev.code2, act2, np.full(n, np.nan)),
        ]
    )
    felony_cf = rng.random((n, 2), dtype=np.float32) < p_fel
    u = ev.u_action
    released = u < p.release_with_cause
    cited = ~released & ~felony_cf[:, 0] & (u < p.release_with_cause + p.cite_misdemeanor)
    booked = ev.probable_cause & ~released & ~cited
    at = ev.at.astype("datetime64[ns]")
    booked_at = at + (rng.uniform(0.5, 4, n) * 3600e9).astype("timedelta64[ns]")
    filed = rng.random((n, 2), dtype=np.float32) < np.where(
        felony_cf, j.file_felony, j.file_misdemeanor
    )
    filed_at = booked_at[:, None] + (rng.uniform(1, 14, (n, 2)) * 86400e9).astype("timedelta64[ns]")
    uk = rng.random((n, 2), dtype=np.float32)
    kind = np.select(
        [uk < j.convict, uk < j.convict + j.dismiss, uk < (1 + j.convict + j.dismiss) / 2],
        ["convicted", "dismissed", "acquitted"],
        "deferred",
    ).astype(object)
    disposed_at = filed_at + (rng.exponential(j.disposition_mean_days, (n, 2)) * 86400e9).astype(
        "timedelta64[ns]"
    )
    return ChargeDraws(
        booked=booked,
        cited=ev.probable_cause & cited,
        booked_at=booked_at,
        felony_cf=felony_cf,
        filed=filed,
        filed_at=filed_at,
        kind=kind,
        disposed_at=disposed_at,
    )


def justice_records(
    s: Scenario,
    persons: pd.DataFrame,
    booked: pd.DataFrame,
    missed: pd.DataFrame,
    end: np.datetime64,
    seed: int,
) -> dict[str, pd.DataFrame]:
    """Build the justice tables.

    booked: one row per booked encounter and charge slot used: encounter_id, person_id,
    area_id, booked_at, slot, nibrs, activity, dv, felony_cf, filed, filed_at, kind,
    disposed_at.
    missed: encounter_id, person_id, due_at, nibrs, activity (diverted charges to consider).
    """
    rng = stream(seed, "justice")
    j = s.justice
    end_ns = end.astype("datetime64[ns]")

    # The prosecutor's choice on diverted charges whose intake deadline was missed.
    missed = missed[rng.random(len(missed)) < s.program.prosecutor_files_if_missed].copy()
    missed["filed_at"] = missed.due_at + pd.to_timedelta(
        rng.integers(0, 30 * 86400, len(missed)), unit="s"
    )
    missed = missed[missed.filed_at < end_ns]

    # Justice person records: one per person, a second id for some (duplicate records).
    who = np.union1d(booked.person_id.to_numpy(), missed.person_id.to_numpy())
    dup = rng.random(len(who)) < j.duplicate_id_rate
    rec_person = np.concatenate([who, who[dup]])
    jid = 1_000_000 + rng.permutation(len(rec_person))
    primary = pd.Series(jid[: len(who)], index=who)
    second = pd.Series(jid[len(who) :], index=who[dup])
    clean = persons.set_index("person_id").loc[
        rec_person, ["first_name", "last_name", "dob", "race", "sex"]
    ]
    noisy, flags = add_noise(rng, clean.reset_index(drop=True), s.noise)
    justice_persons = pd.DataFrame(
        {
            "justice_person_id": jid,
            "first_name": noisy.first_name,
            "last_name": noisy.last_name,
            "dob": noisy.dob,
            "birth_year": noisy.birth_year,
            "sex": clean.sex.to_numpy(),
            "race": noisy.race,
        }
    )
    links = pd.concat(
        [pd.DataFrame({"person_id": rec_person, "justice_person_id": jid}), flags], axis=1
    )

    def justice_id(person: np.ndarray) -> np.ndarray:
        out = primary.reindex(person).to_numpy()
        alt = second.reindex(person).to_numpy()
        use_alt = ~np.isnan(alt) & (rng.random(len(person)) < 0.5)
        return np.where(use_alt, alt, out).astype(np.int64)

    # Bookings, in time order, one per encounter.
    first = booked[booked.slot == 0].sort_values(["booked_at", "encounter_id"], kind="stable")
    nb = len(first)
    booking_id = np.arange(1, nb + 1)
    booking_of = pd.Series(booking_id, index=first.encounter_id.to_numpy())
    b_jid = justice_id(first.person_id.to_numpy())
    jid_of = pd.Series(b_jid, index=first.encounter_id.to_numpy())
    # A booking export names the person as the jail's person record spells them.
    as_booked = justice_persons.set_index("justice_person_id").loc[b_jid]
    bookings = pd.DataFrame(
        {
            "booking_id": booking_id,
            "justice_person_id": b_jid,
            "booked_at": first.booked_at.to_numpy(),
            "area_id": first.area_id.to_numpy(),
            "first_name": as_booked.first_name.to_numpy(),
            "last_name": as_booked.last_name.to_numpy(),
            "dob": as_booked.dob.to_numpy(),
            "sex": as_booked.sex.to_numpy(),
            "race": as_booked.race.to_numpy(),
        }
    )
    truth_bookings = pd.DataFrame(
        {
            "booking_id": booking_id,
            "encounter_id": first.encounter_id.to_numpy(),
            "person_id": first.person_id.to_numpy(),
        }
    )

    # Charges: one per offense on the booking, then the filed diverted charges.
    ch = booked.sort_values(["encounter_id", "slot"], kind="stable")
    c_booking = booking_of.reindex(ch.encounter_id.to_numpy()).to_numpy()
    order = np.lexsort((ch.slot.to_numpy(), c_booking))
    ch = ch.iloc[order]
    c_booking = c_booking[order]
    nbc = len(ch)
    nm = len(missed)
    felony = ch.felony_cf.to_numpy()
    filed = np.concatenate([ch.filed.to_numpy(), np.ones(nm, dtype=bool)])
    filed_at = np.concatenate([ch.filed_at.to_numpy(), missed.filed_at.to_numpy()])
    filed &= filed_at < end_ns
    n = nbc + nm
    booking_col = pd.array(np.concatenate([c_booking, np.zeros(nm, np.int64)]), dtype="Int64")
    booking_col[nbc:] = pd.NA
    c_jid = np.concatenate(
        [
            jid_of.reindex(ch.encounter_id.to_numpy()).to_numpy(),
            justice_id(missed.person_id.to_numpy()),
        ]
    )
    court = np.where(filed, 1 + rng.poisson(max(j.court_events_per_charge - 1, 0), n), 0)
    severity = np.concatenate(
        [
            np.where(felony, "felony", "misdemeanor"),
            np.where(missed.activity.isin(_SALE), "felony", "misdemeanor"),
        ]
    ).astype(object)
    charges = pd.DataFrame(
        {
            "charge_id": np.arange(1, n + 1),
            "booking_id": booking_col,
            "justice_person_id": c_jid,
            "nibrs": np.concatenate([ch.nibrs.to_numpy(), missed.nibrs.to_numpy()]),
            "severity": severity,
            "domestic_violence": np.concatenate([ch.dv.to_numpy(), np.zeros(nm, dtype=bool)]),
            "filed": filed,
            "filed_at": np.where(filed, filed_at, np.datetime64("NaT")),
            "source": np.where(np.arange(n) < nbc, "booking", "missed_intake").astype(object),
            "court_events": court,
        }
    )

    # Dispositions of filed charges decided before the end date.
    kind = np.concatenate([ch.kind.to_numpy(), _kinds(rng, j, nm)])
    disposed_at = np.concatenate(
        [
            ch.disposed_at.to_numpy(),
            missed.filed_at.to_numpy()
            + (rng.exponential(j.disposition_mean_days, nm) * 86400e9).astype("timedelta64[ns]"),
        ]
    )
    felony_all = severity == "felony"
    convicted = kind == "convicted"
    # Prison for some felony convictions; jail for the other convictions.
    prison = convicted & felony_all & (rng.random(n) < j.prison_given_felony_conviction)
    prison_days = np.where(prison, np.ceil(rng.exponential(j.prison_mean_days, n)), 0).astype(
        np.int64
    )
    mean_sentence = np.where(felony_all, j.sentence_days_felony, j.sentence_days_misdemeanor)
    sentence = np.where(
        convicted & ~prison, np.floor(rng.exponential(1.0, n) * mean_sentence), 0
    ).astype(np.int64)
    decided = filed & (disposed_at < end_ns)
    dispositions = pd.DataFrame(
        {
            "charge_id": charges.charge_id[decided],
            "disposition": kind[decided],
            "disposed_at": disposed_at[decided],
            "sentence_jail_days": sentence[decided],
            "sentence_prison_days": prison_days[decided],
        }
    )

    # Warrants: a failure to appear on a filed charge; cleared by the person's next booking.
    fta = filed & (rng.random(n) < j.failure_to_appear)
    issued = filed_at + (rng.uniform(7, 60, n) * 86400e9).astype("timedelta64[ns]")
    fta &= issued < np.minimum(disposed_at, end_ns)
    warrants = _warrants(charges, fta, issued, bookings)

    # Jail stays: pretrial days plus the longest jail sentence from the booking's charges.
    b_fel = np.zeros(nb, dtype=bool)
    np.logical_or.at(b_fel, c_booking - 1, felony)
    b_sent = np.zeros(nb, dtype=np.int64)
    np.maximum.at(b_sent, c_booking - 1, np.where(decided[:nbc], sentence[:nbc], 0))
    mean_pre = np.where(b_fel, j.pretrial_days_felony, j.pretrial_days_misdemeanor)
    pretrial = np.floor(rng.exponential(1.0, nb) * mean_pre).astype(np.int64)
    days = pretrial + b_sent
    booked_at = first.booked_at.to_numpy()
    released = (
        booked_at
        + (days * 86400e9).astype("timedelta64[ns]")
        + (rng.uniform(1, 8, nb) * 3600e9).astype("timedelta64[ns]")
    )
    jail = pd.DataFrame(
        {
            "jail_stay_id": booking_id,
            "booking_id": booking_id,
            "justice_person_id": b_jid,
            "admitted_at": booked_at,
            "released_at": released,
            "days": days,
        }
    )
    return {
        "justice_persons": justice_persons,
        "bookings": bookings,
        "charges": charges,
        "dispositions": dispositions,
        "jail_stays": jail,
        "warrants": warrants,
        "truth_links": links,
        "truth_bookings": truth_bookings,
    }


def _kinds(rng: np.random.Generator, j: Justice, n: int) -> np.ndarray:
    u = rng.random(n)
    return np.select(
        [u < j.convict, u < j.convict + j.dismiss, u < (1 + j.convict + j.dismiss) / 2],
        ["convicted", "dismissed", "acquitted"],
        "deferred",
    ).astype(object)


def _warrants(
    charges: pd.DataFrame, fta: np.ndarray, issued: np.ndarray, bookings: pd.DataFrame
) -> pd.DataFrame:
    w = pd.DataFrame(
        {
            "charge_id": charges.charge_id.to_numpy()[fta],
            "justice_person_id": charges.justice_person_id.to_numpy()[fta],
            "issued_at": issued[fta],
        }
    ).sort_values("issued_at", kind="stable")
    b = bookings[["booking_id", "justice_person_id", "booked_at"]].sort_values(
        "booked_at", kind="stable"
    )
    m = pd.merge_asof(
        w,
        b.rename(columns={"booked_at": "cleared_at"}),
        left_on="issued_at",
        right_on="cleared_at",
        by="justice_person_id",
        direction="forward",
        allow_exact_matches=False,
    )
    m = m.sort_values("charge_id", kind="stable").reset_index(drop=True)
    return pd.DataFrame(
        {
            "warrant_id": np.arange(1, len(m) + 1),
            "justice_person_id": m.justice_person_id.to_numpy(),
            "charge_id": m.charge_id.to_numpy(),
            "issued_at": m.issued_at.to_numpy(),
            "cleared_at": m.cleared_at.to_numpy(),
            "cleared_by_booking_id": pd.array(m.booking_id.to_numpy(), dtype="Int64"),
        }
    )
