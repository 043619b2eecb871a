"""Corrections: by the author or a supervisor, with a reason kept in history; no lost update."""

import threading
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from divert.audit.models import AuditEntry
from divert.casework import corrections
from divert.casework.models import CaseNote
from divert.casework.services import case_note_correct
from divert.staff.models import User
from divert.staff.roles import Role


@pytest.fixture
def note(participant) -> CaseNote:
    return participant["note"] if "note" in participant else CaseNote.objects.first()


def _url(note) -> str:
    return f"/api/v1/casework/notes/{note.pk}"


def test_the_author_corrects_a_note_and_history_keeps_who_when_and_why(site, note):
    manager = site["users"][Role.CASE_MANAGER]
    saved = case_note_correct(
        user=manager, note=note, values={"text": "Wants buprenorphine."}, version=1, reason="typo"
    )
    assert (saved.text, saved.version) == ("Wants buprenorphine.", 2)
    [latest, first] = corrections.history_of(saved)
    assert (latest["type"], latest["why"], latest["by"]) == (
        "corrected",
        "typo",
        manager.first_name,
    )
    assert [(c.field, c.now) for c in latest["changes"]] == [("text", "Wants buprenorphine.")]
    assert first["type"] == "created"
    assert AuditEntry.objects.filter(
        action="change", kind="case_note", object_id=str(note.pk), outcome="success"
    ).exists()


def test_a_supervisor_may_correct_and_another_case_manager_may_not(site, note):
    colleague = User.objects.create_user(
        username="colleague",
        organization=site["orgs"]["case_management"],
        roles=[Role.CASE_MANAGER.value],
    )
    with pytest.raises(PermissionDenied):
        case_note_correct(
            user=colleague, note=note, values={"text": "mine now"}, version=1, reason="x"
        )
    assert AuditEntry.objects.filter(
        action="change", kind="case_note", object_id=str(note.pk), outcome="denied"
    ).exists()
    supervisor = site["users"][Role.SUPERVISOR]
    saved = case_note_correct(
        user=supervisor, note=note, values={"topic": "general"}, version=1, reason="mis-filed"
    )
    assert saved.topic == "general" and saved.history.latest().history_user == supervisor


def test_a_correction_needs_a_reason_and_valid_values_and_saves_nothing_otherwise(site, note):
    manager = site["users"][Role.CASE_MANAGER]
    with pytest.raises(ValidationError) as exc:
        case_note_correct(user=manager, note=note, values={"text": "x"}, version=1, reason=" ")
    assert "reason" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        case_note_correct(
            user=manager, note=note, values={"topic": "sanction"}, version=1, reason="why"
        )
    assert "topic" in exc.value.message_dict
    note.refresh_from_db()
    assert note.version == 1 and note.history.count() == 1


def test_a_save_over_a_newer_version_is_a_conflict_naming_what_changed(site, note):
    manager, supervisor = site["users"][Role.CASE_MANAGER], site["users"][Role.SUPERVISOR]
    case_note_correct(user=supervisor, note=note, values={"text": "B"}, version=1, reason="r")
    with pytest.raises(corrections.Conflict) as exc:
        case_note_correct(user=manager, note=note, values={"text": "C"}, version=1, reason="r")
    [changed] = exc.value.changes
    assert (changed.field, changed.now) == ("text", "B")
    assert "wants buprenorphine" in changed.was.lower()
    assert supervisor.first_name in exc.value.summary()
    note.refresh_from_db()
    assert note.text == "B"


