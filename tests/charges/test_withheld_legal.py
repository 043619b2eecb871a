"""Legal-matter text and a hold's decision reason stored before the health-word check (or
before a word joined the list) are withheld from the prosecutor and the defender on every
page and API answer that shows them; officers read none of it; the case team reads it as
written."""

import pytest

from divert.charges.models import ChargeHold, LegalMatter
from divert.meetings.legal_words import WITHHELD
from divert.staff.roles import Role
from tests.conftest import local_today

OLD = {
    "summary": "FTA warrant: missed court while in detox",
    "court": "Muni 24-001, psych ward docket",
    "liaison_note": "hold until rehab ends",
    "defender_note": "client relapsed, asks for time",
}
WORDS = ("detox", "psych", "rehab", "relapsed")


@pytest.fixture
def matter(site, participant) -> LegalMatter:
    # Written before the check existed: straight into the table.
    return LegalMatter.objects.create(
        jurisdiction=site["site"],
        person=participant["person"],
        kind="warrant",
        entered_by=site["users"][Role.PROSECUTOR],
        entered_on=local_today(),
        **OLD,
    )


def _urls(participant) -> tuple[str, str]:
    pk = participant["enrollment"].pk
    return f"/charges/enrollments/{pk}/legal/", f"/api/v1/charges/enrollments/{pk}/legal"


def _clean(text: str) -> bool:
    return not any(word in text for word in WORDS)


@pytest.mark.parametrize("role", [Role.PROSECUTOR, Role.DEFENDER])
def test_enforcement_reads_old_legal_text_withheld(client, site, participant, matter, role):
    page, api = _urls(participant)
    client.force_login(site["users"][role])
    html = client.get(page)
    assert html.status_code == 200 and WITHHELD in html.content.decode()
    assert _clean(html.content.decode())  # the position form's note too
    reply = client.get(api)
    assert reply.status_code == 200 and _clean(reply.content.decode())
    [read] = reply.json()
    assert [read[name] for name in OLD] == [WITHHELD] * len(OLD)
    matter.refresh_from_db()
    assert [getattr(matter, name) for name in OLD] == list(OLD.values())  # stored untouched


@pytest.mark.parametrize("role", [Role.PROSECUTOR, Role.DEFENDER])
def test_saving_a_position_answers_with_old_text_withheld(client, site, participant, matter, role):
    client.force_login(site["users"][role])
    reply = client.post(
        f"/api/v1/charges/legal/{matter.pk}/position",
        {"position": "quash", "note": "will move to quash"},
        content_type="application/json",
    )
    assert reply.status_code == 200 and _clean(reply.content.decode())
    assert reply.json()["summary"] == reply.json()["court"] == WITHHELD
    prefix = f"m{matter.pk}"
    client.post(
        f"/charges/legal/{matter.pk}/position/",
        {f"{prefix}-position": "hold", f"{prefix}-note": "will move to quash"},
    )
    html = client.get(_urls(participant)[0]).content.decode()  # the notice is shown here
    assert "Position saved" in html and _clean(html)


def test_officers_read_no_legal_matters(client, site, participant, matter):
    client.force_login(site["users"][Role.OFFICER])
    for url in _urls(participant):
        reply = client.get(url)
        assert reply.status_code == 403 and _clean(reply.content.decode())


def test_the_case_team_reads_old_legal_text_as_written(client, site, participant, matter):
    page, api = _urls(participant)
    for role in (Role.CASE_MANAGER, Role.SUPERVISOR):
        client.force_login(site["users"][role])
        html = client.get(page).content.decode()
        assert all(text in html for text in OLD.values()) and WITHHELD not in html
        [read] = client.get(api).json()
        assert {name: read[name] for name in OLD} == OLD


def _decided(participant) -> ChargeHold:
    hold = participant["hold"]
    ChargeHold.objects.filter(pk=hold.pk).update(
        status=ChargeHold.Status.DECLINED,
        decided_on=local_today(),
        decision_reason="Declined: he is in detox",
    )
    return hold


def test_an_old_decision_reason_is_withheld_from_enforcement(client, site, participant):
    hold = _decided(participant)
    url = f"/charges/holds/{hold.pk}/"
    for role in (Role.PROSECUTOR, Role.DEFENDER):
        client.force_login(site["users"][role])
        html = client.get(url).content.decode()
        assert WITHHELD in html and "detox" not in html
    client.force_login(site["users"][Role.OFFICER])
    reply = client.get(url)
    assert reply.status_code == 403 and "detox" not in reply.content.decode()
    client.force_login(site["users"][Role.CASE_MANAGER])
    assert "Declined: he is in detox" in client.get(url).content.decode()


def test_a_withheld_note_sent_back_as_shown_keeps_the_stored_note(client, site, matter):
    """The position form shows the old note withheld; changing only the position sends that
    text back, and the note stays as written."""
    client.force_login(site["users"][Role.PROSECUTOR])
    reply = client.post(
        f"/api/v1/charges/legal/{matter.pk}/position",
        {"position": "hold", "note": WITHHELD},
        content_type="application/json",
    )
    assert reply.status_code == 200 and reply.json()["liaison_note"] == WITHHELD
    matter.refresh_from_db()
    assert (matter.liaison_position, matter.liaison_note) == ("hold", OLD["liaison_note"])


def test_the_withheld_text_is_no_pass_for_a_note_that_was_clean(client, site, matter):
    matter.liaison_note = "hold until the next hearing"
    matter.save()
    client.force_login(site["users"][Role.PROSECUTOR])
    reply = client.post(
        f"/api/v1/charges/legal/{matter.pk}/position",
        {"position": "hold", "note": WITHHELD},
        content_type="application/json",
    )
    assert reply.status_code == 422 and reply.json()["detail"][0]["field"] == "liaison_note"
    matter.refresh_from_db()
    assert (matter.liaison_position, matter.liaison_note) == ("", "hold until the next hearing")


def test_the_defender_changes_only_the_position_on_the_page(client, site, participant, matter):
    client.force_login(site["users"][Role.DEFENDER])
    page, _ = _urls(participant)
    form = client.get(page).content.decode()
    assert WITHHELD in form and "relapsed" not in form
    assert f'name="m{matter.pk}-note"' in form
    reply = client.post(
        f"/charges/legal/{matter.pk}/position/",
        {f"m{matter.pk}-position": "dismiss", f"m{matter.pk}-note": WITHHELD},
        follow=True,
    )
    assert reply.status_code == 200 and "Position saved" in reply.content.decode()
    matter.refresh_from_db()
    assert (matter.defender_position, matter.defender_note) == ("dismiss", OLD["defender_note"])
