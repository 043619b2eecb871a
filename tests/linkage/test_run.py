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
