"""Shared synthetic counties: built once per session so the suite stays fast."""

from __future__ import annotations

import pytest

from divert.synth import Scenario, build, generate, small_county


@pytest.fixture(scope="session")
def small():
    return small_county(seed=1)


@pytest.fixture(scope="session")
def medium():
    """Large enough for sampling-error checks (about 2 s)."""
    return build(Scenario(), residents=600_000, years=5, seed=7)


@pytest.fixture(scope="session")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("county") / "out"
    generate(Scenario(), residents=40_000, years=3, seed=3, out=out, fmt="parquet")
    return out
