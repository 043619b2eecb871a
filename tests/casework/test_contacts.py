"""Contacts: one screen, site-local time, never stored twice, corrected with history."""

import datetime
import re
import threading
import uuid

import pytest
from django.db import connection

from divert.casework.contacts import contact_log
from divert.casework.models import Contact
from divert.jurisdictions.clock import day_start
from divert.staff.models import User
from divert.staff.roles import Role
from tests.conftest import local_today

JSON = "application/json"


def _url(enrollment) -> str:
    return f"/api/v1/casework/enrollments/{enrollment.pk}/contacts"


def _body(**extra) -> dict:
    return {
        "client_id": str(uuid.uuid4()),
        "occurred_at": datetime.datetime.now(datetime.UTC).isoformat(),
        "place": "shelter",
        "kind": "in_person",
        "minutes": 20,
        "present": "shelter staff",
        "note": "Talked about ID.",
        **extra,
    }


def test_a_contact_sent_again_with_its_id_is_stored_once(client, site, participant):
    client.force_login(site["users"][Role.CASE_MANAGER])
    body = _body()
    first = client.post(_url(participant["enrollment"]), body, content_type=JSON)
    again = client.post(_url(participant["enrollment"]), body, content_type=JSON)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    assert first.json()["place"] == "shelter" and first.json()["present"] == "shelter staff"
    assert Contact.objects.count() == 1


def test_an_id_cannot_be_borrowed_to_reach_another_record(client, site, participant):
    manager = site["users"][Role.CASE_MANAGER]
    client.force_login(manager)
    body = _body(note="private")
    client.post(_url(participant["enrollment"]), body, content_type=JSON)
    colleague = User.objects.create_user(
        username="colleague",
        organization=site["orgs"]["case_management"],
        roles=[Role.CASE_MANAGER.value],
    )
    client.force_login(colleague)
    answer = client.post(_url(participant["enrollment"]), body, content_type=JSON)
    assert answer.status_code == 422 and answer.json()["detail"][0]["field"] == "client_id"
    assert "private" not in answer.content.decode()
    assert Contact.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("occurred_at", "2020-01-01T12:00:00+00:00"),  # before the referral
        ("occurred_at", "2099-01-01T12:00:00+00:00"),  # the future
        ("occurred_at", "2026-01-01T12:00:00"),  # no offset
        ("minutes", 24 * 60 + 1),
        ("kind", "sanction"),
        ("place", "moon"),
        ("note", "x" * 501),
        ("client_id", "not-a-uuid"),
    ],
)
def test_bad_contacts_are_refused_naming_the_field(client, site, participant, field, value):
    client.force_login(site["users"][Role.CASE_MANAGER])
    answer = client.post(
        _url(participant["enrollment"]), _body(**{field: value}), content_type=JSON
    )
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["field"] == field
    assert not Contact.objects.exists()


def test_the_referral_day_is_the_sites_day_not_the_servers(site, participant):
    """At 23:30 Pacific on the referral day it is already the next day in UTC (and at 23:30
    the evening before, the referral day in UTC): the site's day decides."""
    enrollment = participant["enrollment"]
    manager = site["users"][Role.CASE_MANAGER]
    late_evening = day_start(None, enrollment.referred_on) - datetime.timedelta(minutes=30)
    if late_evening.astimezone(datetime.UTC).date() == enrollment.referred_on:
        with pytest.raises(Exception) as exc:
            contact_log(
                user=manager,
                enrollment=enrollment,
                occurred_at=late_evening,
                kind="in_person",
                place="street",
            )
        assert "occurred_at" in exc.value.message_dict
    first_minute = day_start(None, enrollment.referred_on) + datetime.timedelta(minutes=1)
    if first_minute <= datetime.datetime.now(datetime.UTC):
        contact, new = contact_log(
            user=manager,
            enrollment=enrollment,
            occurred_at=first_minute,
            kind="in_person",
            place="street",
        )
        assert new


