"""A site's organizations and its staff: officers and case managers from the synthetic tables."""

import random

import pandas as pd
from django.contrib.auth.hashers import make_password

from divert.jurisdictions.models import Jurisdiction, Organization
from divert.staff.models import RoleGrant, User
from divert.staff.roles import Role
from divert.synth.names import FEMALE_FIRST, MALE_FIRST, SURNAMES

Kind = Organization.Kind

# (kind, name suffix, phone). One of each kind a LEAD site works with ("Who decides and meets", docs/lead-background.md).
ORGANIZATIONS = [
    (Kind.POLICE, "Police Department", "206-555-0110"),
    (Kind.CASE_MANAGEMENT, "LEAD Case Management", "206-555-0120"),
    (Kind.PROSECUTOR, "Prosecutor", "206-555-0130"),
    (Kind.DEFENDER, "Public Defender", "206-555-0140"),
    (Kind.PROVIDER, "Housing and Health Services", "206-555-0150"),
    (Kind.COMMUNITY, "Neighbors United", "206-555-0160"),
    (Kind.PROGRAM, "LEAD Program Office", "206-555-0170"),
    (Kind.EVALUATOR, "University Evaluation Team", "206-555-0180"),
]


def organizations_create(*, site: Jurisdiction, name: str) -> dict[str, Organization]:
    orgs = Organization.objects.bulk_create(
        [
            Organization(jurisdiction=site, name=f"{name} {suffix}", kind=kind, phone=phone)
            for kind, suffix, phone in ORGANIZATIONS
        ]
    )
    return {o.kind: o for o in orgs}


def _name(rng: random.Random) -> tuple[str, str]:
    return rng.choice(rng.choice([MALE_FIRST, FEMALE_FIRST])), rng.choice(SURNAMES)


def staff_create(
    *,
    slug: str,
    officers: pd.DataFrame,
    case_managers: pd.DataFrame,
    orgs: dict[str, Organization],
    seed: int = 0,
) -> tuple[dict[int, int], dict[int, int]]:
    """Officers and case managers as staff users. Returns synth id -> user id for each.

    They cannot log in (unusable passwords); the demo gives a password to one of each.
    """
    rng = random.Random(seed)
    unusable = make_password(None)  # one unusable marker is enough; no hashing cost
    users = []
    for officer_id in officers.officer_id:
        first, last = _name(rng)
        users.append(
            User(
                username=f"{slug}-officer-{officer_id}",
                first_name=first,
                last_name=last,
                organization=orgs[Kind.POLICE],
                badge=f"{1000 + int(officer_id)}",
                password=unusable,
            )
        )
    for cm_id in case_managers.case_manager_id:
        first, last = _name(rng)
        users.append(
            User(
                username=f"{slug}-cm-{cm_id}",
                first_name=first,
                last_name=last,
                organization=orgs[Kind.CASE_MANAGEMENT],
                phone=f"206-555-{2000 + int(cm_id):04d}",
                on_call=int(cm_id) % 2 == 1,  # about half take hand-offs at any time
                password=unusable,
            )
        )
    created = User.objects.bulk_create(users)
    n = len(officers)
    RoleGrant.objects.bulk_create(
        RoleGrant(user=u, role=Role.OFFICER if i < n else Role.CASE_MANAGER)
        for i, u in enumerate(created)
    )
    officer_ids = dict(
        zip(officers.officer_id.astype(int), (u.pk for u in created[:n]), strict=True)
    )
    cm_ids = dict(
        zip(case_managers.case_manager_id.astype(int), (u.pk for u in created[n:]), strict=True)
    )
    return officer_ids, cm_ids
