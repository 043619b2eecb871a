"""Barriers are shared with the prosecutor and defender under a release, so they refuse
health and substance-use words on every path, and stored barriers that fail the check are
withheld from enforcement (the case team still reads them)."""

import pytest

from divert.casework.models import InterventionPlan
from divert.meetings.legal_words import WITHHELD
from divert.staff.roles import Role

HEALTH = "Relapsed on heroin; on methadone; schizophrenia"


@pytest.fixture
def shared(participant):
    """The participant's release shares barriers with the prosecutor and the defender."""
    release = participant["release"]
    release.shares_barriers = True
    release.save()
    return participant


def _progress(client, user, enrollment):
    client.force_login(user)
    api = client.get(f"/api/v1/casework/enrollments/{enrollment.pk}/progress")
    page = client.get(f"/casework/enrollments/{enrollment.pk}/progress/")
    assert api.status_code == 200 and page.status_code == 200
    return api.json()["barriers"], page.content.decode()


def test_the_api_refuses_health_words_in_barriers_naming_field_and_word(client, site, shared):
    plan = InterventionPlan.objects.get(enrollment=shared["enrollment"])
    client.force_login(site["users"][Role.CASE_MANAGER])
    answer = client.patch(
        f"/api/v1/casework/enrollments/{shared['enrollment'].pk}/plan",
        {"version": plan.version, "reason": "update", "barriers": HEALTH},
        content_type="application/json",
    )
    assert answer.status_code == 422
    [error] = answer.json()["detail"]
    assert error["field"] == "barriers" and '"Relapsed"' in error["message"]
    plan.refresh_from_db()
    assert plan.barriers == "No ID yet"
    for user in (site["users"][Role.PROSECUTOR], site["users"][Role.DEFENDER]):
        barriers, page = _progress(client, user, shared["enrollment"])
        assert barriers == "No ID yet" and "heroin" not in page


def test_the_page_refuses_them_too_when_correcting_and_starting(client, site, shared):
    plan = InterventionPlan.objects.get(enrollment=shared["enrollment"])
    client.force_login(site["users"][Role.CASE_MANAGER])
    path = f"/casework/enrollments/{shared['enrollment'].pk}/plan"
    body = {"summary": "", "barriers": "heroin-addicted", "version": plan.version}
    corrected = client.post(f"{path}/correct/", body | {"reason": "update"})
    assert (
        corrected.status_code == 422
        and "leave out &quot;heroin&quot;" in corrected.content.decode()
    )
    plan.delete()
    started = client.post(f"{path}/start/", {"summary": "", "barriers": "her\u200boin"})
    assert started.status_code == 422
    assert not InterventionPlan.objects.filter(enrollment=shared["enrollment"]).exists()


def test_plain_barriers_are_saved_and_shared(client, site, shared):
    plan = InterventionPlan.objects.get(enrollment=shared["enrollment"])
    client.force_login(site["users"][Role.CASE_MANAGER])
    answer = client.patch(
        f"/api/v1/casework/enrollments/{shared['enrollment'].pk}/plan",
        {"version": plan.version, "reason": "update", "barriers": "No ID; clean record needed"},
        content_type="application/json",
    )
    assert answer.status_code == 200
    barriers, page = _progress(client, site["users"][Role.PROSECUTOR], shared["enrollment"])
    assert barriers == "No ID; clean record needed" and "clean record needed" in page


def test_stored_barriers_that_fail_the_check_are_withheld_from_enforcement_only(
    client, site, shared
):
    # Written before the check (or before a word joined the list).
    InterventionPlan.objects.filter(enrollment=shared["enrollment"]).update(barriers=HEALTH)
    for role in (Role.PROSECUTOR, Role.DEFENDER):
        barriers, page = _progress(client, site["users"][role], shared["enrollment"])
        assert barriers == WITHHELD and "heroin" not in page
    barriers, _ = _progress(client, site["users"][Role.CASE_MANAGER], shared["enrollment"])
    assert barriers == HEALTH
