"""Reviewers' decisions as labels: listed, exported, and the model evaluated against them."""

import datetime

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
