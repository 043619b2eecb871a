"""Justice events from the county jail/court export: bookings, charges, dispositions, stays.

The synth's jail system has its own person ids. Real sites will tie them to divert persons
through record linkage (a later feature); the demo uses the synth's answer key, truth_links.
"""

import datetime

import pandas as pd

from divert.jurisdictions.models import Jurisdiction
from divert.records.models import JusticeEvent
from divert.seeding.dates import dates

SOURCE = "county-jail"


def justice_persons_create(*, site: Jurisdiction, jail: pd.DataFrame) -> int:
    """The jail's own person records, with its spelling: what linkage reads."""
    from divert.linkage.models import JusticePerson
    from divert.people.models import DatePrecision, Race, Sex
    from divert.seeding.people import RACE, SEX

    rows = []
    for jpid, first, last, dob, year, sex, race in zip(
        jail.justice_person_id,
        jail.first_name,
        jail.last_name,
        dates(jail.dob),
        jail.birth_year,
        jail.sex,
        jail.race,
        strict=True,
    ):
        precision = DatePrecision.DAY
        if dob is None and not pd.isna(year):
            dob, precision = datetime.date(int(year), 1, 1), DatePrecision.YEAR
        rows.append(
            JusticePerson(
                jurisdiction_id=site.pk,
                source_system=SOURCE,
                source_person_id=str(int(jpid)),
                first_name=first or "",
                last_name=last or "",
                date_of_birth=dob,
                dob_precision=precision,
                sex=SEX.get(sex, Sex.UNKNOWN),
                race=RACE.get(race, Race.UNKNOWN),
            )
        )
    JusticePerson.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def justice_events_create(
    *, site: Jurisdiction, tables: dict[str, pd.DataFrame], people: dict[int, int]
) -> int:
    """Load every justice table as JusticeEvent rows. Returns how many were created."""
    links = tables["truth_links"]
    person_of = {
        int(j): people[int(p)]
        for p, j in zip(links.person_id, links.justice_person_id, strict=True)
    }
    bookings, charges = tables["bookings"], tables["charges"]
    booked_on = dict(zip(bookings.booking_id.astype(int), dates(bookings.booked_at), strict=True))
    first_charge = charges.dropna(subset=["booking_id"]).drop_duplicates("booking_id")
    booking_code = dict(zip(first_charge.booking_id.astype(int), first_charge.nibrs, strict=True))
    charge_of = {
        int(cid): (code, level)
        for cid, code, level in zip(charges.charge_id, charges.nibrs, charges.severity, strict=True)
    }
    rows: list[JusticeEvent] = []

    def add(jpid, event_id: str, kind: str, on, **fields) -> None:
        rows.append(
            JusticeEvent(
                jurisdiction_id=site.pk,
                person_id=person_of.get(int(jpid)),
                source_system=SOURCE,
                source_person_id=str(int(jpid)),
                source_event_id=event_id,
                kind=kind,
                occurred_on=on,
                **fields,
            )
        )

    K = JusticeEvent.Kind
    for bid, jpid in zip(bookings.booking_id.astype(int), bookings.justice_person_id, strict=True):
        add(jpid, f"booking-{bid}", K.BOOKING, booked_on[bid], nibrs=booking_code.get(bid, ""))
    for cid, bid, jpid, code, level, filed, filed_on in zip(
        charges.charge_id,
        charges.booking_id,
        charges.justice_person_id,
        charges.nibrs,
        charges.severity,
        charges.filed,
        dates(charges.filed_at),
        strict=True,
    ):
        # An unfiled charge is dated by its booking; a filed one by its filing.
        on = filed_on or booked_on[int(bid)]
        add(jpid, f"charge-{cid}", K.CHARGE, on, nibrs=code, level=level, filed=bool(filed))
    d = tables["dispositions"].merge(charges[["charge_id", "justice_person_id"]], on="charge_id")
    for cid, jpid, outcome, on in zip(
        d.charge_id, d.justice_person_id, d.disposition, dates(d.disposed_at), strict=True
    ):
        code, level = charge_of[int(cid)]
        add(
            jpid,
            f"disposition-{cid}",
            K.DISPOSITION,
            on,
            nibrs=code,
            level=level,
            filed=True,
            disposition=outcome,
        )
    stays = tables["jail_stays"]
    for sid, jpid, start, end in zip(
        stays.jail_stay_id,
        stays.justice_person_id,
        dates(stays.admitted_at),
        dates(stays.released_at),
        strict=True,
    ):
        add(jpid, f"stay-{sid}", K.JAIL_STAY, start, ended_on=end)
    JusticeEvent.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
