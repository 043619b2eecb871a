def test_the_openapi_document_is_served_and_describes_the_api(client, db):
    response = client.get("/api/v1/openapi.json")
    doc = response.json()
    assert response.status_code == 200
    assert doc["info"]["title"] == "divert API"
    assert "/api/v1/casework/enrollments/{enrollment_id}/notes" in doc["paths"]
    assert "/api/v1/people/{person_id}/enrollment-status" in doc["paths"]


def test_an_unknown_bearer_token_is_refused(client, db):
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer nope")
    assert response.status_code == 401


def test_a_bearer_token_authenticates_and_is_audited_as_its_user(client, site, participant):
    from divert.audit.models import AuditEntry
    from divert.staff.models import ApiToken
    from divert.staff.roles import Role
    from tests.conftest import token_for

    manager = site["users"][Role.CASE_MANAGER]
    token = token_for(manager, name="hmis sync")
    response = client.get(
        f"/api/v1/people/{participant['person'].pk}", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 200
    entry = AuditEntry.objects.latest("id")
    assert (entry.actor, entry.action, entry.kind, entry.outcome, entry.component) == (
        manager.username,
        "view",
        "person",
        "allowed",
        f"token:{ApiToken.objects.get(name='hmis sync').pk}",
    )
