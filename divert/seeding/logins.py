"""Demo logins on a loaded site: the officer and case manager are real staff with real work."""

from django.contrib.auth.hashers import make_password
from django.db.models import Count

from divert.casework import lifecycle
from divert.casework.models import Enrollment
from divert.field.models import Referral
from divert.jurisdictions.models import Jurisdiction, Organization, StatuteMapping
from divert.staff.models import RoleGrant, User

Kind = Organization.Kind
ORG_FOR_ROLE = {
    "officer": Kind.POLICE,
    "case_manager": Kind.CASE_MANAGEMENT,
    "supervisor": Kind.CASE_MANAGEMENT,
    "prosecutor": Kind.PROSECUTOR,
    "defender": Kind.DEFENDER,
    "program_manager": Kind.PROGRAM,
    "evaluator": Kind.EVALUATOR,
    "administrator": Kind.PROGRAM,
    "partner": Kind.COMMUNITY,
}
NAMES = {
    "supervisor": ("Pat", "Nguyen"),
    "prosecutor": ("Morgan", "Blake"),
    "defender": ("Avery", "Stone"),
    "program_manager": ("Jordan", "Lee"),
    "evaluator": ("Riley", "Chen"),
    "administrator": ("Casey", "Admin"),
    "partner": ("Jamie", "Ortiz"),
}
STATUTES = [
    ("RCW 69.50.4013", "Possession of a controlled substance", "35A"),
    ("RCW 69.50.401", "Manufacture or delivery of a controlled substance", "35A"),
    ("RCW 69.50.412", "Drug paraphernalia", "35B"),
    ("RCW 9A.88.030", "Prostitution", "40A"),
    ("RCW 9A.88.080", "Promoting prostitution", "40B"),
    ("RCW 9A.52.070", "Criminal trespass", "90J"),
]


def _busiest_officer(site: Jurisdiction) -> User:
    row = (
        Referral.objects.filter(jurisdiction=site, referred_by__isnull=False)
        .values("referred_by")
        .annotate(n=Count("id"))
        .order_by("-n", "referred_by")
        .first()
    )
    return User.objects.get(pk=row["referred_by"])


def _fullest_caseload(site: Jurisdiction) -> User:
    row = (
        Enrollment.objects.filter(jurisdiction=site, status__in=lifecycle.OPEN_STATUSES)
        .values("case_manager")
        .annotate(n=Count("id"))
        .order_by("-n", "case_manager")
        .first()
    )
    return User.objects.get(pk=row["case_manager"])


def demo_logins_create(*, site: Jurisdiction, logins: list[tuple[str, str, str]]) -> None:
    """One login per role. Officer and case manager take over loaded staff with real work."""
    orgs = {o.kind: o for o in Organization.objects.filter(jurisdiction=site)}
    hashed: dict[str, str] = {}  # PBKDF2 is slow on purpose: hash each password once
    StatuteMapping.objects.bulk_create(
        StatuteMapping(jurisdiction=site, statute=s, description=d, nibrs=code)
        for s, d, code in STATUTES
    )
    for role, username, password in logins:
        if role == "officer":
            user = _busiest_officer(site)
        elif role == "case_manager":
            user = _fullest_caseload(site)
            user.on_call = True  # so the officer's hand-off reaches the demo user
        elif role == "platform":
            user = User(first_name="Platform", last_name="Operator")
            user.is_staff = user.is_superuser = True  # no organization and no roles
        else:
            first, last = NAMES[role]
            user = User(first_name=first, last_name=last)
            user.organization = orgs[ORG_FOR_ROLE[role]]
            user.is_staff = role == "administrator"  # the site's, not the platform's
        user.username = username
        if password not in hashed:
            hashed[password] = make_password(password)
        user.password = hashed[password]
        user.save()
        if role in ORG_FOR_ROLE:
            RoleGrant.objects.get_or_create(user=user, role=role)
