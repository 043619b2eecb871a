import doctest
import importlib
import pkgutil

import pytest

import divert.synth

MODULES = sorted(m.name for m in pkgutil.iter_modules(divert.synth.__path__, "divert.synth."))


@pytest.mark.parametrize("name", MODULES)
def test_the_docstring_examples_run(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0


def test_importing_the_cli_does_not_load_numpy_or_pandas():
    import subprocess
    import sys

    code = "import sys, divert.synth.cli; print('pandas' in sys.modules or 'numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)  # noqa: S603 - fixed argv
    assert out.stdout.strip() == "False"


def test_nothing_in_the_package_imports_django():
    import subprocess
    import sys

    code = "import sys, divert.synth; divert.synth.small_county(); print('django' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)  # noqa: S603 - fixed argv
    assert out.stdout.strip() == "False"
