"""The jail/court system's view: its own person ids, bookings, charges, dispositions and
jail stays, as a jail/court export would carry them.

The program effect reaches felony charges and jail days through each post-intake booking:
felony probability x (felony_rate_ratio / hazard_ratio) and jail days x (jail_rate_ratio /
hazard_ratio), so per person-time the rates fall by the scenario's ratios.

>>> _felony_probability(Justice(), np.array(["35A", "40A"]), np.array(["possess", "solicit"])).tolist()
[0.4, 0.0]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from divert.nibrs import OFFENSES
from divert.synth.noise import add_noise
from divert.synth.rng import stream
from divert.synth.scenario import Justice, Scenario

_FAMILY = {code: o.family for code, o in OFFENSES.items()}
_SALE = ("subsistence_sale", "sale_for_profit", "manufacture")


def _felony_probability(j: Justice, code: np.ndarray, activity: np.ndarray) -> np.ndarray:
    family = pd.Series(code).map(_FAMILY).to_numpy()
    sale = np.isin(activity, _SALE)
    return np.select(
        [code == "35A", family == "violent", family == "property", family == "weapons"],
        [
            np.where(sale, j.felony_drug_sale, j.felony_drug_possession),
            j.felony_violent,
            j.felony_property,
            0.5,
        ],
        0.0,
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

    booked: encounter_id, person_id, occurred_at, area_id, code, activity, code2, treated.
    missed: encounter_id, person_id, due_at, code, activity (diverted charges to consider).
    """
    rng = stream(seed, "justice")
    j = s.justice
    hr = s.effect.rearrest_hazard_ratio
    felony_mult = s.effect.felony_charge_rate_ratio / hr
    jail_mult = s.effect.jail_days_rate_ratio / hr
    end_ns = end.astype("datetime64[ns]")

    # Prosecutor's choice on diverted charges whose intake deadline was missed.
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

    # Bookings, in time order.
    booked = booked.sort_values(["occurred_at", "encounter_id"], kind="stable").reset_index(
        drop=True
    )
    nb = len(booked)
    booking_id = np.arange(1, nb + 1)
    booked_at = booked.occurred_at.to_numpy() + (rng.uniform(0.5, 4, nb) * 3600e9).astype(
        "timedelta64[ns]"
    )
    b_jid = justice_id(booked.person_id.to_numpy())
    bookings = pd.DataFrame(
        {
            "booking_id": booking_id,
            "justice_person_id": b_jid,
            "booked_at": booked_at,
            "area_id": booked.area_id,
        }
    )
    truth_bookings = pd.DataFrame(
        {
            "booking_id": booking_id,
            "encounter_id": booked.encounter_id,
            "person_id": booked.person_id,
        }
    )

    # Charges: one per offense on the booking, plus filed diverted charges.
    has2 = booked.code2.to_numpy() != ""
    c_booking = np.concatenate([booking_id, booking_id[has2]])
    c_code = np.concatenate([booked.code.to_numpy(), booked.code2.to_numpy()[has2]])
    c_act = np.concatenate([booked.activity.to_numpy(), np.full(has2.sum(), "other", dtype=object)])
    c_treated = np.concatenate([booked.treated.to_numpy(), booked.treated.to_numpy()[has2]])
    c_jid = np.concatenate([b_jid, b_jid[has2]])
    c_time = np.concatenate([booked_at, booked_at[has2]])
    nbc = len(c_booking)
    nm = len(missed)
    c_booking_all = pd.array(
        np.concatenate([c_booking, np.zeros(nm, dtype=np.int64)]), dtype="Int64"
    )
    c_booking_all[nbc:] = pd.NA
    c_code = np.concatenate([c_code, missed.code.to_numpy()])
    c_act = np.concatenate([c_act, missed.activity.to_numpy()])
    c_treated = np.concatenate([c_treated, np.zeros(nm, dtype=bool)])
    c_jid = np.concatenate([c_jid, justice_id(missed.person_id.to_numpy())])
    n = len(c_code)

    p_fel = _felony_probability(j, c_code, c_act)
    u = rng.random(n)
    felony_cf = u < p_fel  # what the charge would be without LEAD
    felony = u < np.minimum(1.0, p_fel * np.where(c_treated, felony_mult, 1.0))
    filed = np.concatenate(
        [
            rng.random(nbc) < np.where(felony[:nbc], j.file_felony, j.file_misdemeanor),
            np.ones(nm, dtype=bool),
        ]
    )
    filed_at = np.concatenate(
        [
            c_time + (rng.uniform(1, 14, nbc) * 86400e9).astype("timedelta64[ns]"),
            missed.filed_at.to_numpy(),
        ]
    )
    filed &= filed_at < end_ns
    court = np.where(filed, 1 + rng.poisson(max(j.court_events_per_charge - 1, 0), n), 0)
    charges = pd.DataFrame(
        {
            "charge_id": np.arange(1, n + 1),
            "booking_id": c_booking_all,
            "justice_person_id": c_jid,
            "nibrs": c_code,
            "severity": np.where(felony, "felony", "misdemeanor").astype(object),
            "filed": filed,
            "filed_at": np.where(filed, filed_at, np.datetime64("NaT")),
            "source": np.where(np.arange(n) < nbc, "booking", "missed_intake").astype(object),
            "court_events": court,
        }
    )

    # Dispositions for filed charges decided before the end date.
    u = rng.random(n)
    kind = np.select(
        [u < j.convict, u < j.convict + j.dismiss, u < (1 + j.convict + j.dismiss) / 2],
        ["convicted", "dismissed", "acquitted"],
        "deferred",
    ).astype(object)
    disposed_at = filed_at + (rng.exponential(90, n) * 86400e9).astype("timedelta64[ns]")
    mult = np.where(c_treated, jail_mult, 1.0)
    mean_sentence = np.where(felony_cf, j.sentence_days_felony, j.sentence_days_misdemeanor)
    sentence = np.where(
        kind == "convicted", np.floor(rng.exponential(1.0, n) * mean_sentence * mult), 0
    ).astype(np.int64)
    decided = filed & (disposed_at < end_ns)
    dispositions = pd.DataFrame(
        {
            "charge_id": charges.charge_id[decided],
            "disposition": kind[decided],
            "disposed_at": disposed_at[decided],
            "sentence_jail_days": sentence[decided],
        }
    )

    # Jail stays: pretrial days plus the longest sentence from the booking's charges.
    b_fel_cf = np.zeros(nb, dtype=bool)
    np.logical_or.at(b_fel_cf, c_booking - 1, felony_cf[:nbc])
    b_sent = np.zeros(nb, dtype=np.int64)
    np.maximum.at(b_sent, c_booking - 1, np.where(decided[:nbc], sentence[:nbc], 0))
    mean_pre = np.where(b_fel_cf, j.pretrial_days_felony, j.pretrial_days_misdemeanor)
    b_mult = np.where(booked.treated.to_numpy(), jail_mult, 1.0)
    pretrial = np.floor(rng.exponential(1.0, nb) * mean_pre * b_mult).astype(np.int64)
    days = pretrial + b_sent
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
        "truth_links": links,
        "truth_bookings": truth_bookings,
    }
