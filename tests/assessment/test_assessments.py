import datetime

import pytest
from django.core.exceptions import ValidationError

from divert.assessment.models import Answer, Assessment, AssessmentInstrument, Reassessment
from divert.assessment.selectors import answers_for
from divert.assessment.services import (
    DEFAULT_INSTRUMENT,
    assessment_create,
    instrument_load,
    reassessment_create,
)
from divert.audit.models import AuditEntry
from divert.staff.roles import Role
from tests.conftest import local_today, token_for

ANSWERS = {
    "living_situation": "unsheltered",
    "has_id": "no",
    "substances": ["opioids"],
    "has_naloxone": "yes",
}


@pytest.fixture
def manager(site):
    return site["users"][Role.CASE_MANAGER]


@pytest.fixture
def enrollment(participant):
    return participant["enrollment"]


def test_an_assessment_keeps_each_answer_and_whether_it_is_health(manager, enrollment):
    made = assessment_create(
        user=manager, enrollment=enrollment, taken_on=local_today(), answers=ANSWERS
    )
    stored = {a.question: (a.value, a.health) for a in made.answers.all()}
    assert stored == {
        "living_situation": ("unsheltered", False),
        "has_id": (False, False),
        "substances": (["opioids"], True),
        "has_naloxone": (True, True),
    }
    assert str(made.instrument) == "divert-default v1"


@pytest.mark.parametrize(
    ("taken_on", "answers", "field"),
    [
        (1, ANSWERS, "taken_on"),
        (0, {**ANSWERS, "living_situation": ""}, "answers.living_situation"),
        (0, {**ANSWERS, "favourite_colour": "red"}, "answers.favourite_colour"),
        (0, {**ANSWERS, "substances": ["opioids", "glue"]}, "answers.substances"),
    ],
    ids=["future", "required-blank", "unknown-question", "unknown-choice"],
)
def test_bad_answers_are_refused_naming_the_field_and_nothing_is_saved(
    manager, enrollment, taken_on, answers, field
):
    with pytest.raises(ValidationError) as exc:
        assessment_create(
            user=manager,
            enrollment=enrollment,
            taken_on=local_today() + datetime.timedelta(days=taken_on),
            answers=answers,
        )
    assert field in exc.value.message_dict
    assert not Assessment.objects.exists() and not Answer.objects.exists()


def test_a_site_loads_its_own_version_and_a_broken_file_changes_nothing(site, manager, enrollment):
    text = DEFAULT_INSTRUMENT.read_text()
    instrument_load(jurisdiction=site["site"], text=text.replace("version = 1", "version = 2"))
    with pytest.raises(ValidationError) as exc:
        instrument_load(jurisdiction=site["site"], text=text.replace("version = 1", "version = x"))
    assert "line 8" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        instrument_load(
            jurisdiction=site["site"],
            text=text.replace("version = 1", "version = 2").replace("LEAD intake", "Other"),
        )
    assert "version" in exc.value.message_dict
    made = assessment_create(
        user=manager, enrollment=enrollment, taken_on=local_today(), answers=ANSWERS
    )
    assert made.instrument.version == "2"
    assert AssessmentInstrument.objects.filter(jurisdiction=site["site"], active=True).count() == 1
    loads = AuditEntry.objects.filter(action="instrument_load", outcome="success")
    assert list(loads.values_list("kind", flat=True)) == ["configuration"]


