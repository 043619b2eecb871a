"""A record's page correction posted with a version that is not a whole number is refused
with 422, the error naming the field (it is a hidden one), and nothing written."""

import pytest

from divert.casework.models import CaseNote, InterventionPlan
from divert.staff.roles import Role


@pytest.mark.parametrize("version", ["abc", "", "0"])
def test_a_note_or_plan_correction_with_a_bad_version_is_422_naming_it(
    client, site, participant, version
):
    note, enrollment = participant["note"], participant["enrollment"]
    client.force_login(site["users"][Role.CASE_MANAGER])
    posts = [
        (
            f"/casework/notes/{note.pk}/",
            {"topic": "general", "text": "Met at the library.", "reason": "typo"},
        ),
        (
            f"/casework/enrollments/{enrollment.pk}/plan/correct/",
            {"summary": "Housing first.", "barriers": "No ID yet", "reason": "typo"},
        ),
    ]
    for url, form in posts:
        reply = client.post(url, {**form, "version": version})
        assert reply.status_code == 422, url
        assert "version: " in reply.content.decode(), url
    assert CaseNote.objects.get(pk=note.pk).version == 1
    assert InterventionPlan.objects.get(enrollment=enrollment).version == 1
