import doctest
import subprocess
import sys

import divert.surveys.instrument


def test_the_docstring_examples_run():
    assert doctest.testmod(divert.surveys.instrument).failed == 0


def test_the_instrument_module_does_not_import_django():
    code = "import sys, divert.surveys.instrument; print('django' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)  # noqa: S603 - fixed argv
    assert out.stdout.strip() == "False"
