"""A second site in the same database: its records can be neither read nor written from here.

Every API operation (found in the OpenAPI document, so new ones are covered without a new
test), every page that takes an id, and every admin screen is tried by every role of one
site against the records of another. A write would leave an audit entry carrying the other
site's jurisdiction; a read would show its participant's name. Neither may happen.
"""

import datetime
import re

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver

from divert.assessment.services import assessment_create
from divert.audit.models import AuditEntry
from divert.casework.models import (
    CaseNote,
    Contact,
    Enrollment,
    Goal,
    GoalStep,
    InterventionPlan,
    ReleaseOfInformation,
    ServiceReferral,
    Task,
    WaitlistEntry,
)
from divert.charges.models import ChargeHold, LegalMatter
from divert.directory.models import Service
from divert.field.models import Encounter, Referral, Screening
from divert.field.policies import policy_load
from divert.funds.models import FundBudget, FundSpend
from divert.jurisdictions.models import Area
from divert.linkage.models import JusticePerson, Link, PairDecision, PersonMerge
from divert.meetings.models import ActionItem, Meeting, MeetingItem
from divert.people.models import Person
from divert.records.models import ImportRun, JusticeEvent, QuarantinedRow
from divert.staff.roles import Role
from divert.surveys.instrument import available
from divert.surveys.models import Survey
from tests.api.openapi import body_fields, instance, operations
from tests.conftest import local_today, make_site
from tests.directory.helpers import load_directory
from tests.field.conftest import POLICIES

MARKER = "Quartermaine"  # the other site's participant: must never appear in an answer


