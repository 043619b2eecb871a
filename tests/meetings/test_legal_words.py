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
    legal_words.lists_for.cache_clear()
    try:
        assert legal_words.first_health_word("went to the Sweat  Lodge", "cascadia")
        assert legal_words.first_health_word("methadone", "cascadia") == "methadone"
        assert legal_words.first_health_word("methadone", "elsewhere") is None
        assert legal_words.first_health_word("sweat lodge", "other-site") is None
        with pytest.raises(ValueError, match="broken.toml"):
            legal_words.words_for("broken")
    finally:
        legal_words.lists_for.cache_clear()


def test_the_shipped_list_reads_and_has_no_duplicates():
    words = legal_words.words_for("")
    assert "methadone" in words and len(words) == len({w.lower() for w in words})


@pytest.mark.parametrize(
    "text",
    [
        *"""addiction|addicted|addict|using again|relapsing|relapses|dirty UA|tested positive|
        cocaine|oxycodone|xanax|benzos|dopesick|IV drug|injecting|psych ward|hearing voices|
        seizure|dementia|cancer|STD|syphilis|therapy|counseling|treatment|clean|intoxicated
        """.replace("\n", "")
        .replace("  ", "")
        .split("|"),
        "heroin-addicted",  # a hyphen separates words
        "self_harm",
        "ｈｅｒｏｉｎ",  # full-width
        "h\u0435roin",  # Cyrillic е
        "her\u200boin",  # zero-width space
        "her\u00adoin",  # soft hyphen
        "HÉROÏN",  # accents
        "\u03bfverdose",  # Greek ο
        "h e r o i n",  # spelled out
        "H.I.V.",
        "m-e-t-h",
    ],
)
def test_words_and_spellings_that_used_to_pass_are_refused(text):
    assert legal_words.first_health_word(f"Warrant; {text}, per team.")


def test_the_word_is_named_as_written():
    assert legal_words.first_health_word("FTA; h\u0435roin-addicted") == "h\u0435roin"
    assert legal_words.first_health_word("on ｍｅｔｈａｄｏｎｅ") == "ｍｅｔｈａｄｏｎｅ"
    assert legal_words.first_health_word("FTA: h e r o i n, per team") == "h e r o i n"


def test_initials_and_case_numbers_spelled_out_pass():
    for text in ("Judge J. R. Smith, Dept. A", "U.S.C. 841 charge held", "Case A-1-B-22 set"):
        assert legal_words.first_health_word(text) is None, text


def test_a_word_mixing_alphabets_is_refused_even_when_not_listed():
    assert legal_words.first_mixed_word("warrant h\u0435ld") == "h\u0435ld"
    assert '"h\u0435ld" mixes alphabets' in legal_words.refusal("warrant h\u0435ld")
    assert legal_words.refusal("Ivanov (Иванов): warrant quashed") is None


@pytest.mark.parametrize(
    "text",
    [
        "Charge held pending treatment court.",
        "Clean record; prosecutor agrees to dismiss.",
        "Motion on search and seizure set for March 4.",
        "Counsel to confirm the next court date.",
        "Defender moves for withdrawal of plea.",
        "Case 24-CR-0113: resolve together with the LEAD case.",
        "Possession charge pending; defender asks for drug court.",
        "Bench warrant quashed; new date 2026-03-01; legal clinic to help with fines.",
    ],
)
def test_ordinary_legal_coordination_passes(text):
    assert legal_words.refusal(text) is None


def test_only_the_allowed_phrase_passes_not_the_word_beside_it():
    assert legal_words.first_health_word("Treatment court; he is in treatment") == "treatment"
    assert legal_words.first_health_word("clean record, clean since May") == "clean"


def test_a_site_adds_allowed_phrases(tmp_path, monkeypatch):
    (tmp_path / "default.toml").write_text('words = ["clean"]\n')
    (tmp_path / "cascadia.toml").write_text('allow = ["clean hands"]\n')
    monkeypatch.setattr(legal_words, "HERE", tmp_path)
    legal_words.lists_for.cache_clear()
    try:
        assert legal_words.first_health_word("clean-hands doctrine", "cascadia") is None
        assert legal_words.first_health_word("clean-hands doctrine", "other") == "clean"
    finally:
        legal_words.lists_for.cache_clear()
