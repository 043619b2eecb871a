"""Reviewers' decisions as labels: listed, exported, and the model evaluated against them."""

import datetime

import pytest

from divert.linkage.labels import labels_evaluate, labels_list
from divert.linkage.models import Link
from divert.linkage.pairs import pair_decide
from divert.linkage.services import link_decide, linkage_run, model_load
from divert.people.models import Person
from divert.staff.roles import Role


def test_link_and_merge_review_decisions_are_labels_the_model_is_scored_against(site, county):
    manager = site["users"][Role.PROGRAM_MANAGER]
    linkage_run(jurisdiction=site["site"])
    unsure = Link.objects.get(justice_person=county["unsure"])
    link_decide(user=manager, link_id=unsure.pk, decision="confirm")
    clear = Link.objects.get(justice_person=county["clear"])
    link_decide(user=manager, link_id=clear.pk, decision="reject")  # a reviewer's mistake
    other = Person.objects.create(
        jurisdiction=site["site"],
        first_name="Denise",
        last_name="Okafor",
        date_of_birth=datetime.date(1990, 2, 2),
    )
    twin = Person.objects.create(
        jurisdiction=site["site"],
        first_name="Tonya",
        last_name="Buttler",
        date_of_birth=county["tonya"].date_of_birth,
    )
    pair_decide(user=manager, first_id=county["tonya"].pk, second_id=other.pk, decision="different")
    pair_decide(user=manager, first_id=county["tonya"].pk, second_id=twin.pk, decision="same")
    found = labels_list(jurisdiction_id=site["site"].pk)
    assert sorted((x["kind"], x["same"]) for x in found) == [
        ("link", False),
        ("link", True),
        ("program", False),
        ("program", True),
    ]
    figures = labels_evaluate(jurisdiction_id=site["site"].pk, model=model_load())
    assert (figures["labels"], figures["same"], figures["different"]) == (4, 2, 2)
    review, link = figures["review"], figures["link"]
    # The confirmed link and the merged twins score at or above review; the rejected clear
    # pair above both thresholds; the stranger below.
    assert (review["true_positives"], review["false_positives"]) == (2, 1)
    assert review["false_negatives"] == 0 and review["recall"] == 1.0
    assert review["precision"] == 2 / 3
    assert link["false_positives"] == 1
    assert link["true_positives"] + link["false_negatives"] == 2
    assert link["false_negatives"] >= 1  # the confirmed link scored below the link threshold


def test_the_command_evaluates_and_exports(site, county, tmp_path):
    import csv
    import json

    from typer.testing import CliRunner

    from divert.cli import app

    manager = site["users"][Role.PROGRAM_MANAGER]
    linkage_run(jurisdiction=site["site"])
    unsure = Link.objects.get(justice_person=county["unsure"])
    link_decide(user=manager, link_id=unsure.pk, decision="reject")
    slug = site["site"].slug
    result = CliRunner().invoke(app, ["labels", "evaluate", "-j", slug, "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["labels"] == 1 and figures["review"]["false_positives"] == 1
    out = tmp_path / "labels.csv"
    result = CliRunner().invoke(app, ["labels", "export", "-j", slug, "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open()))
    assert [(r["kind"], r["left_id"], r["right_id"], r["clerical_match_score"]) for r in rows] == [
        ("link", str(county["robert"].pk), str(county["unsure"].pk), "0")
    ]


def _load_small_county(site):
    """The small synthetic county's people and justice records, stored for the site, and
    the truth of who is whom in stored ids."""
    from divert.linkage.default_model import synth_frames
    from divert.linkage.models import JusticePerson

    left, right, truth = synth_frames()
    s = site["site"]

    def born(value):
        return None if value is None or value != value else value.date()

    people = Person.objects.bulk_create(
        Person(
            jurisdiction=s,
            first_name=r.first_name,
            last_name=r.last_name,
            date_of_birth=born(r.dob),
            sex=r.sex,
            race=r.race,
        )
        for r in left.itertuples()
    )
    records = JusticePerson.objects.bulk_create(
        JusticePerson(
            jurisdiction=s,
            source_system="county-jail",
            source_person_id=str(r.unique_id),
            first_name=r.first_name,
            last_name=r.last_name,
            date_of_birth=born(r.dob),
            sex=r.sex,
            race=r.race,
        )
        for r in right.itertuples()
    )
    person_of = dict(zip(left.unique_id, (p.pk for p in people), strict=True))
    record_of = dict(zip(right.unique_id, (j.pk for j in records), strict=True))
    return [(person_of[p], record_of[j]) for p, j in truth.itertuples(index=False)]


@pytest.mark.slow
def test_the_site_trains_a_model_on_its_people_and_confirmed_links(site, tmp_path):
    from typer.testing import CliRunner

    from divert.cli import app
    from divert.linkage import engine

    truth = _load_small_county(site)
    for person, record in truth[:40]:
        Link.objects.create(
            jurisdiction=site["site"],
            person_id=person,
            justice_person_id=record,
            match_probability=0.7,
            match_weight=3,
            model_version="m",
            status="confirmed",
        )
    out = tmp_path / "site-model.json"
    slug = site["site"].slug
    result = CliRunner().invoke(app, ["labels", "train", "-j", slug, "--out", str(out)])
    assert result.exit_code == 0, result.output
    trained = engine.load(out)
    assert trained.training["labels"] == 40
    assert trained.version != model_load().version
    assert "learnt from 40 confirmed links" in result.output
    figures = labels_evaluate(jurisdiction_id=site["site"].pk, model=trained)
    assert figures["review"]["recall"] == 1.0


def test_training_refuses_too_few_confirmed_links(site, county, tmp_path):
    from typer.testing import CliRunner

    from divert.cli import app

    out = tmp_path / "site-model.json"
    slug = site["site"].slug
    result = CliRunner().invoke(app, ["labels", "train", "-j", slug, "--out", str(out)])
    assert result.exit_code == 2
    assert "0 confirmed link(s); at least 30 are needed" in result.output
    assert not out.exists()
