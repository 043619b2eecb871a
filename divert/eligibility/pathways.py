"""Which referral pathways a case can use, before any exclusion is applied.

Depends only on the policy, the offenses being present and verified activity; never on
flags, history or weights. That keeps screening monotone in those facts.

>>> from divert.eligibility.loading import load_policy
>>> from divert.eligibility.case import Case
>>> case = Case.model_validate({"date": "2026-03-14", "person": {"date_of_birth": "1980"},
...     "offenses": [{"nibrs": "35A", "activity": "possess", "grams": 1}]})
>>> available_pathways(load_policy("policies/santa-fe.toml"), case)[0]
('arrest_diversion',)
"""

from __future__ import annotations

from divert.eligibility.case import Case
from divert.eligibility.decision import Reason
from divert.eligibility.policy import Policy
from divert.eligibility.rules import months_before


def _verified_activity(policy: Policy, case: Case) -> bool:
    c = policy.compiled
    months = policy.pathways.social_contact.verified_within_months
    since = months_before(case.date, months)
    check_area = policy.pathways.social_contact.in_program_area and c.program_areas
    for a in case.verified_activity:
        if a.date < since:
            continue
        if check_area and a.area not in c.program_areas:
            continue
        if a.nibrs is not None and a.nibrs not in c.eligible_codes:
            continue
        return True
    return False


def available_pathways(policy: Policy, case: Case) -> tuple[tuple[str, ...], list[Reason]]:
    """The pathways open to this case, and why the others are closed."""
    open_ = []
    closed: dict[str, Reason] = {}
    for pathway in policy.compiled.open_pathways:
        if pathway == "arrest_diversion" and not case.offenses:
            closed[pathway] = Reason(
                "pathway.arrest_diversion_needs_offense",
                "arrest diversion needs an instant offense; the case lists none",
                "pathway",
            )
        elif pathway == "social_contact" and not _verified_activity(policy, case):
            months = policy.pathways.social_contact.verified_within_months
            where = " inside the program area" if policy.compiled.program_areas else ""
            closed[pathway] = Reason(
                "pathway.social_contact_unverified",
                f"social contact needs verified activity{where} within {months} months",
                "pathway",
            )
        else:
            open_.append(pathway)

    reasons: list[Reason] = []
    wanted = case.pathway
    if wanted is not None:
        if wanted not in policy.compiled.open_pathways:
            reasons.append(
                Reason("pathway.not_offered", f"pathway {wanted!r} is not open at this site")
            )
        elif wanted in closed:
            reasons.append(closed[wanted])
    elif not open_:
        reasons.extend(closed.values())
        reasons.append(Reason("pathway.none_open", "no referral pathway is open for this case"))
    return tuple(open_), reasons
