"""Load a whole synthetic county into the database as one jurisdiction."""

import datetime

from django.db import transaction

from divert.casework import lifecycle
from divert.casework.models import Enrollment
from divert.field.policies import policy_load
from divert.jurisdictions.models import Area, Jurisdiction, Organization
from divert.paths import BASE_DIR
from divert.seeding import casework, field, people, records, staff, surveys
from divert.seeding.dates import aware, dates, shift_tables
from divert.surveys.instrument import load_survey_instrument
from divert.synth import County
from divert.synth.surveys import INSTRUMENT as SURVEY_INSTRUMENT

# The demo county (scenarios/demo.toml) runs under these two Seattle versions, the 2020 one
# (community referrals) in force; loading both keeps the version history a real site has.
POLICIES = ["policies/seattle-2011.toml", "policies/seattle-2020.toml"]


@transaction.atomic
def county_load(
    county: County, *, jurisdiction_name: str, slug: str, today: datetime.date
) -> Jurisdiction:
    """Create a jurisdiction holding every program, police and jail row of `county`.

    Dates move so the synthetic period ends on `today` (deadlines come due around now).
    Rows go in with bulk_create, which skips django-simple-history and the audit signals:
    seeding is not casework, and a history entry per synthetic row would only slow it down.
    """
    end = datetime.date.fromisoformat(county.truth["end_date"])
    t = shift_tables(county.tables, end=end, today=today)
    cms = t["case_managers"]
    site = Jurisdiction.objects.create(
        name=jurisdiction_name,
        slug=slug,
        caseload_target=int(cms.caseload_target.iloc[0]),
        caseload_cap=int(cms.caseload_hard_cap.iloc[0]),
    )
    tz = site.timezone
    for policy in POLICIES:
        policy_load(jurisdiction=site, text=(BASE_DIR / policy).read_text(), source=policy)
    areas = Area.objects.bulk_create(
        Area(jurisdiction=site, name=name, lead_since=since)
        for name, since in zip(t["areas"].name, dates(t["areas"].lead_launch), strict=True)
    )
    area_ids = dict(zip(t["areas"].area_id.astype(int), (a.pk for a in areas), strict=True))
    orgs = staff.organizations_create(site=site, name=jurisdiction_name)
    officer_ids, cm_ids = staff.staff_create(
        slug=slug, officers=t["officers"], case_managers=cms, orgs=orgs
    )
    person_ids = people.persons_create(
        site=site, persons=t["persons"], links=t["truth_links"], jail=t["justice_persons"]
    )
    encounter_ids = field.encounters_create(
        site=site,
        encounters=t["encounters"],
        offenses=t["encounter_offenses"],
        people=person_ids,
        officers=officer_ids,
        areas=area_ids,
        at=aware(t["encounters"].occurred_at, tz),
    )
    referral_ids = field.referrals_create(
        site=site,
        referrals=t["referrals"],
        enrollments=t["enrollments"],
        people=person_ids,
        officers=officer_ids,
        encounters=encounter_ids,
        case_managers=cm_ids,
        orgs=orgs,
        at=aware(t["referrals"].referred_at, tz),
    )
    enrollment_ids = casework.enrollments_create(
        site=site,
        enrollments=t["enrollments"],
        history=t["enrollment_status"],
        intakes=t["intakes"],
        people=person_ids,
        referrals=referral_ids,
        case_managers=cm_ids,
    )
    _casework(site, t, person_ids, enrollment_ids, cm_ids, orgs, today)
    records.justice_persons_create(site=site, jail=t["justice_persons"])
    records.justice_events_create(site=site, tables=t, people=person_ids)
    surveys.surveys_create(
        site=site,
        scores=t["survey_scores"],
        instrument=load_survey_instrument(SURVEY_INSTRUMENT),
        areas=area_ids,
        area_names=dict(zip(t["areas"].area_id.astype(int), t["areas"].name, strict=True)),
        created_by=next(iter(cm_ids.values())),
    )
    return site


def _casework(site, t, person_ids, enrollment_ids, cm_ids, orgs, today) -> None:
    enrollments = list(
        Enrollment.objects.filter(jurisdiction=site).select_related("referral", "person")
    )
    Kind = Organization.Kind
    casework.holds_create(
        site=site,
        enrollments=[e for e in enrollments if e.referral.pathway == "arrest_diversion"],
        filed=_filed_after_missed_intake(t, person_ids),
        prosecutor=orgs[Kind.PROSECUTOR],
        today=today,
    )
    casework.contacts_create(
        contacts=t["contacts"], enrollments=enrollment_ids, case_managers=cm_ids, tz=site.timezone
    )
    open_pks = {e.pk for e in enrollments if lifecycle.is_open(e.status)}
    casework.services_create(
        services=t["service_referrals"],
        enrollments=enrollment_ids,
        open_pks=open_pks,
        provider=orgs[Kind.PROVIDER],
        today=today,
    )
    engaged = [e for e in enrollments if e.intake_completed_on]
    casework.plans_create(
        enrollments=engaged, services=t["service_referrals"], pk_of=enrollment_ids
    )
    casework.notes_create(enrollments=engaged, tz=site.timezone)
    casework.releases_create(
        enrollments=[e for e in engaged if e.status in (lifecycle.ACTIVE, lifecycle.INACTIVE)],
        people={e.person_id: str(e.person) for e in enrollments},
        orgs=orgs,
        today=today,
    )


def _filed_after_missed_intake(t, person_ids) -> dict[int, list[datetime.date]]:
    """Person pk -> dates the synth's prosecutor filed a diverted charge (via truth_links)."""
    charges = t["charges"]
    filed = charges[(charges.source == "missed_intake") & charges.filed]
    filed = filed.merge(
        t["truth_links"][["person_id", "justice_person_id"]], on="justice_person_id"
    )
    out: dict[int, list[datetime.date]] = {}
    for pid, on in zip(filed.person_id, dates(filed.filed_at), strict=True):
        out.setdefault(person_ids[int(pid)], []).append(on)
    return out
