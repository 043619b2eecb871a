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


def _legal_item(user: Any, item_path: str = "") -> Q:
    """A meeting item with legal coordination on it, about someone whose release in force
    names the user's office (the same share as legal matters)."""
    return ~Q(**{f"{item_path}legal": ""}) & _release_in_force(
        user, f"{item_path}enrollment__person__", "shares_participation"
    )


def _named_response(**enrollment: Any) -> Q:
    """An anonymous survey response, or a named one whose participant has an open enrollment
    passing `enrollment`. Written on `person`, which the response and the enrollment a new
    response is entered for both have, so one rule checks the entry and reads the rows."""
    from divert.casework.lifecycle import OPEN_STATUSES

    open_enrollment = {"person__enrollments__status__in": OPEN_STATUSES}
    open_enrollment |= {f"person__enrollments__{k}": v for k, v in enrollment.items()}
    return Q(person__isnull=True) | Q(**open_enrollment)


# (role, kind) -> the filter a record must pass for that role. Pairs not listed have no
# rule beyond the site: the matrix alone decides.
RULES = {
    (Role.PARTNER, Kind.REFERRAL): lambda u: Q(referring_organization_id=u.organization_id),
    (Role.PARTNER, Kind.SERVICE_REFERRAL): lambda u: Q(provider_id=u.organization_id),
    (Role.PARTNER, Kind.SERVICE_CAPACITY): lambda u: Q(organization__partner_id=u.organization_id),
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
    # At a meeting a case manager reads in full what is about their own participants and
    # what they recorded; of the others' participants, whom to call (divert.meetings.selectors).
    (Role.CASE_MANAGER, Kind.MEETING_ITEM): lambda u: (
        Q(enrollment__case_manager_id=u.pk) | Q(created_by_id=u.pk)
    ),
    (Role.CASE_MANAGER, Kind.ACTION_ITEM): lambda u: (
        Q(owner_id=u.pk)
        | Q(created_by_id=u.pk)
        | Q(item__enrollment__case_manager_id=u.pk)
        | Q(item__created_by_id=u.pk)
    ),
    # A program manager oversees how meetings run (held, attendance, action items done or
    # overdue), not what was said about each participant: the items of meetings they opened
    # or that they recorded, and the action items they own, are theirs to read.
    (Role.PROGRAM_MANAGER, Kind.MEETING_ITEM): lambda u: (
        Q(meeting__created_by_id=u.pk) | Q(created_by_id=u.pk)
    ),
    (Role.PROGRAM_MANAGER, Kind.ACTION_ITEM): lambda u: (
        Q(owner_id=u.pk)
        | Q(created_by_id=u.pk)
        | Q(item__meeting__created_by_id=u.pk)
        | Q(item__created_by_id=u.pk)
    ),
    # A named survey response is entered for a participant on the case manager's own open
    # caseload; a supervisor, who oversees every caseload of the site, for any open
    # enrollment; a program manager, who sees no named person, for none (docs/surveys.md).
    (Role.CASE_MANAGER, Kind.SURVEY_RESPONSE): lambda u: _named_response(case_manager_id=u.pk),
    (Role.SUPERVISOR, Kind.SURVEY_RESPONSE): lambda u: _named_response(),
    (Role.PROGRAM_MANAGER, Kind.SURVEY_RESPONSE): lambda u: Q(person__isnull=True),
    (Role.PROSECUTOR, Kind.MEETING_ITEM): lambda u: _legal_item(u),
    (Role.DEFENDER, Kind.MEETING_ITEM): lambda u: _legal_item(u),
    (Role.PROSECUTOR, Kind.ACTION_ITEM): lambda u: Q(owner_id=u.pk) & _legal_item(u, "item__"),
    (Role.DEFENDER, Kind.ACTION_ITEM): lambda u: Q(owner_id=u.pk) & _legal_item(u, "item__"),
}


def rule_for(role: Role, kind: Kind, user: Any) -> Q | None:
    """The role's filter for records of `kind`, or None when the site is the only limit."""
    rule = RULES.get((role, kind))
    return rule(user) if rule else None
