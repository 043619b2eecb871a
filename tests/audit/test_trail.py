import pytest
from django.db import DatabaseError, connection, transaction

from divert.audit import guard
from divert.audit.integrity import audit_verify
from divert.audit.models import AuditEntry
from divert.audit.services import audit_record
from divert.staff.roles import Role


def test_a_case_manager_opening_a_record_adds_an_audit_entry(client, site, participant):
    manager = site["users"][Role.CASE_MANAGER]
    client.force_login(manager)
    before = AuditEntry.objects.count()
    response = client.get(
        f"/casework/enrollments/{participant['enrollment'].pk}/", HTTP_X_PURPOSE="weekly review"
    )
    assert response.status_code == 200
    entry = AuditEntry.objects.filter(id__gt=before, kind="enrollment").get()
    assert (entry.actor, entry.action, entry.outcome) == (manager.username, "view", "allowed")
    assert entry.object_id == str(participant["enrollment"].pk)
    assert entry.purpose == "weekly review"
    assert entry.origin == "127.0.0.1" and entry.component == "page"
    assert entry.jurisdiction_id == site["site"].pk


def test_a_refused_read_is_audited_as_denied(client, site, participant):
    client.force_login(site["users"][Role.OFFICER])
    client.get(f"/api/v1/casework/enrollments/{participant['enrollment'].pk}/notes")
    entry = AuditEntry.objects.latest("id")
    assert (entry.action, entry.kind, entry.outcome, entry.component) == (
        "view",
        "case_note",
        "denied",
        "api",
    )


def test_a_change_keeps_its_history_and_is_audited(client, site, participant):
    client.force_login(site["users"][Role.CASE_MANAGER])
    response = client.post(
        f"/api/v1/casework/enrollments/{participant['enrollment'].pk}/status",
        {"to_status": "inactive", "on": participant["enrollment"].referred_on.isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    history = participant["enrollment"].history.all()
    assert [h.status for h in history[:2]] == ["inactive", "active"]
    entry = AuditEntry.objects.filter(kind="enrollment", action="change").latest("id")
    assert entry.actor == site["users"][Role.CASE_MANAGER].username
    assert entry.outcome == "success" and entry.detail["history_id"] == history[0].history_id


def test_logins_and_failed_logins_are_audited(client, site):
    user = site["users"][Role.OFFICER]
    client.post("/login/", {"username": user.username, "password": "wrong"})
    client.post("/login/", {"username": user.username, "password": "pw-for-tests-only"})
    entries = AuditEntry.objects.filter(kind="session").order_by("id")
    assert [(e.action, e.outcome) for e in entries] == [("login", "failure"), ("login", "success")]
    assert entries[0].detail == {"username": user.username}


def test_each_entry_carries_the_hash_of_the_one_before(db):
    first = audit_record(action="view", kind="person", outcome="allowed", object_id=1)
    second = audit_record(action="view", kind="person", outcome="allowed", object_id=2)
    assert second.prev_hash == first.hash
    assert audit_verify() == (2, None)


def _hand_edit(entry_id: int, purpose: str) -> None:
    """Edit an entry the way someone with raw database access would, lifting the guard."""
    guard.remove(connection)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET purpose=%s WHERE id=%s", [purpose, entry_id])
    guard.install(connection)


def test_verify_names_the_first_hand_edited_entry(db):
    entries = [audit_record(action="view", kind="person", outcome="allowed") for _ in range(4)]
    _hand_edit(entries[1].pk, "nothing to see")
    checked, broken = audit_verify()
    assert broken.entry_id == entries[1].pk
    assert "hash" in broken.problem
    assert checked == 2


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_auditentry SET purpose='x'", "DELETE FROM audit_auditentry"]
)
def test_the_database_refuses_to_update_or_delete_audit_entries(db, statement):
    audit_record(action="view", kind="person", outcome="allowed")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert AuditEntry.objects.count() == 1


def test_a_read_without_a_stated_purpose_records_the_roles_purpose(client, site, participant):
    client.force_login(site["users"][Role.CASE_MANAGER])
    client.get(f"/api/v1/people/{participant['person'].pk}")
    assert AuditEntry.objects.latest("id").purpose == "case management"


def test_a_role_change_is_a_permission_change_kept_in_history_and_audited(db, site):
    from divert.staff.models import RoleGrant, User
    from divert.staff.services import staff_roles_set

    root = User.objects.create_superuser(username="root", password="pw-for-tests-only")
    officer = site["users"][Role.OFFICER]
    staff_roles_set(actor=root, user=officer, roles=["officer", "supervisor"])
    grant = RoleGrant.objects.get(user=officer, role="supervisor")
    assert grant.history.get().history_user == root
    entry = AuditEntry.objects.filter(kind="staff", action="create").latest("id")
    assert (entry.object_id, entry.actor) == (str(grant.pk), "root")
    assert entry.jurisdiction_id == site["site"].pk
    staff_roles_set(actor=root, user=officer, roles=["officer"])
    entry = AuditEntry.objects.filter(kind="staff", action="delete").latest("id")
    assert entry.object_id == str(grant.pk) and officer.roles == ["officer"]


def test_listing_the_prosecutors_queue_is_an_audited_read(client, site, participant):
    client.force_login(site["users"][Role.PROSECUTOR])
    assert client.get("/charges/").status_code == 200
    entry = AuditEntry.objects.latest("id")
    assert (entry.kind, entry.action, entry.object_id, entry.outcome) == (
        "charge_hold",
        "view",
        "",
        "allowed",
    )


def test_a_refused_page_entry_is_audited_even_when_reads_are_recorded_later(client, site):
    client.force_login(site["users"][Role.PARTNER])
    assert client.get("/field/lookup/", {"q": "jones"}).status_code == 403
    entry = AuditEntry.objects.latest("id")
    assert (entry.kind, entry.outcome) == ("enrollment_status", "denied")


def test_behind_a_proxy_the_trail_records_the_client_the_proxy_saw(client, site, settings):
    settings.DIVERT_BEHIND_PROXY = True
    client.force_login(site["users"][Role.CASE_MANAGER])
    client.get("/api/v1/me", HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.7")
    client.get("/casework/", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert AuditEntry.objects.latest("id").origin == "203.0.113.7"
