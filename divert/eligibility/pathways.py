"""Which referral pathways a case can use, before any exclusion is applied.

Depends on the policy, the offenses being present, verified activity, and the pathways
that rules closed (a protective order, a red-light shift). Facts can only close pathways,
never open one, which keeps screening monotone.

>>> from divert.eligibility.loading import load_policy
>>> from divert.eligibility.case import Case
>>> case = Case.model_validate({"date": "2026-03-14", "person": {"date_of_birth": "1980"},
...     "offenses": [{"nibrs": "35A", "activity": "possess", "grams": 1}]})
>>> available_pathways(load_policy("policies/santa-fe.toml"), case)[0]
('arrest_diversion',)
"""

from __future__ import annotations

from divert import nibrs
from divert.eligibility.case import Case
from divert.eligibility.decision import Reason
from divert.eligibility.policy import Policy
from divert.eligibility.rules import months_before

_MARKETS = frozenset({"drug", "sex_work"})


def _verified_activity(policy: Policy, case: Case) -> bool:
    c = policy.compiled
    months = policy.pathways.social_contact.verified_within_months
    since = months_before(case.date, months)
    check_area = policy.pathways.social_contact.in_program_area and c.program_areas
    for a in case.verified_activity:
        if a.date < since or a.verified_by not in c.verification_sources:
            continue
        if check_area and a.area not in c.program_areas:
            continue
        # Low-level drug or sex-work activity (§1001.87): an eligible code of those kinds.
        if a.nibrs is not None and (
            a.nibrs not in c.eligible_codes or nibrs.OFFENSES[a.nibrs].family not in _MARKETS
        ):
            continue
        return True
    return False


def available_pathways(
    policy: Policy, case: Case, closed_by_rules: frozenset[str] = frozenset()
) -> tuple[tuple[str, ...], list[Reason]]:
    """The pathways open to this case, and why the others are closed.

    `closed_by_rules`: pathways a rule's own reason already closed (listed by the engine).
    """
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
            sc = policy.pathways.social_contact
            where = " inside the program area" if policy.compiled.program_areas else ""
            how = ", ".join(s.replace("_", " ") for s in sc.sources)
            closed[pathway] = Reason(
                "pathway.social_contact_unverified",
                f"social contact needs activity{where} within {sc.verified_within_months} "
                f"months, verified by {how}",
                "pathway",
            )
        elif pathway not in closed_by_rules:
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