def test_the_page_form_takes_site_local_time_and_a_double_tap_stores_one(client, site, participant):
    client.force_login(site["users"][Role.CASE_MANAGER])
    page = f"/casework/enrollments/{participant['enrollment'].pk}/contacts/new/"
    shown = client.get(page).content.decode()
    assert 'type="datetime-local"' in shown and "Who was present" in shown
    local = (
        datetime.datetime.now(datetime.UTC)
        .astimezone(day_start(None, local_today()).tzinfo)
        .replace(second=0, microsecond=0)
    )
    form = {
        "occurred_at": local.strftime("%Y-%m-%dT%H:%M"),
        "place": "street",
        "kind": "attempted",
        "minutes": "",
        "present": "",
        "note": "",
        "client_id": str(uuid.uuid4()),
    }
    for _ in "12":
        assert client.post(page, form).status_code == 302
    contact = Contact.objects.get()
    assert contact.occurred_at == local
    assert (contact.kind, contact.place) == ("attempted", "street")


def test_the_page_refuses_a_future_contact_on_its_field(client, site, participant):
    client.force_login(site["users"][Role.CASE_MANAGER])
    page = f"/casework/enrollments/{participant['enrollment'].pk}/contacts/new/"
    answer = client.post(
        page,
        {"occurred_at": "2099-01-01T10:00", "place": "street", "kind": "phone"},
    )
    assert answer.status_code == 422
    assert "cannot be dated in the future" in answer.content.decode()
    assert not Contact.objects.exists()


def test_a_contact_is_corrected_by_whoever_logged_it_or_a_supervisor(client, site, participant):
    manager = site["users"][Role.CASE_MANAGER]
    contact, _ = contact_log(
        user=manager,
        enrollment=participant["enrollment"],
        occurred_at=datetime.datetime.now(datetime.UTC),
        kind="phone",
        place="phone",
    )
    url = f"/api/v1/casework/contacts/{contact.pk}"
    colleague = User.objects.create_user(
        username="colleague",
        organization=site["orgs"]["case_management"],
        roles=[Role.CASE_MANAGER.value],
    )
    client.force_login(colleague)
    body = {"version": 1, "reason": "was in person", "kind": "in_person", "place": "office"}
    assert client.patch(url, body, content_type=JSON).status_code == 403
    client.force_login(manager)
    fixed = client.patch(url, body, content_type=JSON)
    assert fixed.status_code == 200 and fixed.json()["kind"] == "in_person"
    page = client.get(f"/casework/contacts/{contact.pk}/").content.decode()
    assert "was in person" in page and "“phone” → “in_person”" in page
    client.force_login(site["users"][Role.SUPERVISOR])
    stale = client.patch(url, {**body, "minutes": 5}, content_type=JSON)
    assert stale.status_code == 409


@pytest.mark.parametrize(
    "role", [Role.OFFICER, Role.PROSECUTOR, Role.DEFENDER, Role.PARTNER, Role.EVALUATOR]
)
def test_enforcement_and_others_get_403_on_every_contact_page_and_endpoint(
    client, site, participant, role
):
    enrollment = participant["enrollment"]
    contact, _ = contact_log(
        user=site["users"][Role.CASE_MANAGER],
        enrollment=enrollment,
        occurred_at=datetime.datetime.now(datetime.UTC),
        kind="in_person",
        place="jail",
        note="Seen at the jail",
    )
    client.force_login(site["users"][role])
    for url in [
        _url(enrollment),
        f"/api/v1/casework/contacts/{contact.pk}",
        f"/api/v1/casework/contacts/{contact.pk}/history",
        f"/casework/enrollments/{enrollment.pk}/contacts/new/",
        f"/casework/contacts/{contact.pk}/",
        f"/casework/notes/{participant['note'].pk}/",
    ]:
        answer = client.get(url)
        assert answer.status_code == 403, url
        # Tokens (the CSRF one, 64 random letters and digits) may spell "jail" by chance.
        text = re.sub(r"[A-Za-z0-9]{32,}", "", answer.content.decode())
        assert "jail" not in text.lower()
    assert client.post(_url(enrollment), _body(), content_type=JSON).status_code == 403
    assert (
        client.patch(
            f"/api/v1/casework/contacts/{contact.pk}",
            {"version": 1, "reason": "r", "note": "x"},
            content_type=JSON,
        ).status_code
        == 403
    )
    page = f"/casework/enrollments/{enrollment.pk}/contacts/new/"
    assert client.post(page, {"occurred_at": "2026-01-01T10:00"}).status_code == 403
    assert Contact.objects.count() == 1