def test_the_api_answers_409_with_the_error_shape_and_422_naming_the_field(client, site, note):
    client.force_login(site["users"][Role.CASE_MANAGER])
    first = client.patch(
        _url(note), {"version": 1, "reason": "typo", "text": "B"}, content_type="application/json"
    )
    assert first.status_code == 200, first.content
    assert first.json()["version"] == 2
    stale = client.patch(
        _url(note), {"version": 1, "reason": "typo", "text": "C"}, content_type="application/json"
    )
    assert stale.status_code == 409
    assert stale.json()["detail"][0]["field"] == "text"
    assert "'B'" in stale.json()["detail"][0]["message"]
    bad = client.patch(
        _url(note), {"version": 2, "reason": "", "text": "C"}, content_type="application/json"
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "reason"
    history = client.get(_url(note) + "/history").json()
    assert [h["why"] for h in history] == ["typo", ""]


def test_a_double_submit_saves_once(client, site, note):
    client.force_login(site["users"][Role.CASE_MANAGER])
    body = {"version": 1, "reason": "typo", "text": "B"}
    answers = [client.patch(_url(note), body, content_type="application/json") for _ in "12"]
    assert [a.status_code for a in answers] == [200, 200]
    note.refresh_from_db()
    assert note.version == 2 and note.history.count() == 2


@pytest.mark.parametrize("role", [Role.OFFICER, Role.PROSECUTOR, Role.PARTNER, Role.EVALUATOR])
def test_enforcement_and_others_get_403_and_see_nothing(client, site, note, role):
    client.force_login(site["users"][role])
    answer = client.patch(
        _url(note), {"version": 1, "reason": "r", "text": "B"}, content_type="application/json"
    )
    assert answer.status_code == 403
    assert client.get(_url(note) + "/history").status_code == 403
    note.refresh_from_db()
    assert note.version == 1


def test_two_people_saving_at_once_lose_no_update(committed_db, site, participant):
    note = CaseNote.objects.get(enrollment=participant["enrollment"])
    editors = [site["users"][Role.CASE_MANAGER], site["users"][Role.SUPERVISOR]]
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def save(user):
        try:
            start.wait()
            case_note_correct(
                user=user, note=note, values={"text": user.username}, version=1, reason="r"
            )
            outcomes.append("saved")
        except corrections.Conflict:
            outcomes.append("conflict")
        except BaseException as exc:  # noqa: BLE001 - reported below
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(u,)) for u in editors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["conflict", "saved"]
    note.refresh_from_db()
    assert note.version == 2 and note.history.count() == 2
    assert note.text in {u.username for u in editors}


# --- writing a note on the page -----------------------------------------------------------


def _notes_page(participant) -> str:
    return f"/casework/enrollments/{participant['enrollment'].pk}/notes/"


def test_a_case_manager_writes_a_note_on_the_page_once_even_when_sent_twice(
    client, site, participant
):
    manager = site["users"][Role.CASE_MANAGER]
    client.force_login(manager)
    page = _notes_page(participant)
    assert 'id="note-new"' in client.get(page).content.decode()
    before = CaseNote.objects.count()
    form = {"topic": "legal", "text": "Court date moved.", "client_id": str(uuid.uuid4())}
    for _ in "12":  # a double submit
        assert client.post(page, form).status_code == 302
    [note] = CaseNote.objects.filter(text="Court date moved.")
    assert CaseNote.objects.count() == before + 1
    assert (note.author, note.topic, note.version) == (manager, "legal", 1)
    assert AuditEntry.objects.filter(
        action="create", kind="case_note", object_id=str(note.pk), outcome="success"
    ).exists()
    assert "Court date moved." in client.get(page).content.decode()


def test_the_note_form_shows_field_errors_and_saves_nothing(client, site, participant):
    client.force_login(site["users"][Role.CASE_MANAGER])
    before = CaseNote.objects.count()
    answer = client.post(_notes_page(participant), {"topic": "sanction", "text": ""})
    assert answer.status_code == 422
    body = answer.content.decode()
    assert body.count('class="error"') >= 2
    assert CaseNote.objects.count() == before


@pytest.mark.parametrize("role", [Role.OFFICER, Role.PROSECUTOR, Role.PROGRAM_MANAGER])
def test_others_can_neither_see_nor_post_the_note_form(client, site, participant, role):
    client.force_login(site["users"][role])
    before = CaseNote.objects.count()
    page = _notes_page(participant)
    assert client.get(page).status_code == 403
    answer = client.post(page, {"topic": "general", "text": "x", "client_id": str(uuid.uuid4())})
    assert answer.status_code == 403
    assert CaseNote.objects.count() == before


def test_the_api_answers_a_resent_note_with_the_stored_one(client, site, participant):
    client.force_login(site["users"][Role.CASE_MANAGER])
    url = f"/api/v1/casework/enrollments/{participant['enrollment'].pk}/notes"
    body = {"text": "Met at the shelter.", "client_id": str(uuid.uuid4())}
    first = client.post(url, body, content_type="application/json")
    again = client.post(url, body, content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert CaseNote.objects.filter(text="Met at the shelter.").count() == 1


def test_a_record_without_recorded_history_still_opens_on_the_page_and_the_api(client, site, note):
    # Loaded in bulk, or written before history was kept: no versions, but no failure.
    note.history.all().delete()
    client.force_login(site["users"][Role.CASE_MANAGER])
    page = client.get(f"/casework/notes/{note.pk}/")
    assert page.status_code == 200
    assert "No earlier versions are recorded" in page.content.decode()
    history = client.get(_url(note) + "/history")
    assert history.status_code == 200 and history.json() == []
