"""One date format on every case-work page, in the site's local time; conflicts say so too."""

import datetime
import re
from pathlib import Path

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from divert.casework import corrections
from divert.casework.contacts import contact_log
from divert.casework.models import CaseNote
from divert.casework.services import case_note_correct
from divert.jurisdictions.clock import site_zone
from divert.staff.roles import Role

ROOT = Path(__file__).resolve().parents[2] / "divert"
# A literal format such as "Y-m-d H:i" in a template; the one site format is DATE_FORMAT,
# DATETIME_FORMAT and friends (divert/formats). A date input's value must stay ISO, so
# `value="{{ x|date:'Y-m-d' }}"` inside an input is the one exception.
LITERAL = re.compile(r"""\|(date|time):["']([^"']+)["']""")


def _literal_formats(path: Path) -> list[str]:
    found = []
    for number, line in enumerate(path.read_text().splitlines(), 1):
        for match in LITERAL.finditer(line):
            fmt = match.group(2)
            if fmt.endswith("_FORMAT"):
                continue
            if 'type="date"' in line and fmt == "Y-m-d":
                continue
            found.append(f"{path.relative_to(ROOT)}:{number}: {fmt}")
    return found


@pytest.mark.parametrize("app", ["casework", "assessment"])
def test_templates_use_the_one_site_format(app):
    templates = sorted((ROOT / app / "templates").rglob("*.html"))
    assert templates
    assert [hit for path in templates for hit in _literal_formats(path)] == []


def _local(moment: datetime.datetime, fmt: str = "DATETIME_FORMAT") -> str:
    return date_format(timezone.localtime(moment, site_zone(None)), fmt)


def test_the_contact_page_shows_recent_contacts_in_the_site_format(client, site, participant):
    manager = site["users"][Role.CASE_MANAGER]
    contact, _ = contact_log(
        user=manager,
        enrollment=participant["enrollment"],
        occurred_at=timezone.now() - datetime.timedelta(minutes=5),
        kind="phone",
        place="phone",
    )
    client.force_login(manager)
    page = client.get(f"/casework/contacts/{contact.pk}/").content.decode()
    assert _local(contact.occurred_at) in page
    assert f"{timezone.localtime(contact.occurred_at, site_zone(None)):%Y-%m-%d %H:%M}" not in page
    listed = client.get(
        f"/casework/enrollments/{participant['enrollment'].pk}/contacts/new/"
    ).content.decode()
    assert _local(contact.occurred_at) in listed


def test_a_conflict_names_the_time_in_the_sites_zone_and_format(site, participant):
    note = CaseNote.objects.filter(enrollment=participant["enrollment"]).first()
    supervisor = site["users"][Role.SUPERVISOR]
    case_note_correct(user=supervisor, note=note, values={"text": "B"}, version=1, reason="r")
    with pytest.raises(corrections.Conflict) as exc:
        case_note_correct(
            user=site["users"][Role.CASE_MANAGER],
            note=note,
            values={"text": "C"},
            version=1,
            reason="r",
        )
    saved_at = note.history.latest().history_date
    summary = exc.value.summary()
    assert "UTC" not in summary
    assert f"at {_local(saved_at)} after you opened it" in summary


def test_a_conflict_on_the_api_shows_site_time_too(client, site, participant):
    note = CaseNote.objects.filter(enrollment=participant["enrollment"]).first()
    case_note_correct(
        user=site["users"][Role.SUPERVISOR], note=note, values={"text": "B"}, version=1, reason="r"
    )
    client.force_login(site["users"][Role.CASE_MANAGER])
    answer = client.patch(
        f"/api/v1/casework/notes/{note.pk}",
        {"version": 1, "reason": "typo", "text": "C"},
        content_type="application/json",
    )
    assert answer.status_code == 409
    message = answer.json()["detail"][0]["message"]
    assert _local(note.history.latest().history_date) in message and "UTC" not in message