def test_two_resends_at_once_store_one_contact(committed_db, site, participant):
    manager = site["users"][Role.CASE_MANAGER]
    enrollment = participant["enrollment"]
    client_id = uuid.uuid4()
    start = threading.Barrier(3)
    stored: list = []

    def send():
        try:
            start.wait()
            contact, _ = contact_log(
                user=manager,
                enrollment=enrollment,
                occurred_at=datetime.datetime.now(datetime.UTC),
                kind="phone",
                place="phone",
                client_id=client_id,
            )
            stored.append(contact.pk)
        except BaseException as exc:  # noqa: BLE001 - reported below
            stored.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(set(stored)) == 1 and isinstance(stored[0], int), stored
    assert Contact.objects.filter(client_id=client_id).count() == 1


# --- the installable app --------------------------------------------------------------------


def test_the_service_worker_is_served_from_the_root_and_keeps_no_page(client, site, participant):
    answer = client.get("/sw.js")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/javascript")
    assert answer["Service-Worker-Allowed"] == "/"
    text = answer.content.decode()
    assert "/offline/" in text and "/static/web/offline.js" in text
    import re

    stored = re.search(r"const SHELL = \[(.*?)\];", text, re.S).group(1)
    kept = re.findall(r'"([^"]+)"', stored)
    assert kept and all(u.startswith("/static/") for u in kept), kept  # no page, no data


def test_the_offline_shell_holds_no_ones_data_even_when_signed_in(client, site, participant):
    client.force_login(site["users"][Role.CASE_MANAGER])
    text = client.get("/offline/").content.decode()
    assert "Log a contact" in text
    assert participant["person"].last_name not in text
    assert site["users"][Role.CASE_MANAGER].username not in text
    assert "csrfmiddlewaretoken" not in text
    assert 'name="divert-user" content=""' in text


def test_the_manifest_and_icons_are_local_files(client, db):
    import json
    from pathlib import Path

    from django.contrib.staticfiles import finders

    manifest = json.loads(Path(finders.find("web/manifest.webmanifest")).read_text())
    assert manifest["scope"] == "/" and manifest["display"] == "standalone"
    for icon in manifest["icons"]:
        path = icon["src"].removeprefix("/static/")
        assert finders.find(path), icon
        assert Path(finders.find(path)).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert {i["sizes"] for i in manifest["icons"]} >= {"192x192", "512x512"}


# --- an exited enrollment takes no new contacts ----------------------------------------------


def _exit(site, enrollment) -> None:
    from divert.casework.services import enrollment_move

    enrollment_move(
        user=site["users"][Role.CASE_MANAGER],
        enrollment=enrollment,
        to_status="exited",
        on=local_today(),
        reason="moved_away",
    )


def test_an_exited_enrollment_refuses_a_new_contact_on_the_api_naming_the_field(
    client, site, participant
):
    enrollment = participant["enrollment"]
    client.force_login(site["users"][Role.CASE_MANAGER])
    before_exit = _body()
    assert client.post(_url(enrollment), before_exit, content_type=JSON).status_code == 201
    _exit(site, enrollment)
    refused = client.post(_url(enrollment), _body(), content_type=JSON)
    assert refused.status_code == 422
    [error] = refused.json()["detail"]
    assert error["field"] == "enrollment" and "re-engage" in error["message"]
    # The offline queue resending what the server already has still gets its answer (200),
    # so the phone drops it; nothing new is stored.
    again = client.post(_url(enrollment), before_exit, content_type=JSON)
    assert again.status_code == 200
    assert Contact.objects.count() == 1


def test_an_exited_enrollment_refuses_a_new_contact_on_the_page(client, site, participant):
    enrollment = participant["enrollment"]
    _exit(site, enrollment)
    client.force_login(site["users"][Role.CASE_MANAGER])
    answer = client.post(
        f"/casework/enrollments/{enrollment.pk}/contacts/new/",
        {
            "occurred_at": datetime.datetime.now(datetime.UTC)
            .astimezone(day_start(None, local_today()).tzinfo)
            .strftime("%Y-%m-%dT%H:%M"),
            "place": "street",
            "kind": "in_person",
            "client_id": str(uuid.uuid4()),
        },
    )
    assert answer.status_code == 422
    assert "re-engage the participant" in answer.content.decode()
    assert not Contact.objects.exists()
