"""divert synth: a synthetic LEAD county with known ground truth.

Pure Python (numpy/pandas), no Django. The public layer:

>>> from divert.synth import Scenario, small_county
>>> county = small_county(seed=1)
>>> county.truth["effect"]["full_engagement_hazard_ratio"]
0.1

`generate(scenario, residents, years, seed, out, fmt)` writes the canonical tables
(docs/data-model.md) plus truth.json; `load_scenario(path)` validates a TOML scenario;
`calibration_report(scenario, seeds=[...])` checks a county against the published record.
Names load lazily so `divert --help` does not import numpy and pandas.
"""

from __future__ import annotations

import importlib
from typing import Any

_PUBLIC = {
    "County": "assemble",
    "Summary": "assemble",
    "build": "assemble",
    "generate": "assemble",
    "small_county": "assemble",
    "NICKNAMES": "names",
    "Scenario": "scenario",
    "ScenarioError": "scenario",
    "load_scenario": "scenario",
    "scenario_from_dict": "scenario",
    "TABLES": "tables",
    "calibration_report": "calibration",
    "SchemaError": "tables",
    "OutDirNotEmpty": "write",
    "read_table": "write",
}
__all__ = sorted(_PUBLIC)


def __getattr__(name: str) -> Any:
    if name not in _PUBLIC:
        raise AttributeError(f"module 'divert.synth' has no attribute {name!r}")
    return getattr(importlib.import_module(f"divert.synth.{_PUBLIC[name]}"), name)
