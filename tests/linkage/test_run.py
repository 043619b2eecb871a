"""Linkage over a site's tables: automatic links, the review queue, events tied to people."""

from divert.audit.models import AuditEntry
from divert.linkage.models import Link
from divert.linkage.services import link_decide, linkage_run, model_load
from divert.staff.roles import Role
from tests.conftest import make_site
from tests.linkage.conftest import jail_person


def test_a_run_links_the_clear_match_and_queues_the_unsure_one(site, county):
    run = linkage_run(jurisdiction=site["site"])
    links = {link.justice_person_id: link for link in Link.objects.all()}
    assert links[county["clear"].pk].status == Link.Status.AUTO
    assert links[county["clear"].pk].person == county["tonya"]
    assert links[county["unsure"].pk].status == Link.Status.REVIEW
    assert county["stranger"].pk not in links
    assert {link.model_version for link in links.values()} == {model_load().version}
    assert (run.auto, run.review, run.events_linked) == (1, 1, 1)
    county["booking"].refresh_from_db()
    assert county["booking"].person == county["tonya"]
    entry = AuditEntry.objects.filter(kind="link", action="create", outcome="success").latest("pk")
    assert entry.detail["auto"] == 1 and entry.jurisdiction_id == site["site"].pk


def test_a_second_run_keeps_a_reviewers_decision(site, county):
    linkage_run(jurisdiction=site["site"])
    unsure = Link.objects.get(justice_person=county["unsure"])
    manager = site["users"][Role.PROGRAM_MANAGER]
    link_decide(user=manager, link_id=unsure.pk, decision="reject")
    again = linkage_run(jurisdiction=site["site"])
    unsure.refresh_from_db()
    assert unsure.status == Link.Status.REJECTED and unsure.decided_by == manager
    assert again.unchanged == 1
    assert Link.objects.count() == 2


def test_a_run_never_links_across_sites(site, county):
    other = make_site("Elsewhere")["site"]
    twin = jail_person(other, "J1", "Tonya", "Butler", county["tonya"].date_of_birth)
    linkage_run(jurisdiction=site["site"])
    linkage_run(jurisdiction=other)
    assert not Link.objects.filter(justice_person=twin).exists()
    assert not Link.objects.filter(jurisdiction=other).exists()


def test_an_alias_counts_as_the_persons_name(site, county):
    linkage_run(jurisdiction=site["site"])
    before = Link.objects.get(justice_person=county["unsure"]).match_probability
    county["robert"].other_names.create(first_name="Bob", last_name="Kowalsky")
    linkage_run(jurisdiction=site["site"])
    link = Link.objects.get(justice_person=county["unsure"])
    assert link.person == county["robert"]
    assert link.match_probability > before


def test_the_command_links_a_site_and_prints_the_counts(site, county):
    from typer.testing import CliRunner

    from divert.cli import app

    result = CliRunner().invoke(app, ["link", "-j", site["site"].slug])
    assert result.exit_code == 0, result.output
    assert "auto" in result.output and "person-v2+" in result.output
    assert Link.objects.filter(status=Link.Status.AUTO).count() == 1


def test_the_command_links_two_files(tmp_path):
    from typer.testing import CliRunner

    from divert.cli import app

    (tmp_path / "a.csv").write_text(
        "unique_id,first_name,last_name,dob\n1,Robert,Kowalski,1971-05-24\n"
    )
    (tmp_path / "b.csv").write_text(
        "unique_id,first_name,last_name,dob\nx,Bob,Kowalski,1971-05-24\ny,Ann,Lee,1990-01-01\n"
    )
    out = tmp_path / "pairs.csv"
    args = ["link", "--left", str(tmp_path / "a.csv"), "--right", str(tmp_path / "b.csv")]
    result = CliRunner().invoke(app, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    lines = out.read_text().splitlines()
    assert lines[0] == "left_id,right_id,match_probability,match_weight,model_version"
    assert [line.split(",")[:2] for line in lines[1:]] == [["1", "x"]]
    bad = CliRunner().invoke(app, ["link", "--left", str(tmp_path / "a.csv"), "--out", str(out)])
    assert bad.exit_code == 2


def test_the_command_links_files_whose_columns_have_other_names(tmp_path):
    from typer.testing import CliRunner

    from divert.cli import app

    (tmp_path / "a.csv").write_text(
        "unique_id,first_name,last_name,dob\n1,Robert,Kowalski,1971-05-24\n"
    )
    (tmp_path / "b.csv").write_text(
        "rec_id,Given Name,Surname,Date_Of_Birth\nx,Bob,Kowalski,19710524\ny,Ann,Lee,19900101\n"
    )
    (tmp_path / "c.csv").write_text("who,first_name\n1,Ann\n")
    out = tmp_path / "pairs.csv"
    args = ["link", "--left", str(tmp_path / "a.csv"), "--right", str(tmp_path / "b.csv")]
    result = CliRunner().invoke(app, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = [line.split(",") for line in out.read_text().splitlines()[1:]]
    assert [row[:2] for row in rows] == [["1", "x"]]
    assert float(rows[0][2]) >= 0.95  # the date of birth, read as a number, still counts
    args = ["link", "--dedupe", str(tmp_path / "c.csv"), "--out", str(out)]
    bad = CliRunner().invoke(app, args)
    assert bad.exit_code == 2 and "no record id column" in " ".join(bad.output.split())
