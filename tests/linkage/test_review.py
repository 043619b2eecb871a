"""The clerical review queue on pages and the API: decisions audited, kept as labels."""

import pytest

from divert.audit.models import AuditEntry
from divert.linkage.models import Link
from divert.linkage.services import labels, linkage_run
from divert.staff.roles import Role

REVIEWERS = [Role.PROGRAM_MANAGER, Role.ADMINISTRATOR]
OTHERS = [r for r in Role if r not in REVIEWERS]


@pytest.fixture
def queued(site, county):
    linkage_run(jurisdiction=site["site"])
    return Link.objects.get(status=Link.Status.REVIEW)


@pytest.mark.parametrize("role", REVIEWERS)
def test_a_reviewer_sees_the_pair_side_by_side_and_confirms_it(client, site, queued, role):
    client.force_login(site["users"][role])
    response = client.get("/links/review/", follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Kowalski" in page and "Kowalsky" in page and 'data-key="y"' in page
    response = client.post(f"/links/review/{queued.pk}/", {"decision": "confirm"})
    assert response.status_code == 302
    queued.refresh_from_db()
    assert queued.status == Link.Status.CONFIRMED
    assert queued.decided_by == site["users"][role]
    assert AuditEntry.objects.filter(
        kind="link", action="change", outcome="success", object_id=str(queued.pk)
    ).exists()
    assert AuditEntry.objects.filter(
        kind="link", action="view", outcome="allowed", object_id=str(queued.pk)
    ).exists()
    assert labels(jurisdiction_id=site["site"].pk) == [
        (queued.person_id, queued.justice_person_id, True)
    ]
    assert "Nothing waiting" in client.get("/links/review/", follow=True).content.decode()


def test_a_double_submit_records_one_decision(client, site, queued):
    client.force_login(site["users"][Role.PROGRAM_MANAGER])
    for _ in range(2):
        client.post(f"/links/review/{queued.pk}/", {"decision": "reject"})
    changes = AuditEntry.objects.filter(kind="link", action="change", object_id=str(queued.pk))
    assert changes.count() == 1


def test_a_confirmed_then_rejected_link_unties_its_events(client, site, county, queued):
    from divert.records.models import JusticeEvent

    clear = Link.objects.get(justice_person=county["clear"])
    client.force_login(site["users"][Role.PROGRAM_MANAGER])
    client.post(f"/links/review/{clear.pk}/", {"decision": "reject"})
    assert JusticeEvent.objects.get(pk=county["booking"].pk).person is None
    client.post(f"/links/review/{clear.pk}/", {"decision": "confirm"})
    assert JusticeEvent.objects.get(pk=county["booking"].pk).person == county["tonya"]


def test_an_unknown_decision_is_refused_naming_the_field(client, site, queued):
    client.force_login(site["users"][Role.PROGRAM_MANAGER])
    response = client.post(f"/links/review/{queued.pk}/", {"decision": "maybe"})
    assert response.status_code == 422
    response = client.post(
        f"/api/v1/linkage/links/{queued.pk}/decision",
        {"decision": "maybe"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "decision"


@pytest.mark.parametrize("role", OTHERS)
def test_everyone_else_is_refused_on_pages_and_api(client, site, queued, role):
    client.force_login(site["users"][role])
    assert client.get("/links/review/").status_code == 403
    assert client.get(f"/links/review/{queued.pk}/").status_code == 403
    assert client.post(f"/links/review/{queued.pk}/", {"decision": "confirm"}).status_code == 403
    assert client.get("/api/v1/linkage/links").status_code == 403
    response = client.post(
        f"/api/v1/linkage/links/{queued.pk}/decision",
        {"decision": "confirm"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert client.post("/api/v1/linkage/runs").status_code == 403
    queued.refresh_from_db()
    assert queued.status == Link.Status.REVIEW


def test_the_api_lists_decides_and_runs(client, site, queued):
    client.force_login(site["users"][Role.PROGRAM_MANAGER])
    listed = client.get("/api/v1/linkage/links?status=review").json()
    assert [item["id"] for item in listed] == [queued.pk]
    assert listed[0]["justice_person"]["last_name"] == "Kowalsky"
    decided = client.post(
        f"/api/v1/linkage/links/{queued.pk}/decision",
        {"decision": "reject"},
        content_type="application/json",
    ).json()
    assert decided["status"] == "rejected"
    run = client.post("/api/v1/linkage/runs").json()
    assert run["unchanged"] == 1 and run["model_version"].startswith("person-v2+")
