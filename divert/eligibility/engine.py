"""screen(policy, case) -> Decision: run every rule, keep every reason.

>>> from divert.eligibility.loading import load_policy
>>> from divert.eligibility.case import Case
>>> seattle = load_policy("policies/seattle-2011.toml")
>>> case = Case.model_validate({"date": "2026-03-10", "time": "14:30", "area": "West",
...     "person": {"date_of_birth": "1984-02-29"},
...     "offenses": [{"nibrs": "35A", "activity": "possess", "drug": "heroin", "grams": 3.0}]})
>>> d = screen(seattle, case)
>>> d.eligible, [r.rule for r in d.reasons]
(False, ['drug.grams_over_limit'])
"""

from __future__ import annotations

import datetime as dt

from divert.eligibility.case import Case
from divert.eligibility.decision import Decision, Reason
from divert.eligibility.pathways import available_pathways
from divert.eligibility.policy import Policy
from divert.eligibility.rules import CASE_RULES

# Who must agree, keyed by the rule that asks for it.
_APPROVER = {
    "approval.supervising_agency": "supervising_agency",
    "approval.prosecutor": "prosecutor",
}


def screen(policy: Policy, case: Case) -> Decision:
    """Screen one validated case against one policy. Pure: no I/O, no clock."""
    reasons: list[Reason] = []
    for rule in CASE_RULES:
        reasons.extend(rule(policy, case))
    closed = frozenset(p for r in reasons if r.effect == "pathway" for p in r.closes or ())
    open_pathways, pathway_reasons = available_pathways(policy, case, closed)
    reasons.extend(pathway_reasons)

    excluded = any(r.effect == "exclude" for r in reasons)
    # A requested pathway must itself be open; otherwise any open pathway will do.
    wanted = case.pathway
    reachable = wanted in open_pathways if wanted is not None else bool(open_pathways)
    eligible = reachable and not excluded

    needs: list[str] = []
    if eligible:
        for r in reasons:
            who = _APPROVER.get(r.rule)
            if who and who not in needs:
                needs.append(who)
    days = policy.intake.deadline_days
    return Decision(
        eligible=eligible,
        pathways=open_pathways if eligible else (),
        reasons=tuple(reasons),
        needs_approval=tuple(needs),
        policy_id=policy.id,
        policy_version=policy.version,
        intake_deadline_days=days,
        # The deadline runs from the referral (the case date) for every pathway.
        intake_due=case.date + dt.timedelta(days=days) if eligible else None,
    )
