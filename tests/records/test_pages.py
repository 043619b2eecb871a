"""The program manager's imports pages: preview, import, history, a run, a quarantined row."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from divert.linkage.models import JusticePerson
from divert.records.models import ImportRun, JusticeEvent, QuarantinedRow
from divert.staff.roles import Role
from tests.records.helpers import BOOKING_HEADER, day, padded


def export(rows, name="bookings.csv"):
    return SimpleUploadedFile(
        name, ("\n".join([BOOKING_HEADER, *map(padded, rows)]) + "\n").encode()
    )


def post(client, rows, action):
    return client.post(
        "/imports/",
        {
            "kind": "booking",
            "file": export(rows),
            "mapping_name": "synth-county-jail.toml",
            "action": action,
        },
    )


@pytest.fixture
def pm(client, site):
    client.force_login(site["users"][Role.PROGRAM_MANAGER])
    return site["users"][Role.PROGRAM_MANAGER]


def test_a_preview_shows_the_rows_as_mapped_and_writes_nothing(client, site, pm):
    response = post(client, [f"1,501,{day(3)},1", "2,502,soon,1"], "preview")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nothing has been written" in page and "1 would go to quarantine" in page
    assert "1 new" in page and "not a valid date: &#x27;soon&#x27;" in page
    assert day(3)[:10] in page
    assert JusticeEvent.objects.count() == 0 and ImportRun.objects.count() == 0


def test_an_import_leads_to_its_run_and_its_quarantine(client, site, pm):
    response = post(client, [f"1,501,{day(3)},1", "2,=cmd|' /C calc'!A0,soon,1"], "import")
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/imports/{run.pk}/"
    page = client.get(f"/imports/{run.pk}/").content.decode()
    assert "1 accepted" in page and "1 quarantined" in page
    assert "looks like a spreadsheet formula" in page
    assert "=cmd|" not in page.replace("&#x27;", "'") or "<td>=cmd" not in page
    history = client.get("/imports/").content.decode()
    assert f'href="/imports/{run.pk}/"' in history and "bookings.csv" in history


def test_a_quarantined_row_is_fixed_on_its_page(client, site, pm):
    post(client, [f"1,501,{day(3)},1", "2,502,soon,1"], "import")
    row = QuarantinedRow.objects.get()
    page = client.get(f"/imports/quarantine/{row.pk}/").content.decode()
    assert 'value="soon"' in page
    columns = re.findall(r'name="(c\d)"', page)
    # The mapped columns in the mapping's order (the person's five among them), then area_id.
    assert columns == [f"c{i}" for i in range(9)]
    still = client.post(
        f"/imports/quarantine/{row.pk}/",
        {"action": "retry", "c0": "2", "c1": "502", "c2": "later", "c8": "1"},
    )
    assert still.status_code == 422 and "not a valid date" in still.content.decode()
    done = client.post(
        f"/imports/quarantine/{row.pk}/",
        {
            "action": "retry",
            "c0": "2",
            "c1": "502",
            "c2": day(2),
            "c3": "Ann",
            "c4": "Lee",
            "c8": "1",
        },
    )
    assert done.status_code == 302
    assert JusticeEvent.objects.filter(source_event_id="booking-2").exists()
    # The fixed row's person fields fill the jail's person record, as an import's do.
    assert JusticePerson.objects.get(source_person_id="502").last_name == "Lee"


def test_a_quarantined_row_is_discarded_with_a_reason(client, site, pm):
    post(client, ["2,502,soon,1"], "import")
    row = QuarantinedRow.objects.get()
    url = f"/imports/quarantine/{row.pk}/"
    assert client.post(url, {"action": "discard", "reason": ""}).status_code == 422
    assert client.post(url, {"action": "discard", "reason": "voided booking"}).status_code == 302
    row.refresh_from_db()
    assert row.status == "discarded"


@pytest.mark.parametrize(
    "role", [r for r in Role if r not in (Role.PROGRAM_MANAGER, Role.ADMINISTRATOR)]
)
def test_the_imports_page_is_refused_to_other_roles(client, site, role):
    client.force_login(site["users"][role])
    assert client.get("/imports/").status_code == 403


def test_an_administrator_sees_runs_but_not_the_quarantine(client, site, pm):
    post(client, ["2,502,soon,1"], "import")
    run, row = ImportRun.objects.get(), QuarantinedRow.objects.get()
    client.force_login(site["users"][Role.ADMINISTRATOR])
    page = client.get(f"/imports/{run.pk}/").content.decode()
    assert "1 quarantined" in page and "soon" not in page
    assert client.get(f"/imports/quarantine/{row.pk}/").status_code in (403, 404)
