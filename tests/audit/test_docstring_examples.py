import doctest
import importlib

import pytest

# The audit modules that hold pure logic, without Django.
MODULES = ["divert.audit.chain", "divert.audit.checkpoint", "divert.audit.context"]


@pytest.mark.parametrize("name", MODULES)
def test_the_docstring_examples_run(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0 and result.attempted > 0


def test_the_pure_modules_do_not_import_django():
    import subprocess
    import sys

    code = f"import sys; import {', '.join(MODULES)}; print('django' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)  # noqa: S603 - fixed argv
    assert out.stdout.strip() == "False"
