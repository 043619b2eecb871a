from pathlib import Path

import pytest
from typer.testing import CliRunner

from divert.assessment.models import AssessmentInstrument
from divert.cli import app

runner = CliRunner()
DEFAULT = Path("instruments/default.toml")


@pytest.mark.django_db
def test_instrument_load_activates_a_version_and_a_broken_file_is_refused(site, tmp_path):
    result = runner.invoke(app, ["instrument", "load", str(DEFAULT), "-j", "cascadia"])
    assert result.exit_code == 0, result.output
    assert "divert-default v1" in result.output
    broken = tmp_path / "site.toml"
    broken.write_text(
        DEFAULT.read_text()
        .replace("version = 1", "version = 2")
        .replace("required = true", "required = 1")
    )
    result = runner.invoke(app, ["instrument", "load", str(broken), "-j", "cascadia"])
    assert result.exit_code == 2
    assert "questions[0].required" in result.output and "line 52" in result.output
    assert AssessmentInstrument.objects.get(active=True).version == "1"
    listed = runner.invoke(app, ["instrument", "list", "-j", "cascadia"])
    assert "divert-default" in listed.output and "yes" in listed.output
