"""A small fictional LEAD site for the demo: Cascadia County.

A fixture, deterministic for a given date, with a program that looks alive: open caseloads,
intake deadlines coming due, a hold past its deadline, releases, notes and justice records.
"""

import datetime
import random

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from divert.casework import lifecycle
from divert.casework.models import (
    CaseNote,
    Contact,
    Enrollment,
    Goal,
    InterventionPlan,
    ReleaseOfInformation,
    ServiceReferral,
    StatusChange,
)
from divert.charges.models import ChargeHold
from divert.field.models import Encounter, Offense, Referral
from divert.jurisdictions.models import Area, Jurisdiction, Organization, Precinct, StatuteMapping
from divert.people.models import Person, PersonIdentifier, PersonName
from divert.records.models import JusticeEvent
from divert.staff.models import User

FIRST = [
    "James",
    "Maria",
    "Robert",
    "Keisha",
    "Daniel",
    "Linda",
    "Marcus",
    "Angela",
    "Tyrone",
    "Jessica",
    "William",
    "Crystal",
    "Anthony",
    "Tanya",
    "Joseph",
    "Brenda",
    "Andre",
    "Heather",
    "Luis",
    "Samantha",
]
LAST = [
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Wilson",
    "Martinez",
    "Anderson",
    "Taylor",
    "Thomas",
    "Moore",
    "Jackson",
    "White",
    "Harris",
    "Lewis",
    "Walker",
    "Young",
]
RACES = ["black"] * 11 + ["white"] * 6 + ["american_indian_alaska_native"] + ["multiracial"] * 2
STATUTES = [
    ("RCW 69.50.4013", "Possession of a controlled substance", "35A"),
    ("RCW 69.50.401", "Manufacture or delivery of a controlled substance", "35A"),
    ("RCW 69.50.412", "Drug paraphernalia", "35B"),
    ("RCW 9A.88.030", "Prostitution", "40A"),
    ("RCW 9A.88.080", "Promoting prostitution", "40B"),
    ("RCW 9A.52.070", "Criminal trespass", "90J"),
]