@pytest.fixture
def elsewhere(db):
    """Another county with a full participant: every kind of record an id can point at."""
    other = make_site("Elsewhere")
    policy = policy_load(
        jurisdiction=other["site"], text=(POLICIES / "seattle-2011.toml").read_text()
    )
    site, users = other["site"], other["users"]
    today = local_today()
    person = Person.objects.create(jurisdiction=site, first_name="Zebulon", last_name=MARKER)
    area = Area.objects.create(jurisdiction=site, name="Harbor")
    encounter = Encounter.objects.create(
        jurisdiction=site,
        person=person,
        occurred_at=datetime.datetime.now(datetime.UTC),
        officer=users[Role.OFFICER],
        outcome="diverted",
    )
    screening = Screening.objects.create(
        jurisdiction=site,
        policy=policy,
        screened_by=users[Role.OFFICER],
        screened_at=encounter.occurred_at,
        person=person,
        case={"date": today.isoformat()},
        decision={"eligible": True, "pathways": ["arrest_diversion"], "reasons": []},
        eligible=True,
    )
    referral = Referral.objects.create(
        jurisdiction=site,
        person=person,
        encounter=encounter,
        pathway="arrest_diversion",
        referred_by=users[Role.OFFICER],
        referring_organization=other["orgs"]["police"],
        referred_at=encounter.occurred_at,
    )
    enrollment = Enrollment.objects.create(
        jurisdiction=site,
        person=person,
        referral=referral,
        case_manager=users[Role.CASE_MANAGER],
        status="intake_pending",
        referred_on=today,
        intake_due_on=today,
    )
    plan = InterventionPlan.objects.create(enrollment=enrollment, barriers="needs ID")
    goal = Goal.objects.create(plan=plan, domain="housing", description=f"{MARKER} housing")
    step = GoalStep.objects.create(goal=goal, description=f"{MARKER} call")
    contact = Contact.objects.create(
        enrollment=enrollment,
        staff=users[Role.CASE_MANAGER],
        occurred_at=encounter.occurred_at,
        kind="in_person",
        place="street",
        note=f"{MARKER} seen",
    )
    note = CaseNote.objects.create(
        enrollment=enrollment,
        author=users[Role.CASE_MANAGER],
        written_at=encounter.occurred_at,
        text=f"{MARKER} note",
    )
    release = ReleaseOfInformation.objects.create(
        person=person,
        discloser=other["orgs"]["case_management"],
        purpose="coordination",
        signed_on=today,
        expires_on=today + datetime.timedelta(days=365),
        shares_progress=True,
        signature=MARKER,
    )
    release.recipients.set([other["orgs"]["prosecutor"]])
    hold = ChargeHold.objects.create(
        jurisdiction=site,
        referral=referral,
        held_on=today - datetime.timedelta(days=10),
        due_on=today - datetime.timedelta(days=1),
        status="awaiting_decision",
    )
    matter = LegalMatter.objects.create(
        jurisdiction=site,
        person=person,
        kind="warrant",
        summary=f"{MARKER} warrant",
        entered_on=today,
    )
    line = FundBudget.objects.create(
        jurisdiction=site,
        category="transport",
        label=f"{MARKER} transport",
        starts_on=today,
        ends_on=today,
        amount=100,
    )
    spend = FundSpend.objects.create(
        jurisdiction=site,
        enrollment=enrollment,
        budget=line,
        amount=10,
        vendor=f"{MARKER} Metro",
        spent_on=today,
        recorded_by=users[Role.CASE_MANAGER],
        status="awaiting",
        receipt=b"\x89PNG\r\n\x1a\n" + b"\0" * 20,
        receipt_type="image/png",
    )
    task = Task.objects.create(
        jurisdiction=site,
        enrollment=enrollment,
        owner=users[Role.CASE_MANAGER],
        created_by=users[Role.CASE_MANAGER],
        title=f"Call {MARKER}",
        due_on=today,
    )
    event = JusticeEvent.objects.create(
        jurisdiction=site,
        person=person,
        source_system="jail",
        source_person_id="Z1",
        source_event_id="Z1",
        kind="booking",
        occurred_on=today,
    )
    run = ImportRun.objects.create(
        jurisdiction=site,
        kind="booking",
        source_system="jail",
        mapping_id="jail",
        mapping_version=1,
        mapping_text=(POLICIES.parent / "mappings" / "synth-county-jail.toml").read_text(),
        file_name=f"{MARKER}.csv",
        file_sha256="0" * 64,
        file_bytes=10,
        started_at=encounter.occurred_at,
        origin="cli",
    )
    quarantined = QuarantinedRow.objects.create(
        jurisdiction=site,
        run=run,
        kind="booking",
        file_name=f"{MARKER}.csv",
        row=2,
        source_key="Z2",
        values={"booking_id": "Z2", "justice_person_id": MARKER, "booked_at": "x", "area_id": "1"},
        errors=[{"column": "booked_at", "message": "not a valid date"}],
        fingerprint="f" * 64,
    )
    jailed = JusticePerson.objects.create(
        jurisdiction=site,
        source_system="jail",
        source_person_id="Z1",
        first_name="Zebulon",
        last_name=MARKER,
    )
    link = Link.objects.create(
        jurisdiction=site,
        person=person,
        justice_person=jailed,
        match_probability=0.7,
        match_weight=3.0,
        model_version="person-v1+test",
        status=Link.Status.REVIEW,
    )
    twin = Person.objects.create(jurisdiction=site, first_name="Zeb", last_name=MARKER)
    merge = PersonMerge.objects.create(
        jurisdiction=site,
        kept=person,
        merged=twin,
        reason=f"{MARKER} twice",
        merged_by=users[Role.PROGRAM_MANAGER],
        merged_at=encounter.occurred_at,
    )
    jailed_twin = JusticePerson.objects.create(
        jurisdiction=site,
        source_system="court",
        source_person_id="Z9",
        first_name="Zeb",
        last_name=MARKER,
    )
    decision = PairDecision.objects.create(
        jurisdiction=site,
        side=PairDecision.Side.PROGRAM,
        first_id=min(person.pk, twin.pk),
        second_id=max(person.pk, twin.pk),
        decision=PairDecision.Decision.SAME,
        merge=merge,
        decided_by=users[Role.PROGRAM_MANAGER],
        decided_at=encounter.occurred_at,
    )
    turned_away = Person.objects.create(jurisdiction=site, first_name="Yolanda", last_name=MARKER)
    waiting = WaitlistEntry.objects.create(
        jurisdiction=site,
        person=turned_away,
        referral=Referral.objects.create(
            jurisdiction=site,
            person=turned_away,
            pathway="social_contact",
            referred_by=users[Role.OFFICER],
            referred_at=encounter.occurred_at,
            capacity_refused=True,
        ),
        pathway="social_contact",
        turned_away_at=encounter.occurred_at,
        reason=f"{MARKER} full",
        added_at=encounter.occurred_at,
        added_by=users[Role.SUPERVISOR],
    )
    assessment = assessment_create(
        user=users[Role.CASE_MANAGER],
        enrollment=enrollment,
        taken_on=today,
        answers={"living_situation": "shelter", "housing_goal": f"{MARKER} house"},
    )
    load_directory(other, organization=f"{MARKER} shelters")
    service = Service.objects.get(jurisdiction=site, name="Night shelter")
    service_referral = ServiceReferral.objects.create(
        enrollment=enrollment,
        provider=service.organization.partner,
        directory_service=service,
        service=service.name,
        domain="housing",
        sent_on=today,
        note=f"{MARKER} needs a bed",
    )
    meeting = Meeting.objects.create(
        jurisdiction=site, held_on=today, created_by=users[Role.SUPERVISOR]
    )
    meeting_item = MeetingItem.objects.create(
        meeting=meeting,
        enrollment=enrollment,
        summary=f"{MARKER} discussed",
        legal=f"{MARKER} warrant",
        created_by=users[Role.SUPERVISOR],
    )
    action_item = ActionItem.objects.create(
        item=meeting_item,
        description=f"Find {MARKER}",
        owner=users[Role.CASE_MANAGER],
        due_on=today,
        created_by=users[Role.SUPERVISOR],
    )
    survey = Survey.objects.create(
        jurisdiction=site,
        title=f"{MARKER} survey",
        respondents="participant",
        anonymous=False,
        instrument=available()["police-legitimacy"].model_dump(mode="json"),
        opens_on=today,
        created_by=users[Role.PROGRAM_MANAGER],
    )
    return {
        **other,
        "ids": {
            "survey_id": survey.pk,
            "meeting_id": meeting.pk,
            "meeting_item_id": meeting_item.pk,
            "action_item_id": action_item.pk,
            "service_id": service.pk,
            "service_referral_id": service_referral.pk,
            "assessment_id": assessment.pk,
            "person_id": person.pk,
            "enrollment_id": enrollment.pk,
            "referral_id": referral.pk,
            "encounter_id": encounter.pk,
            "screening_id": screening.pk,
            "hold_id": hold.pk,
            "area_id": area.pk,
            "release_id": release.pk,
            "note_id": note.pk,
            "goal_id": goal.pk,
            "step_id": step.pk,
            "contact_id": contact.pk,
            "event_id": event.pk,
            "organization_id": other["orgs"]["case_management"].pk,
            "case_manager_id": users[Role.CASE_MANAGER].pk,
            "user_id": users[Role.CASE_MANAGER].pk,
            "import_run_id": run.pk,
            "quarantined_row_id": quarantined.pk,
            "task_id": task.pk,
            "link_id": link.pk,
            "merge_id": merge.pk,
            "kept_id": person.pk,
            "merged_id": twin.pk,
            "decision_id": decision.pk,
            "first_id": jailed.pk,
            "second_id": jailed_twin.pk,
            "legal_matter_id": matter.pk,
            "fund_spend_id": spend.pk,
            "waitlist_entry_id": waiting.pk,
            "previous_id": enrollment.pk,
        },
    }


