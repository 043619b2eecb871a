"""The API upload and the quarantine endpoints."""

import pytest

from divert.records.models import ImportRun, JusticeEvent, QuarantinedRow
from divert.staff.roles import Role
from tests.records.helpers import BOOKING_HEADER, SYNTH_MAPPING, day, padded

URL = "/api/v1/records/imports"


def csv_upload(rows, name="bookings.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = "\n".join([BOOKING_HEADER, *map(padded, rows)]) + "\n"
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def upload(client, user, rows, **extra):
    client.force_login(user)
    data = {"kind": "booking", "file": csv_upload(rows), "mapping_name": "synth-county-jail.toml"}
    data.update(extra)
    return client.post(URL, data)


@pytest.mark.parametrize("role", [Role.PROGRAM_MANAGER, Role.ADMINISTRATOR])
def test_a_program_manager_or_administrator_uploads_an_export(client, site, role):
    response = upload(client, site["users"][role], [f"1,501,{day(3)},1", "2,502,x,1"])
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["counts"]["accepted"] == 1 and body["counts"]["quarantined"] == 1
    assert body["errors"] == [
        {"row": 3, "column": "booked_at", "message": "not a valid date: 'x' (expected ISO8601)"}
    ]
    run = ImportRun.objects.get(pk=body["run"]["id"])
    assert (run.origin, run.started_by, run.jurisdiction) == (
        "api",
        site["users"][role],
        site["site"],
    )


def test_a_dry_run_upload_previews_and_writes_nothing(client, site):
    response = upload(
        client, site["users"][Role.PROGRAM_MANAGER], [f"1,501,{day(3)},1"], dry_run="true"
    )
    body = response.json()
    assert body["run"] is None and body["dry_run"] is True
    assert body["preview"][0]["source_key"] == "1"
    assert JusticeEvent.objects.count() == 0 and ImportRun.objects.count() == 0


@pytest.mark.parametrize(
    "role", [r for r in Role if r not in (Role.PROGRAM_MANAGER, Role.ADMINISTRATOR)]
)
def test_other_roles_cannot_upload(client, site, role):
    response = upload(client, site["users"][role], [f"1,501,{day(3)},1"])
    assert response.status_code == 403
    assert JusticeEvent.objects.count() == 0


def test_an_upload_over_the_size_limit_is_refused_naming_the_field(client, site, settings):
    settings.DIVERT_IMPORT_MAX_MB = 0
    response = upload(client, site["users"][Role.PROGRAM_MANAGER], [f"1,501,{day(3)},1"])
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "file"
    assert "larger than 0 MB" in response.json()["detail"][0]["message"]


def test_an_uploaded_mapping_is_used_and_a_broken_one_named(client, site):
    from django.core.files.uploadedfile import SimpleUploadedFile

    pm = site["users"][Role.PROGRAM_MANAGER]
    mine = SimpleUploadedFile(
        "m.toml", SYNTH_MAPPING.replace("version = 2", "version = 7").encode()
    )
    response = upload(client, pm, [f"1,501,{day(3)},1"], mapping=mine, mapping_name="")
    assert response.json()["run"]["mapping_version"] == 7
    broken = SimpleUploadedFile("m.toml", b"id = 'x'")
    response = upload(client, pm, [f"2,501,{day(3)},1"], mapping=broken, mapping_name="")
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "mapping"


def test_a_binary_upload_is_a_refused_run_not_an_error(client, site):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(site["users"][Role.PROGRAM_MANAGER])
    data = {
        "kind": "booking",
        "file": SimpleUploadedFile("b.csv", b"\x00\x01\x02" * 100),
        "mapping_name": "synth-county-jail.toml",
    }
    body = client.post(URL, data).json()
    assert body["refusal"] == "b.csv: this is a binary file, not CSV text (it holds NUL bytes)"
    assert body["run"]["status"] == "refused"


def test_history_and_quarantine_through_the_api(client, site):
    pm = site["users"][Role.PROGRAM_MANAGER]
    run_id = upload(client, pm, [f"1,501,{day(3)},1", "2,502,x,1"]).json()["run"]["id"]
    assert [r["id"] for r in client.get(URL).json()] == [run_id]
    rows = client.get(f"{URL}/{run_id}/quarantine").json()
    assert rows[0]["values"]["booked_at"] == "x"
    row_id = rows[0]["id"]
    bad = client.post(
        f"/api/v1/records/quarantine/{row_id}/retry",
        {"values": {**rows[0]["values"], "booked_at": "still bad"}},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["field"] == "booked_at"
    good = client.post(
        f"/api/v1/records/quarantine/{row_id}/retry",
        {"values": {**rows[0]["values"], "booked_at": day(4)}},
        content_type="application/json",
    )
    assert good.status_code == 200 and good.json()["status"] == "fixed"
    assert JusticeEvent.objects.filter(source_event_id="booking-2").exists()


def test_a_discard_through_the_api_needs_a_reason(client, site):
    pm = site["users"][Role.PROGRAM_MANAGER]
    upload(client, pm, ["2,502,x,1"])
    row = QuarantinedRow.objects.get()
    url = f"/api/v1/records/quarantine/{row.pk}/discard"
    assert client.post(url, {"reason": ""}, content_type="application/json").status_code == 422
    done = client.post(url, {"reason": "duplicate of booking 3"}, content_type="application/json")
    assert done.json()["status"] == "discarded"


def test_the_upload_and_the_run_report_justice_persons_new_and_corrected(client, site):
    manager = site["users"][Role.PROGRAM_MANAGER]
    rows = [f"1,501,{day(3)},1,Ann,Lee,1980-01-02,female,white", f"2,502,{day(2)},1,Bo,Diaz,,,"]
    body = upload(client, manager, rows).json()
    assert (body["counts"]["persons_new"], body["counts"]["persons_updated"]) == (2, 0)
    assert (body["run"]["persons_new"], body["run"]["persons_updated"]) == (2, 0)
    corrected = [f"1,501,{day(3)},1,Ann,Leigh,1980-01-02,female,white"]
    body = upload(client, manager, corrected).json()
    assert (body["counts"]["persons_new"], body["counts"]["persons_updated"]) == (0, 1)
    run = client.get(f"{URL}/{body['run']['id']}").json()
    assert (run["persons_new"], run["persons_updated"]) == (0, 1)
    page = client.get(f"/imports/{body['run']['id']}/").content.decode()
    assert "justice persons 0 new, 1 corrected" in page
