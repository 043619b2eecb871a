"""The outcome of screening one case against one policy.

>>> d = Decision(eligible=False, pathways=(), reasons=(Reason("drug.grams_over_limit",
...     "3.5 g of heroin is over the 3 g limit"),), needs_approval=(),
...     policy_id="seattle", policy_version="2011.1")
>>> d.to_dict()["reasons"][0]["rule"]
'drug.grams_over_limit'
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

# exclude: the case cannot be referred. approval: someone must agree first.
# pathway: one referral pathway is closed to this case. note: worth knowing, changes nothing.
Effect = Literal["exclude", "approval", "pathway", "note"]


@dataclass(frozen=True, slots=True)
class Reason:
    rule: str
    message: str
    effect: Effect = "exclude"
    # For effect "pathway": the pathways this reason closes (None: worked out by the engine).
    closes: tuple[str, ...] | None = None

    def to_dict(self) -> dict[str, str]:
        return {"rule": self.rule, "message": self.message, "effect": self.effect}


@dataclass(frozen=True, slots=True)
class Decision:
    eligible: bool
    pathways: tuple[str, ...]
    reasons: tuple[Reason, ...]
    needs_approval: tuple[str, ...]
    policy_id: str
    policy_version: str | int
    intake_deadline_days: int | None = None
    intake_due: dt.date | None = field(default=None)

    @property
    def rules(self) -> frozenset[str]:
        """The ids of every rule that fired."""
        return frozenset(r.rule for r in self.reasons)

    def to_dict(self) -> dict:
        return {
            "eligible": self.eligible,
            "pathways": list(self.pathways),
            "reasons": [r.to_dict() for r in self.reasons],
            "needs_approval": list(self.needs_approval),
            "intake": {
                "deadline_days": self.intake_deadline_days,
                "due": self.intake_due.isoformat() if self.intake_due else None,
            },
            "policy": {"id": self.policy_id, "version": self.policy_version},
        }