def _other_site_writes(elsewhere) -> int:
    """Changes recorded against the other site (every audit entry names its site)."""
    return AuditEntry.objects.filter(
        jurisdiction_id=elsewhere["site"].pk,
        action__in=["create", "change", "delete"],
        outcome="success",
    ).count()


# --- the API ------------------------------------------------------------------------------


def _operations():
    for method, path, op, body in operations():
        names = [p["name"] for p in op.get("parameters", [])]
        if any(n.endswith("_id") for n in [*names, *body_fields(body)]):
            yield pytest.param(method, path, op, id=f"{method.upper()} {path}")


@pytest.mark.parametrize(("method", "path", "op"), list(_operations()))
def test_no_api_operation_reaches_another_sites_records(client, site, elsewhere, method, path, op):
    ids = elsewhere["ids"]
    unknown = {
        p["name"]
        for p in op.get("parameters", [])
        if p["name"].endswith("_id") and p["name"] not in ids
    }
    assert not unknown, f"add an id for {unknown} to the `elsewhere` fixture"
    url = re.sub(r"{(\w+)}", lambda m: str(ids[m.group(1)]), path)
    query = {
        p["name"]: ids[p["name"]]
        for p in op.get("parameters", [])
        if p["in"] == "query" and p["name"] in ids
    }
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    body = op.get("requestBody", {}).get("content", {}).get("application/json")
    payload = instance(body["schema"], "", ids, local_today()) if body else None
    before = _other_site_writes(elsewhere)
    for role in Role:
        client.force_login(site["users"][role])
        call = getattr(client, method)
        response = (
            call(url, payload, content_type="application/json")
            if payload is not None
            else call(url)
        )
        assert response.status_code < 500, (role, response.content[:300])
        assert MARKER not in response.content.decode(errors="replace"), (role, response.content)
        assert _other_site_writes(elsewhere) == before, role


