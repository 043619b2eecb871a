"""The prosecutor's pages: the queue, deciding a hold, a participant's progress."""

import datetime
import re

import pytest
from django.utils import timezone

from divert.audit.models import AuditEntry
from divert.casework.models import Contact, Enrollment, Goal, InterventionPlan
from divert.charges.models import ChargeHold
from divert.field.models import Referral
from divert.people.models import Person
from divert.staff.roles import Role
from tests.conftest import local_noon, local_today


def days(n: int) -> datetime.date:
    return local_today() + datetime.timedelta(days=n)


def hold_for(site, name: str, *, status: str, due: int) -> ChargeHold:
    first, last = name.split()
    person = Person.objects.create(jurisdiction=site["site"], first_name=first, last_name=last)
    referral = Referral.objects.create(
        jurisdiction=site["site"],
        person=person,
        pathway="arrest_diversion",
        referred_at=timezone.now(),
    )
    Enrollment.objects.create(
        jurisdiction=site["site"],
        person=person,
        referral=referral,
        status="intake_pending" if status != "intake_done" else "active",
        referred_on=days(due - 30),
        intake_completed_on=days(due - 20) if status == "intake_done" else None,
    )
    return ChargeHold.objects.create(
        jurisdiction=site["site"],
        referral=referral,
        held_on=days(due - 30),
        due_on=days(due),
        status=status,
    )


@pytest.fixture
def queue(site):
    return {
        "done": hold_for(site, "Dana Done", status="intake_done", due=-40),
        "late": hold_for(site, "Lee Late", status="awaiting_decision", due=-3),
        "soon": hold_for(site, "Sam Soon", status="holding", due=2),
        "later": hold_for(site, "Lou Later", status="holding", due=20),
        "filed": hold_for(site, "Fay Filed", status="filed", due=-90),
    }


def _names(html: str) -> list[str]:
    return re.findall(r'<a href="/charges/holds/\d+/">([^<]+)</a>', html)


def test_the_queue_opens_on_what_needs_a_decision_then_what_comes_due(client, site, queue):
    client.force_login(site["users"][Role.PROSECUTOR])
    html = client.get("/charges/").content.decode()
    assert _names(html) == ["Lee Late", "Sam Soon", "Lou Later"]
    assert "3 holds" in html and "Decide" in html


def test_the_queue_filters_searches_and_pages(client, site, queue):
    client.force_login(site["users"][Role.PROSECUTOR])
    assert _names(client.get("/charges/?show=decided").content.decode()) == ["Fay Filed"]
    assert _names(client.get("/charges/?show=all&q=lou").content.decode()) == ["Lou Later"]
    for n in range(30):
        hold_for(site, f"Many Person{n:02}", status="holding", due=5 + n)
    first = client.get("/charges/").content.decode()
    assert len(_names(first)) == 25 and "33 holds" in first and "Page 1 of 2" in first
    second = client.get("/charges/?page=2").content.decode()
    assert len(_names(second)) == 8
    assert client.get("/charges/?show=nonsense&page=x").status_code == 200


def test_listing_the_queue_is_one_audited_read(client, site, queue):
    client.force_login(site["users"][Role.DEFENDER])
    before = AuditEntry.objects.filter(kind="charge_hold", action="view").count()
    client.get("/charges/")
    assert AuditEntry.objects.filter(kind="charge_hold", action="view").count() == before + 1


def test_a_prosecutor_decides_on_the_page_with_a_reason_and_a_confirmation(client, site, queue):
    hold = queue["late"]
    url = f"/charges/holds/{hold.pk}/"
    client.force_login(site["users"][Role.PROSECUTOR])
    assert "Record the decision" in client.get(url).content.decode()
    unconfirmed = client.post(url, {"decision": "declined", "reason": "In contact now"})
    assert unconfirmed.status_code == 422 and "Tick the box" in unconfirmed.content.decode()
    no_reason = client.post(url, {"decision": "declined", "reason": " ", "confirm": "on"})
    assert no_reason.status_code == 422
    hold.refresh_from_db()
    assert hold.status == "awaiting_decision"
    form = {"decision": "declined", "reason": "In contact now", "confirm": "on"}
    assert client.post(url, form).status_code == 302
    again = client.post(url, form)  # the same form sent twice: nothing more happens
    assert again.status_code == 302
    hold.refresh_from_db()
    assert (hold.status, hold.decision_reason, hold.decided_on) == (
        "declined",
        "In contact now",
        local_today(),
    )
    assert hold.history.count() == 2  # made, then decided once
    other = client.post(url, {**form, "decision": "filed"})
    assert other.status_code == 422
    hold.refresh_from_db()
    assert hold.status == "declined"


