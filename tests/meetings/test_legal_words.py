"""The legal line a prosecutor reads refuses health and substance-use words, named by field and
word, on the page and the API alike, from a data file a site can add to."""

import pytest
from django.core.exceptions import ValidationError

from divert.meetings import legal_words
from divert.meetings.models import MeetingItem
from divert.meetings.services import item_add, item_correct, item_record, meeting_close
from divert.staff.roles import Role


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Warrant quashed; he is on Methadone now.", "Methadone"),
        ("Bench warrant. In DETOX until Friday.", "DETOX"),
        ("Court date moved: mental   health assessment first.", "mental   health"),
        ("Missed court after an overdose.", "overdose"),
    ],
)
def test_a_health_word_in_the_legal_line_is_refused_naming_it(
    site, runner, meeting, participant, text, word
):
    with pytest.raises(ValidationError) as exc:
        item_add(
            user=runner,
            meeting=meeting,
            enrollment_id=participant["enrollment"].pk,
            summary="Seen.",
            legal=text,
        )
    assert set(exc.value.message_dict) == {"legal"}
    assert f'"{word}"' in exc.value.message_dict["legal"][0]
    assert not MeetingItem.objects.exists()


def test_legal_facts_pass_and_the_team_fields_may_speak_of_health(runner, meeting, participant):
    item, _ = item_add(
        user=runner,
        meeting=meeting,
        enrollment_id=participant["enrollment"].pk,
        summary="On methadone; detox bed next week.",
        legal="Possession charge pending; defender asks for drug court. Methodist church alibi.",
    )
    assert item.legal.startswith("Possession charge")


def test_recording_and_correcting_apply_the_same_check(runner, legal_item):
    with pytest.raises(ValidationError) as exc:
        item_record(user=runner, item=legal_item, summary="x", legal="Suboxone program")
    assert "Suboxone" in exc.value.message_dict["legal"][0]
    meeting_close(user=runner, meeting=legal_item.meeting)
    with pytest.raises(ValidationError) as exc:
        item_correct(
            user=runner,
            item=legal_item,
            summary="x",
            legal="relapsed, warrant",
            version=1,
            reason="typo",
        )
    assert "relapsed" in exc.value.message_dict["legal"][0]
    legal_item.refresh_from_db()
    assert legal_item.legal == "FTA warrant: defender to ask to quash."


def test_the_page_and_the_api_name_the_field_and_the_word(client, site, meeting, participant):
    client.force_login(site["users"][Role.SUPERVISOR])
    body = {"enrollment_id": participant["enrollment"].pk, "summary": "Seen.", "legal": "on meds"}
    page = client.post(f"/meetings/{meeting.pk}/items/", body)
    assert page.status_code == 422 and "leave out &quot;meds&quot;" in page.content.decode()
    api = client.post(f"/api/v1/meetings/{meeting.pk}/items", body, content_type="application/json")
    assert api.status_code == 422
    assert (
        api.json()["detail"][0]["field"] == "legal"
        and '"meds"' in api.json()["detail"][0]["message"]
    )
    assert not MeetingItem.objects.exists()


def test_a_site_adds_words_or_replaces_the_list_in_its_own_file(tmp_path, monkeypatch):
    (tmp_path / "default.toml").write_text('words = ["methadone"]\n')
    (tmp_path / "cascadia.toml").write_text('words = ["sweat lodge"]\n')
    (tmp_path / "elsewhere.toml").write_text('words = ["sweat lodge"]\nreplace_default = true\n')
    (tmp_path / "broken.toml").write_text("words = [1]\n")
    monkeypatch.setattr(legal_words, "HERE", tmp_path)
    legal_words.words_for.cache_clear()
    try:
        assert legal_words.first_health_word("went to the Sweat  Lodge", "cascadia")
        assert legal_words.first_health_word("methadone", "cascadia") == "methadone"
        assert legal_words.first_health_word("methadone", "elsewhere") is None
        assert legal_words.first_health_word("sweat lodge", "other-site") is None
        with pytest.raises(ValueError, match="broken.toml"):
            legal_words.words_for("broken")
    finally:
        legal_words.words_for.cache_clear()


def test_the_shipped_list_reads_and_has_no_duplicates():
    words = legal_words.words_for("")
    assert "methadone" in words and len(words) == len({w.lower() for w in words})