# --- pages --------------------------------------------------------------------------------


def _page_routes(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if pattern.startswith(("admin/", "api/")):
                continue
            yield from _page_routes(entry, pattern)
        elif isinstance(entry, URLPattern) and "<int:" in pattern:
            yield pytest.param(pattern, id=pattern)


@pytest.mark.parametrize("pattern", list(_page_routes()))
def test_no_page_reaches_another_sites_records(client, site, elsewhere, pattern):
    ids = elsewhere["ids"]
    names = re.findall(r"<int:(\w+)>", pattern)
    missing = [n for n in names if n not in ids]
    assert not missing, f"add an id for {missing} to the `elsewhere` fixture"
    url = "/" + re.sub(r"<int:(\w+)>", lambda m: str(ids[m.group(1)]), pattern)
    before = _other_site_writes(elsewhere)
    for role in Role:
        client.force_login(site["users"][role])
        for response in (client.get(url), client.post(url, {"pathway": "arrest_diversion"})):
            assert response.status_code in (302, 403, 404, 405), (role, response.status_code)
            assert MARKER not in response.content.decode(errors="replace"), role
        assert _other_site_writes(elsewhere) == before, role


# --- the admin ----------------------------------------------------------------------------


def _admin_objects(elsewhere) -> list:
    return [
        elsewhere["site"],
        elsewhere["orgs"]["police"],
        Area.objects.get(jurisdiction=elsewhere["site"]),
        elsewhere["users"][Role.CASE_MANAGER],
        Service.objects.get(jurisdiction=elsewhere["site"], name="Night shelter"),
        Service.objects.get(jurisdiction=elsewhere["site"], name="Night shelter").organization,
    ]


def test_a_site_administrator_can_open_no_admin_screen_of_another_site(client, site, elsewhere):
    admin_user = site["users"][Role.ADMINISTRATOR]
    admin_user.is_staff = True
    admin_user.save()
    client.force_login(admin_user)
    before = _other_site_writes(elsewhere)
    for obj in _admin_objects(elsewhere):
        opts = obj._meta
        if obj.__class__ not in admin.site._registry:
            continue
        url = f"/admin/{opts.app_label}/{opts.model_name}/{obj.pk}/change/"
        assert client.get(url).status_code in (302, 404), url
        client.post(url, {"name": "Renamed"})
        client.post(url.replace("/change/", "/delete/"), {"post": "yes"})
        listing = client.get(f"/admin/{opts.app_label}/{opts.model_name}/").content.decode()
        assert str(obj) not in listing or opts.model_name == "jurisdiction"
    assert _other_site_writes(elsewhere) == before
    assert not any(
        "Elsewhere" in line
        for line in client.get("/admin/jurisdictions/jurisdiction/").content.decode().splitlines()
        if "field-name" in line
    )


# --- the command line ---------------------------------------------------------------------


def test_the_cli_changes_only_the_site_it_names(site, elsewhere):
    from typer.testing import CliRunner

    from divert.cli import app
    from divert.field.models import EligibilityPolicy

    before = EligibilityPolicy.objects.get(jurisdiction=elsewhere["site"], active=True)
    result = CliRunner().invoke(
        app,
        ["policy", "load", str(POLICIES / "seattle-2020.toml"), "-j", site["site"].slug],
    )
    assert result.exit_code == 0, result.output
    assert EligibilityPolicy.objects.get(jurisdiction=elsewhere["site"], active=True) == before
    assert EligibilityPolicy.objects.filter(jurisdiction=site["site"], active=True).exists()