def _aware(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@transaction.atomic
def build_site(today: datetime.date) -> Jurisdiction:
    from divert.demo import DEMO_LOGINS

    rng = random.Random(2011)
    site = Jurisdiction.objects.create(name="Cascadia County", slug="cascadia")
    areas = [
        Area.objects.create(jurisdiction=site, name=name, lead_since=since)
        for name, since in [
            ("Downtown", datetime.date(2011, 10, 1)),
            ("Belltown", datetime.date(2011, 10, 1)),
            ("West", datetime.date(2019, 1, 1)),
            ("North", None),
        ]
    ]
    for n, area in enumerate(areas, 1):
        Precinct.objects.create(jurisdiction=site, area=area, name=f"Precinct {n}")
    for statute, description, code in STATUTES:
        StatuteMapping.objects.create(
            jurisdiction=site, statute=statute, description=description, nibrs=code
        )
    kinds = Organization.Kind
    orgs = {
        kind: Organization.objects.create(jurisdiction=site, name=name, kind=kind, phone=phone)
        for kind, name, phone in [
            (kinds.POLICE, "Cascadia Police Department", "206-555-0110"),
            (kinds.CASE_MANAGEMENT, "Evergreen Case Management", "206-555-0120"),
            (kinds.PROSECUTOR, "Cascadia County Prosecutor", "206-555-0130"),
            (kinds.DEFENDER, "Cascadia Public Defender", "206-555-0140"),
            (kinds.PROVIDER, "Harbor Housing", "206-555-0150"),
            (kinds.COMMUNITY, "Neighbors United", "206-555-0160"),
            (kinds.PROGRAM, "LEAD Program Office", "206-555-0170"),
            (kinds.EVALUATOR, "Cascadia University Evaluation Team", "206-555-0180"),
        ]
    }
    org_for_role = {
        "officer": kinds.POLICE,
        "case_manager": kinds.CASE_MANAGEMENT,
        "supervisor": kinds.CASE_MANAGEMENT,
        "prosecutor": kinds.PROSECUTOR,
        "defender": kinds.DEFENDER,
        "program_manager": kinds.PROGRAM,
        "evaluator": kinds.EVALUATOR,
        "administrator": kinds.PROGRAM,
        "partner": kinds.COMMUNITY,
    }
    names = {
        "officer": ("Sam", "Okafor"),
        "case_manager": ("Dana", "Reyes"),
        "supervisor": ("Pat", "Nguyen"),
        "prosecutor": ("Morgan", "Blake"),
        "defender": ("Avery", "Stone"),
        "program_manager": ("Jordan", "Lee"),
        "evaluator": ("Riley", "Chen"),
        "administrator": ("Casey", "Admin"),
        "partner": ("Jamie", "Ortiz"),
    }
    users = {}
    hashed = {}  # hash each distinct password once: PBKDF2 is slow on purpose
    for role, username, password in DEMO_LOGINS:
        first, last = names[role]
        user = User(
            username=username,
            first_name=first,
            last_name=last,
            organization=orgs[org_for_role[role]],
            roles=[role],
            phone=f"206-555-{1000 + len(users):04d}",
            on_call=role == "case_manager",
            is_staff=role == "administrator",
            is_superuser=role == "administrator",
        )
        user.password = hashed.setdefault(password, make_password(password))
        user.save()
        users[role] = user
    second_cm = User.objects.create(
        username="casemanager2",
        first_name="Chris",
        last_name="Park",
        organization=orgs[kinds.CASE_MANAGEMENT],
        roles=["case_manager"],
        phone="206-555-1099",
    )
    managers = [users["case_manager"], second_cm]

    for i in range(40):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        person = Person.objects.create(
            jurisdiction=site,
            first_name=first,
            last_name=last,
            date_of_birth=datetime.date(
                rng.randint(1960, 2002), rng.randint(1, 12), rng.randint(1, 28)
            ),
            race=rng.choice(RACES),
            ethnicity=rng.choice(["not_hispanic"] * 5 + ["hispanic"]),
            sex=rng.choice(["male", "male", "female"]),
        )
        if i % 4 == 0:
            PersonName.objects.create(person=person, first_name=first[:3], last_name=last)
        PersonIdentifier.objects.create(
            person=person, system="county-jail", value=f"CJ{100000 + i}"
        )
        _history(rng, site, person, today)
        if i < 30:
            _program(rng, site, person, today, i, users, managers, orgs)
    return site


def _history(rng, site, person, today) -> None:
    for n in range(rng.randint(0, 3)):
        day = today - datetime.timedelta(days=rng.randint(200, 3000))
        JusticeEvent.objects.create(
            jurisdiction=site,
            person=person,
            source_system="county-jail",
            source_person_id=person.identifiers.first().value,
            source_event_id=f"{person.pk}-{n}",
            kind=JusticeEvent.Kind.BOOKING,
            occurred_on=day,
            ended_on=day + datetime.timedelta(days=rng.randint(0, 20)),
            nibrs=rng.choice(["35A", "35A", "40A", "23C", "90J"]),
            level=rng.choice(["felony", "misdemeanor", "misdemeanor"]),
        )


def _program(rng, site, person, today, i, users, managers, orgs) -> None:
    days_ago = 3 + i * 12 if i >= 6 else i + 1  # a few fresh referrals with deadlines coming due
    referred = today - datetime.timedelta(days=days_ago)
    pathway = ["arrest_diversion", "arrest_diversion", "social_contact", "community"][i % 4]
    encounter = None
    if pathway != "community":
        encounter = Encounter.objects.create(
            jurisdiction=site,
            person=person,
            occurred_at=_aware(referred, 14),
            area=Area.objects.filter(jurisdiction=site).order_by("pk")[i % 3],
            officer=users["officer"],
            location="3rd Ave & Pine St",
            outcome="diverted" if pathway == "arrest_diversion" else "referred",
        )
        Offense.objects.create(
            encounter=encounter,
            nibrs="35A" if i % 3 else "40A",
            activity="possess" if i % 3 else "solicit",
            drug="heroin" if i % 3 else "",
            grams=round(rng.uniform(0.2, 2.9), 2) if i % 3 else None,
        )
    referral = Referral.objects.create(
        jurisdiction=site,
        person=person,
        encounter=encounter,
        pathway=pathway,
        referred_by=users["partner"] if pathway == "community" else users["officer"],
        referring_organization=orgs["community"] if pathway == "community" else orgs["police"],
        referred_at=_aware(referred, 14),
        handed_off_at=_aware(referred, 14) + datetime.timedelta(minutes=rng.randint(10, 55)),
        case_manager=managers[i % 2],
    )
    manager = managers[i % 2]
    enrollment = Enrollment.objects.create(
        jurisdiction=site,
        person=person,
        referral=referral,
        case_manager=manager,
        referred_on=referred,
        intake_due_on=referred + datetime.timedelta(days=30),
        status=lifecycle.REFERRED,
    )
    path = [lifecycle.INTAKE_PENDING]
    if days_ago > 10 and i % 7 != 0:
        path.append(lifecycle.ACTIVE)
        if i % 5 == 0:
            path.append(lifecycle.INACTIVE)
        if i % 11 == 0:
            path.append(lifecycle.EXITED)
    on = referred
    for status in path:
        on = min(today, on + datetime.timedelta(days=rng.randint(1, 6)))
        StatusChange.objects.create(
            enrollment=enrollment,
            from_status=enrollment.status,
            to_status=status,
            changed_on=on,
            changed_by=manager,
            reason="chose_to_leave" if status == lifecycle.EXITED else "",
        )
        enrollment.status = status
        if status == lifecycle.ACTIVE:
            enrollment.intake_completed_on = on
        if status == lifecycle.EXITED:
            enrollment.exited_on, enrollment.exit_reason = on, "chose_to_leave"
    enrollment.save()
    if pathway == "arrest_diversion":
        due = referred + datetime.timedelta(days=30)
        if enrollment.intake_completed_on:
            status = ChargeHold.Status.INTAKE_DONE
        elif due < today:
            status = ChargeHold.Status.AWAITING_DECISION
        else:
            status = ChargeHold.Status.HOLDING
        ChargeHold.objects.create(
            jurisdiction=site,
            referral=referral,
            prosecutor_office=orgs["prosecutor"],
            held_on=referred,
            due_on=due,
            status=status,
        )
    if enrollment.intake_completed_on:
        _casework(rng, enrollment, manager, orgs, today)


def _casework(rng, enrollment, manager, orgs, today) -> None:
    plan = InterventionPlan.objects.create(
        enrollment=enrollment,
        summary="Stabilise housing first; reconnect with primary care.",
        barriers="No ID documents yet; phone often lost.",
    )
    for domain, text in [
        ("housing", "Move from shelter to supportive housing"),
        ("income", "Apply for SSI"),
        ("treatment", "Visit the low-barrier buprenorphine clinic"),
    ]:
        Goal.objects.create(
            plan=plan, domain=domain, description=text, status=rng.choice(["open", "open", "met"])
        )
    start = enrollment.intake_completed_on
    for n in range(rng.randint(2, 6)):
        Contact.objects.create(
            enrollment=enrollment,
            staff=manager,
            occurred_at=_aware(min(today, start + datetime.timedelta(days=7 * n)), 10),
            kind=rng.choice(["street", "office", "phone", "accompanied"]),
            minutes=rng.choice([15, 30, 45, 60]),
        )
    CaseNote.objects.create(
        enrollment=enrollment,
        author=manager,
        written_at=_aware(start, 11),
        topic="substance_use",
        text="Using daily; interested in buprenorphine. Naloxone kit given.",
    )
    CaseNote.objects.create(
        enrollment=enrollment,
        author=manager,
        written_at=_aware(start, 12),
        topic="general",
        text="Met at the day centre. Wants help with an ID and a phone.",
    )
    ServiceReferral.objects.create(
        enrollment=enrollment,
        provider=orgs["provider"],
        service="Supportive housing application",
        domain="housing",
        sent_on=start,
    )
    release = ReleaseOfInformation.objects.create(
        person=enrollment.person,
        discloser=orgs["case_management"],
        purpose="Coordinate pending cases with the LEAD liaison prosecutor and defender",
        signed_on=start,
        expires_on=start + datetime.timedelta(days=365),
        shares_progress=True,
        shares_barriers=rng.random() < 0.5,
        signature=str(enrollment.person),
    )
    release.recipients.set([orgs["prosecutor"], orgs["defender"]])
