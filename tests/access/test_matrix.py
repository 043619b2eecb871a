"""The whole role × record kind × action matrix, written out as the program's rules.

Letters: v view, c create, u change, d delete, x export, - nothing. This grid is the
specification; the policy module must agree with it cell by cell.
"""

import pytest

from divert.access import Action, Kind, can
from divert.staff.roles import Role

ROLES = [
    "officer",
    "case_manager",
    "supervisor",
    "prosecutor",
    "defender",
    "program_manager",
    "evaluator",
    "administrator",
    "partner",
]  # noqa: E501
SPEC = """
kind               officer case_manager supervisor prosecutor defender program_manager evaluator administrator partner
configuration      -       -            -          -          -        -               -         vcud          -
staff              -       -            v          -          -        v               -         vcud          -
audit_log          -       -            -          -          -        -               -         vx            -
person             c       vcu          vcu        -          -        -               -         -             c
enrollment_status  v       v            v          v          v        -               -         -             -
encounter          vc      v            v          -          -        -               -         -             -
screening          vc      v            v          -          -        -               -         -             -
referral           cu      vcu          vcu        -          -        -               -         -             vc
enrollment         -       vcux         vcux       -          -        -               -         -             -
release            -       vcu          vcu        -          -        -               -         -             -
progress           -       vcu          vcu        v          v        -               -         -             -
plan               -       vcu          vcu        -          -        -               -         -             -
contact            -       vcu          vcu        -          -        -               -         -             -
case_note          -       vcu          vcu        -          -        -               -         -             -
assessment         -       vcu          vcu        -          -        -               -         -             -
health             -       v            v          -          -        -               -         -             -
service_referral   -       vcu          vcu        -          -        -               -         -             vu
charge_hold        -       v            v          vu         v        -               -         -             -
legal_matter       -       v            v          vcu        vu       -               -         -             -
justice_event      -       v            v          -          -        -               -         -             -
import_run         -       -            -          -          -        vc              -         vc            -
quarantine         -       -            -          -          -        vu              -         -             -
link               -       -            -          -          -        vcu             -         vcu           -
task               -       vcu          vcu        -          -        -               -         -             -
fund_budget        -       v            v          -          -        vcu             -         -             -
fund_spend         -       vc           vcu        -          -        vx              -         -             -
fund_rules         -       v            v          -          -        vu              -         vcu           -
assignment         -       -            vu         -          -        -               -         -             -
waitlist           -       -            vcu        -          -        v               -         -             -
record_access      -       v            v          -          -        -               -         v             -
meeting            v       vcu          vcu        v          v        vcu             -         -             -
meeting_item       -       vcu          vcu        v          v        vcu             -         -             -
action_item        -       vcu          vcu        vu         vu       vcu             -         -             -
aggregate          -       -            vx         -          -        vx              vx        v             -
deidentified       -       -            -          -          -        -               vx        -             -
directory          -       v            v          -          -        vcx             -         vcx           -
service_capacity   -       v            v          -          -        vu              -         -             vu
survey             -       v            v          -          -        vcu             -         -             -
survey_response    -       c            c          -          -        c               -         -             -
"""
LETTERS = {
    "v": Action.VIEW,
    "c": Action.CREATE,
    "u": Action.CHANGE,
    "d": Action.DELETE,
    "x": Action.EXPORT,
}  # noqa: E501


def _spec() -> dict[tuple[str, str], set[Action]]:
    lines = [line.split() for line in SPEC.strip().splitlines()]
    header, rows = lines[0][1:], lines[1:]
    assert header == ROLES
    cells = {}
    for kind, *allowed in rows:
        for role, letters in zip(header, allowed, strict=True):
            cells[(kind, role)] = {LETTERS[ch] for ch in letters if ch != "-"}
    return cells


SPEC_CELLS = _spec()


def test_the_spec_names_every_role_and_every_kind():
    assert {role for _, role in SPEC_CELLS} == {r.value for r in Role}
    assert {kind for kind, _ in SPEC_CELLS} == {k.value for k in Kind}


class _User:
    """Stands in for a staff account so the matrix can be walked without a database."""

    is_authenticated = True
    is_active = True
    organization_id = 1

    def __init__(self, role: str):
        self.roles = [role]

    def role_set(self):
        return frozenset({Role(self.roles[0])})


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("kind", [k.value for k in Kind])
def test_policy_matches_the_spec_for_every_action(role, kind):
    user = _User(role)
    allowed = {action for action in Action if can(user, action, Kind(kind))}
    assert allowed == SPEC_CELLS[(kind, role)], f"{role} on {kind}"


def test_an_inactive_account_may_do_nothing():
    user = _User("case_manager")
    user.is_active = False
    assert not any(can(user, a, k) for a in Action for k in Kind)


def test_an_account_without_roles_may_do_nothing():
    user = _User("case_manager")
    user.role_set = lambda: frozenset()
    assert not any(can(user, a, k) for a in Action for k in Kind)


@pytest.mark.parametrize("role", ["officer", "prosecutor", "defender"])
def test_enforcement_never_sees_case_notes_plans_or_contacts(role):
    user = _User(role)
    for kind in (Kind.CASE_NOTE, Kind.PLAN, Kind.CONTACT, Kind.ENROLLMENT, Kind.JUSTICE_EVENT):
        assert not can(user, Action.VIEW, kind)


def test_administrators_cannot_read_case_notes():
    assert not can(_User("administrator"), Action.VIEW, Kind.CASE_NOTE)
