"""Unit costs. Only the program month is published (Seattle, background); the others are
illustrative orders of magnitude to be replaced with local figures.

>>> float(cost_table(Scenario()).set_index("item").dollars["program_month"])
899.0
"""

from __future__ import annotations

import pandas as pd

from divert.synth.scenario import Scenario

_UNITS = {
    "booking": ("one jail booking", "illustrative"),
    "jail_day": ("one jail bed-day", "illustrative"),
    "prosecution_per_charge": ("one filed charge, prosecution", "illustrative"),
    "defense_per_charge": ("one filed charge, public defense", "illustrative"),
    "court_event": ("one court hearing", "illustrative"),
    "program_month": (
        "one participant-month of LEAD",
        "Seattle 2015 cost report: $899 per person per month, falling to $532 (background)",
    ),
}


def cost_table(s: Scenario) -> pd.DataFrame:
    c = s.costs.model_dump()
    return pd.DataFrame(
        [
            {"item": k, "unit": u, "dollars": float(c[k]), "source": src}
            for k, (u, src) in _UNITS.items()
        ]
    )