@pytest.mark.parametrize("role", [Role.DEFENDER, Role.CASE_MANAGER, Role.OFFICER])
def test_no_one_but_the_prosecutor_decides(client, site, queue, role):
    hold = queue["late"]
    client.force_login(site["users"][role])
    form = {"decision": "filed", "reason": "x", "confirm": "on"}
    assert client.post(f"/charges/holds/{hold.pk}/", form).status_code == 403
    hold.refresh_from_db()
    assert hold.status == "awaiting_decision"
    assert AuditEntry.objects.filter(kind="charge_hold", outcome="denied").exists()


def test_the_api_decision_needs_a_reason(client, site, queue):
    client.force_login(site["users"][Role.PROSECUTOR])
    path = f"/api/v1/charges/holds/{queue['late'].pk}/decision"
    response = client.post(path, {"decision": "filed"}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"field": "reason", "message": "Give the reason for the decision."}
    ]
    assert client.get("/api/v1/charges/holds?show=bogus").status_code == 422
    rows = client.get("/api/v1/charges/holds?show=open").json()
    assert [r["person"] for r in rows] == ["Lee Late", "Sam Soon", "Lou Later"]


@pytest.fixture
def progressing(participant, site):
    enrollment = participant["enrollment"]
    plan = InterventionPlan.objects.get(enrollment=enrollment)
    Goal.objects.create(plan=plan, domain="housing", description="Apply for the Morrison")
    Goal.objects.create(plan=plan, domain="treatment", description="Methadone clinic")
    Goal.objects.create(plan=plan, domain="documents", description="State ID", status="met")
    Contact.objects.create(
        enrollment=enrollment,
        staff=site["users"][Role.CASE_MANAGER],
        occurred_at=local_noon(2),
        kind="in_person",
        note="Talked about his drinking",
    )
    Contact.objects.create(
        enrollment=enrollment,
        staff=site["users"][Role.CASE_MANAGER],
        occurred_at=local_noon(0),
        kind="attempted",
    )
    return enrollment


@pytest.mark.parametrize("role", [Role.PROSECUTOR, Role.DEFENDER])
def test_progress_under_a_release_is_a_readable_page_without_case_content(
    client, site, progressing, role
):
    client.force_login(site["users"][role])
    response = client.get(f"/casework/enrollments/{progressing.pk}/progress/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Housing" in html and "Attended" in html
    assert "Treatment" not in html and "Health" not in html  # health detail never shown
    for secret in ("Morrison", "Methadone", "drinking", "buprenorphine", "No ID yet"):
        assert secret not in html
    assert "None yet" not in html  # the last contact is shown
    assert AuditEntry.objects.filter(
        action="view", kind="progress", object_id=str(progressing.pk), outcome="allowed"
    ).exists()


def test_progress_counts_the_last_real_contact_in_the_sites_days(client, site, progressing):
    from divert.casework.selectors import progress_get

    report = progress_get(user=site["users"][Role.PROSECUTOR], enrollment_id=progressing.pk)
    assert report["last_contact_on"] == local_today() - datetime.timedelta(days=2)
    assert report["domains_in_progress"] == ["housing"]


def test_progress_is_refused_once_the_release_is_revoked_or_expired(
    client, site, participant, progressing
):
    release = participant["release"]
    client.force_login(site["users"][Role.PROSECUTOR])
    url = f"/casework/enrollments/{progressing.pk}/progress/"
    release.revoked_on = local_today()
    release.save()
    assert client.get(url).status_code == 403
    release.revoked_on = None
    release.signed_on = local_today() - datetime.timedelta(days=30)
    release.expires_on = local_today()  # expires at the start of the site's today
    release.save()
    assert client.get(url).status_code == 403
    assert "Progress" not in client.get("/charges/?show=all").content.decode().split("<tbody>")[1]


def test_a_release_naming_only_the_defender_keeps_the_prosecutor_out(client, site, participant):
    participant["release"].recipients.set([site["orgs"]["defender"]])
    url = f"/casework/enrollments/{participant['enrollment'].pk}/progress/"
    client.force_login(site["users"][Role.PROSECUTOR])
    assert client.get(url).status_code == 403
    client.force_login(site["users"][Role.DEFENDER])
    assert client.get(url).status_code == 200
