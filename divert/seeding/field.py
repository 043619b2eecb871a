"""Police encounters with their offenses, and referrals into LEAD by all three pathways."""

import datetime
from decimal import Decimal

import pandas as pd

from divert.field.models import Encounter, Offense, Referral
from divert.jurisdictions.models import Jurisdiction, Organization


def encounters_create(
    *,
    site: Jurisdiction,
    encounters: pd.DataFrame,
    offenses: pd.DataFrame,
    people: dict[int, int],
    officers: dict[int, int],
    areas: dict[int, int],
    at: list[datetime.datetime | None],
) -> dict[int, int]:
    """Encounters (the synth's action is the outcome) and offenses. Returns synth id -> pk."""
    created = Encounter.objects.bulk_create(
        Encounter(
            jurisdiction_id=site.pk,
            person_id=people[int(pid)],
            occurred_at=when,
            area_id=areas[int(area)],
            officer_id=officers[int(officer)],
            outcome=action,  # booked|cited|released|diverted|referred: the same codes
        )
        for pid, when, area, officer, action in zip(
            encounters.person_id,
            at,
            encounters.area_id,
            encounters.officer_id,
            encounters.action,
            strict=True,
        )
    )
    ids = dict(zip(encounters.encounter_id.astype(int), (e.pk for e in created), strict=True))
    Offense.objects.bulk_create(
        Offense(
            encounter_id=ids[int(eid)],
            nibrs=code,
            activity=activity or "",
            drug=drug or "",
            grams=None if pd.isna(grams) else Decimal(f"{grams:.3f}"),
        )
        for eid, code, activity, drug, grams in zip(
            offenses.encounter_id,
            offenses.nibrs,
            offenses.activity,
            offenses.drug,
            offenses.grams,
            strict=True,
        )
    )
    return ids


def referrals_create(
    *,
    site: Jurisdiction,
    referrals: pd.DataFrame,
    enrollments: pd.DataFrame,
    people: dict[int, int],
    officers: dict[int, int],
    encounters: dict[int, int],
    case_managers: dict[int, int],
    orgs: dict[str, Organization],
    at: list[datetime.datetime | None],
) -> dict[int, int]:
    """Referrals, with hand-off times and capacity refusals. Returns synth id -> pk."""
    cm_of = dict(
        zip(
            enrollments.referral_id.astype(int),
            enrollments.case_manager_id.astype(int),
            strict=True,
        )
    )
    police, community = orgs[Organization.Kind.POLICE], orgs[Organization.Kind.COMMUNITY]
    rows = []
    for rid, pid, pathway, eid, oid, when, minutes, refused in zip(
        referrals.referral_id,
        referrals.person_id,
        referrals.pathway,
        referrals.encounter_id,
        referrals.officer_id,
        at,
        referrals.handoff_minutes,
        referrals.capacity_refused,
        strict=True,
    ):
        cm = cm_of.get(int(rid))
        rows.append(
            Referral(
                jurisdiction_id=site.pk,
                person_id=people[int(pid)],
                encounter_id=None if pd.isna(eid) else encounters[int(eid)],
                pathway=pathway,
                referred_by_id=None if pd.isna(oid) else officers[int(oid)],
                referring_organization=community if pathway == "community" else police,
                referred_at=when,
                case_manager_id=case_managers[cm] if cm else None,
                notified_at=None if refused else when,
                handed_off_at=None
                if pd.isna(minutes)
                else when + datetime.timedelta(minutes=float(minutes)),
                capacity_refused=bool(refused),
                note="Caseloads at the cap." if refused else "",
            )
        )
    created = Referral.objects.bulk_create(rows)
    return dict(zip(referrals.referral_id.astype(int), (r.pk for r in created), strict=True))
