"""The model a site uses: the shipped one, or the file DIVERT_LINKAGE_MODEL names."""

import json
import os
import subprocess
import sys

from divert.linkage import engine
from divert.linkage.justice_dedupe import justice_pair_decide
from divert.linkage.services import model_load, scorer_load
from divert.staff.roles import Role
from tests.linkage.conftest import court_person, jail_person


def _retrained(tmp_path):
    """The shipped model with one trained parameter changed: another model version."""
    data = json.loads(engine.DEFAULT_MODEL.read_text())
    data["divert"].pop("model_version", None)
    for comparison in data["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level.get("m_probability"):
                level["m_probability"] *= 0.9
                path = tmp_path / "retrained.model.json"
                path.write_text(json.dumps(data))
                return path
    raise AssertionError("no trained level")


def test_pages_lookup_and_labels_use_the_model_the_setting_names(site, settings, tmp_path):
    shipped = engine.load().version
    assert model_load().version == scorer_load().version == shipped
    path = _retrained(tmp_path)
    settings.DIVERT_LINKAGE_MODEL = str(path)
    retrained = engine.load(path).version
    assert retrained != shipped
    assert model_load().version == scorer_load().version == retrained
    s = site["site"]
    jail = jail_person(s, "J9", "Denise", "Okafor", None, sex="female")
    court = court_person(s, "C9", "Denise", "Okafor", None, sex="female")
    label = justice_pair_decide(
        user=site["users"][Role.PROGRAM_MANAGER],
        first_id=jail.pk,
        second_id=court.pk,
        decision="same",
    )
    assert label.model_version == retrained


def test_a_setting_naming_no_file_stops_divert_at_start(tmp_path):
    env = {**os.environ, "DIVERT_LINKAGE_MODEL": str(tmp_path / "missing.json")}
    env.pop("DIVERT_TESTING", None)
    started = subprocess.run(
        [sys.executable, "-c", "import divert.settings"],
        env={**env, "DIVERT_VAR_DIR": str(tmp_path), "SECRET_KEY": "x" * 50},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert started.returncode != 0
    assert f"DIVERT_LINKAGE_MODEL: no such file: {tmp_path / 'missing.json'}" in started.stderr
