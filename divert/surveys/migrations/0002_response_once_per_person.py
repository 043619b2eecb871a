"""One named response per participant per survey. A database that already holds a participant
twice on one survey is refused with the responses named, before anything changes: which answer
to keep is for the program to decide, not a migration."""

from django.db import migrations, models
from django.db.models import Count


def repeated(rows: list[tuple[int, int, list[int]]]) -> str:
    """The refusal for (survey, person, response ids) answered more than once."""
    listed = "; ".join(
        f"survey {survey}, person {person}: responses {', '.join(map(str, sorted(ids)))}"
        for survey, person, ids in rows
    )
    return (
        "A named survey now takes one response per participant, and these participants "
        f"answered a survey more than once: {listed}. Keep one response of each (delete the "
        "others with the shell), then migrate again. Nothing was changed."
    )


def refuse_repeats(apps, schema_editor):
    responses = apps.get_model("surveys", "SurveyResponse").objects.filter(person__isnull=False)
    twice = (
        responses.values("survey_id", "person_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .order_by("survey_id", "person_id")
    )
    rows = [
        (
            t["survey_id"],
            t["person_id"],
            list(
                responses.filter(survey_id=t["survey_id"], person_id=t["person_id"]).values_list(
                    "pk", flat=True
                )
            ),
        )
        for t in twice
    ]
    if rows:
        raise RuntimeError(repeated(rows))


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0004_person_dob_index"),
        ("surveys", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(refuse_repeats, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="surveyresponse",
            constraint=models.UniqueConstraint(
                condition=models.Q(("person__isnull", False)),
                fields=("survey", "person"),
                name="survey_response_once_per_person",
            ),
        ),
    ]
