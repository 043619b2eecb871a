import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from divert.cli import app
from divert.field.models import EligibilityPolicy
from tests.conftest import local_today

runner = CliRunner()


@pytest.mark.django_db
def test_policy_load_activates_a_version_and_list_shows_it(site):
    result = runner.invoke(app, ["policy", "load", "policies/seattle-2011.toml", "-j", "cascadia"])
    assert result.exit_code == 0, result.output
    assert "seattle v2011.1" in result.output
    result = runner.invoke(app, ["policy", "list", "-j", "cascadia"])
    assert "2011.1" in result.output and "yes" in result.output


@pytest.mark.django_db
def test_a_broken_policy_file_is_refused_naming_line_and_key(site, tmp_path):
    runner.invoke(app, ["policy", "load", "policies/seattle-2011.toml", "-j", "cascadia"])
    broken = tmp_path / "broken.toml"
    text = Path("policies/seattle-2020.toml").read_text()
    broken.write_text(text.replace("min_age = 18", 'min_age = "adult"'))
    result = runner.invoke(app, ["policy", "load", str(broken), "-j", "cascadia"])
    assert result.exit_code == 2
    assert "person.min_age" in result.output and "line" in result.output
    assert EligibilityPolicy.objects.get(active=True).version == "2011.1"


@pytest.mark.django_db
def test_an_unknown_jurisdiction_is_named(site):
    result = runner.invoke(app, ["policy", "load", "policies/seattle-2011.toml", "-j", "nowhere"])
    assert result.exit_code == 2 and "no jurisdiction 'nowhere'" in result.output


@pytest.mark.django_db
def test_holds_flag_overdue_flags_and_files_nothing(participant):
    hold = participant["hold"]
    enrollment = participant["enrollment"]
    enrollment.intake_completed_on = None
    enrollment.status = "intake_pending"
    enrollment.save()
    hold.due_on = hold.held_on = local_today() - datetime.timedelta(days=1)
    hold.save()
    result = runner.invoke(app, ["holds", "flag-overdue"])
    assert "1 hold(s)" in result.output and "Nothing was filed" in result.output
    hold.refresh_from_db()
    assert hold.status == "awaiting_decision"