def test_health_answers_are_hidden_where_the_policy_does_not_allow_health(
    client, site, manager, enrollment
):
    made = assessment_create(
        user=manager, enrollment=enrollment, taken_on=local_today(), answers=ANSWERS
    )
    assert {a.question for a in answers_for(user=manager, assessment=made)} == set(ANSWERS)
    # A token for the case manager that may read assessments but not health detail.
    token = token_for(manager, scopes=["assessment:view"])
    response = client.get(
        f"/api/v1/casework/assessments/{made.pk}", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 200
    shown = {a["question"] for a in response.json()["answers"]}
    assert shown == {"living_situation", "has_id"}
    assert "opioids" not in response.content.decode()


def test_reading_health_answers_is_an_audited_read(client, manager, enrollment):
    made = assessment_create(
        user=manager, enrollment=enrollment, taken_on=local_today(), answers=ANSWERS
    )
    client.force_login(manager)
    assert b"Heroin, fentanyl" in client.get(f"/casework/assessments/{made.pk}/").content
    entry = AuditEntry.objects.filter(kind="health").last()
    assert (entry.action, entry.outcome, entry.object_id) == ("view", "allowed", str(enrollment.pk))


def test_the_assessment_page_saves_answers_and_names_a_missing_required_field(
    client, manager, enrollment
):
    client.force_login(manager)
    url = f"/casework/enrollments/{enrollment.pk}/assessments/new/"
    page = client.get(url)
    assert b"Substance use" in page.content and b"health information" in page.content
    bad = client.post(url, {"taken_on": local_today().isoformat(), "has_id": "yes"})
    assert bad.status_code == 422 and b"errorlist" in bad.content
    assert not Assessment.objects.exists()
    good = client.post(
        url,
        {
            "taken_on": local_today().isoformat(),
            "living_situation": "shelter",
            "substances": ["alcohol", "cannabis"],
            "monthly_income": "120",
        },
        follow=True,
    )
    made = Assessment.objects.get()
    assert good.redirect_chain[-1][0] == f"/casework/assessments/{made.pk}/"
    assert b"Emergency shelter" in good.content and b"Alcohol, Cannabis" in good.content


def test_the_api_serves_the_instrument_and_records_an_assessment(client, manager, enrollment):
    client.force_login(manager)
    instrument = client.get("/api/v1/casework/instrument").json()
    assert instrument["id"] == "divert-default"
    assert {q["key"] for q in instrument["questions"] if q["health"]} >= {"substances"}
    url = f"/api/v1/casework/enrollments/{enrollment.pk}/assessments"
    bad = client.post(
        url,
        {"taken_on": local_today().isoformat(), "answers": {"living_situation": "castle"}},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["field"] == "answers.living_situation"
    made = client.post(
        url,
        {"taken_on": local_today().isoformat(), "answers": ANSWERS},
        content_type="application/json",
    )
    assert made.status_code == 201 and len(made.json()["answers"]) == 4
    assert len(client.get(url).json()) == 1


def test_reassessments_are_kept_over_time_first_at_intake_then_monthly(manager, enrollment):
    enrollment.referred_on = local_today() - datetime.timedelta(days=40)
    enrollment.save()
    first = reassessment_create(
        user=manager,
        enrollment=enrollment,
        taken_on=local_today() - datetime.timedelta(days=35),
        housing="unsheltered",
        employment="not_looking",
        income_benefits=["none"],
    )
    later = reassessment_create(
        user=manager,
        enrollment=enrollment,
        taken_on=local_today(),
        housing="transitional",
        employment="informal",
        income_benefits=["snap", "earned"],
    )
    assert (first.occasion, later.occasion) == ("intake", "monthly")
    assert later.income_benefits == ["earned", "snap"]
    assert list(Reassessment.objects.values_list("housing", flat=True)) == [
        "unsheltered",
        "transitional",
    ]
    with pytest.raises(ValidationError) as exc:
        reassessment_create(
            user=manager,
            enrollment=enrollment,
            taken_on=local_today(),
            housing="shelter",
            employment="informal",
            income_benefits=[],
        )
    assert "taken_on" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        reassessment_create(
            user=manager,
            enrollment=enrollment,
            taken_on=local_today(),
            housing="palace",
            employment="informal",
            income_benefits=["none", "snap"],
        )
    assert set(exc.value.message_dict) == {"housing", "income_benefits"}
    assert Reassessment.objects.count() == 2


def test_the_reassessment_page_records_the_short_form(client, manager, enrollment):
    client.force_login(manager)
    url = f"/casework/enrollments/{enrollment.pk}/assessments/"
    response = client.post(
        url,
        {
            "taken_on": local_today().isoformat(),
            "housing": "shelter",
            "employment": "looking",
            "income_benefits": ["snap"],
        },
        follow=True,
    )
    assert b"Emergency shelter" in response.content and b"At intake" in response.content
    future = (local_today() + datetime.timedelta(days=1)).isoformat()
    bad = client.post(url, {"taken_on": future, "housing": "shelter", "employment": "looking"})
    assert bad.status_code == 422 and b"future" in bad.content


@pytest.mark.parametrize("role", [Role.OFFICER, Role.PROSECUTOR, Role.DEFENDER, Role.PARTNER])
def test_enforcement_and_partners_get_403_on_every_assessment_page_and_endpoint(
    client, site, manager, enrollment, role
):
    made = assessment_create(
        user=manager, enrollment=enrollment, taken_on=local_today(), answers=ANSWERS
    )
    client.force_login(site["users"][role])
    for url in [
        f"/casework/enrollments/{enrollment.pk}/assessments/",
        f"/casework/enrollments/{enrollment.pk}/assessments/new/",
        f"/casework/assessments/{made.pk}/",
        f"/api/v1/casework/assessments/{made.pk}",
        f"/api/v1/casework/enrollments/{enrollment.pk}/assessments",
        f"/api/v1/casework/enrollments/{enrollment.pk}/reassessments",
        "/api/v1/casework/instrument",
    ]:
        assert client.get(url).status_code == 403, url
    response = client.post(
        f"/api/v1/casework/enrollments/{enrollment.pk}/reassessments",
        {"taken_on": local_today().isoformat(), "housing": "shelter", "employment": "looking"},
        content_type="application/json",
    )
    assert response.status_code == 403
