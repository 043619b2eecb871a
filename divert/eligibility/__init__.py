"""Eligibility screening for LEAD referrals: policies as data, one pure screening engine.

No Django import anywhere in this package, so the API, the pages, the CLI and the
synthesizer can all call it.

>>> from divert.eligibility import Case, load_policy, screen
>>> policy = load_policy("policies/san-francisco.toml")
>>> case = Case.model_validate({"date": "2026-03-14", "person": {"date_of_birth": "1990"},
...     "offenses": [{"nibrs": "35A", "activity": "possess", "drug": "crack", "grams": 5}],
...     "flags": ["on_probation"]})
>>> decision = screen(policy, case)
>>> decision.eligible, decision.needs_approval
(True, ('supervising_agency',))
"""

from divert.eligibility.case import Case
from divert.eligibility.decision import Decision, Reason
from divert.eligibility.engine import screen
from divert.eligibility.errors import PolicyError, validation_errors
from divert.eligibility.loading import load_policy, parse_policy
from divert.eligibility.policy import Policy
from divert.eligibility.registry import PolicyRegistry
from divert.eligibility.rules import RULES

__all__ = [
    "RULES",
    "Case",
    "Decision",
    "Policy",
    "PolicyError",
    "PolicyRegistry",
    "Reason",
    "load_policy",
    "parse_policy",
    "screen",
    "validation_errors",
]
