"""The examples in the package's docstrings stay true."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import divert.eligibility

from .helpers import POLICIES

MODULES = sorted(
    m.name for m in pkgutil.iter_modules(divert.eligibility.__path__, "divert.eligibility.")
) + ["divert.eligibility"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name, monkeypatch):
    monkeypatch.chdir(POLICIES.parent)  # the examples name policies/*.toml
    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0
