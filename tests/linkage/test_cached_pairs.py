"""The review queues score a site's people once, until what the engine reads changes."""

import datetime

import pytest

from divert.linkage import cached
from divert.linkage.justice_dedupe import justice_pair_decide, justice_review_queue
from divert.staff.roles import Role
from tests.linkage.conftest import court_person, jail_person

BORN = datetime.date(1979, 8, 2)


@pytest.fixture
def scorings(monkeypatch):
    calls: list[int] = []
    real = cached.engine.dedupe

    def counted(model, people, **kwargs):
        calls.append(len(people))
        return real(model, people, **kwargs)

    monkeypatch.setattr(cached.engine, "dedupe", counted)
    return calls


def test_the_justice_queue_is_scored_once_and_again_only_when_a_record_changes(site, scorings):
    s = site["site"]
    manager = site["users"][Role.PROGRAM_MANAGER]
    jail = jail_person(s, "J9", "Denise", "Okafor", BORN, sex="female")
    court = court_person(s, "C9", "Denise", "Okafor", None, sex="female")
    other = jail_person(s, "J10", "Marcus", "Hill", BORN, sex="male")
    first = justice_review_queue(user=manager)
    assert [(d["first_id"], d["second_id"]) for d in first] == [(jail.pk, court.pk)]
    assert justice_review_queue(user=manager) == first
    assert scorings == [3]
    # A decision changes no record: still no new scoring, and the pair leaves the queue.
    justice_pair_decide(user=manager, first_id=jail.pk, second_id=court.pk, decision="different")
    assert justice_review_queue(user=manager) == []
    assert scorings == [3]
    # A corrected name is scored again.
    other.first_name = "Denise"
    other.last_name = "Okafor"
    other.sex = "female"
    other.save()
    pairs = {(d["first_id"], d["second_id"]) for d in justice_review_queue(user=manager)}
    assert scorings == [3, 3]
    assert (jail.pk, other.pk) in pairs


def test_another_sites_queue_is_scored_on_its_own_records(site, other_site, scorings):
    jail_person(site["site"], "J9", "Denise", "Okafor", BORN, sex="female")
    court_person(site["site"], "C9", "Denise", "Okafor", None, sex="female")
    assert len(justice_review_queue(user=site["users"][Role.PROGRAM_MANAGER])) == 1
    assert justice_review_queue(user=other_site["users"][Role.PROGRAM_MANAGER]) == []
