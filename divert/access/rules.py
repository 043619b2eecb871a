"""Object rules: which records of a kind a role may reach within its own site.

Each rule is written once, as a filter. `can()` asks whether one record passes it and
`visible()` narrows a list with it, so a check and a list can never disagree.
"""

from typing import Any

from django.db.models import Q

from divert.access.kinds import Kind
from divert.jurisdictions.clock import site_today
from divert.staff.roles import Role


def _release_in_force(user: Any, person_path: str, shares: str) -> Q:
    from divert.casework.models import ReleaseOfInformation

    via = f"{person_path}releases__"
    return Q(
        ReleaseOfInformation.in_force_q(site_today(user.jurisdiction), via),
        **{f"{via}recipients": user.organization_id, f"{via}{shares}": True},
    )


# (role, kind) -> the filter a record must pass for that role. Pairs not listed have no
# rule beyond the site: the matrix alone decides.
RULES = {
    (Role.PARTNER, Kind.REFERRAL): lambda u: Q(referring_organization_id=u.organization_id),
    (Role.PARTNER, Kind.SERVICE_REFERRAL): lambda u: Q(provider_id=u.organization_id),
    (Role.OFFICER, Kind.ENCOUNTER): lambda u: Q(officer_id=u.pk),
    (Role.OFFICER, Kind.SCREENING): lambda u: Q(screened_by_id=u.pk),
    (Role.OFFICER, Kind.REFERRAL): lambda u: Q(referred_by_id=u.pk),
    # A general task (about no participant) is its owner's and its maker's own.
    (Role.CASE_MANAGER, Kind.TASK): lambda u: (
        Q(owner_id=u.pk) | Q(created_by_id=u.pk) | Q(enrollment__isnull=False)
    ),
    # Enforcement learns progress only while a release naming its office is in force.
    (Role.PROSECUTOR, Kind.PROGRESS): lambda u: _release_in_force(u, "person__", "shares_progress"),
    (Role.DEFENDER, Kind.PROGRESS): lambda u: _release_in_force(u, "person__", "shares_progress"),
    # Legal coordination is the release's participation share: that LEAD works with the person.
    (Role.PROSECUTOR, Kind.LEGAL_MATTER): lambda u: _release_in_force(
        u, "person__", "shares_participation"
    ),
    (Role.DEFENDER, Kind.LEGAL_MATTER): lambda u: _release_in_force(
        u, "person__", "shares_participation"
    ),
}


def rule_for(role: Role, kind: Kind, user: Any) -> Q | None:
    """The role's filter for records of `kind`, or None when the site is the only limit."""
    rule = RULES.get((role, kind))
    return rule(user) if rule else None
