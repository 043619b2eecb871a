"""The examples in the importer's pure modules stay true."""

import doctest
import importlib

import pytest

MODULES = ["fields", "mapping", "reading", "checks"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    result = doctest.testmod(importlib.import_module(f"divert.records.{name}"))
    assert result.failed == 0
    assert result.attempted > 0
