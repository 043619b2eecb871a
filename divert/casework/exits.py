"""The exit reasons a site offers: divert's own, then those the site's policy file adds.

Santa Fe's policy adds a committee termination; the evaluation reports every reason by its
code. divert's own list has no "failed" or "non-compliant" (harm reduction).
"""

from typing import Any

from divert.casework import lifecycle
from divert.field.policies import NoPolicy, policy_active


def exit_reasons_for(jurisdiction: Any) -> dict[str, str]:
    """Code -> label, in the order a form offers them (the site's own after divert's)."""
    reasons = dict(lifecycle.EXIT_REASON_LABELS)
    try:
        _, policy = policy_active(jurisdiction_id=jurisdiction.pk)
    except NoPolicy:
        return reasons
    for reason in policy.exit_reasons:
        reasons.setdefault(reason.name, reason.label)
    return reasons
