"""Which site (jurisdiction) a record belongs to: one rule for enforcement, audit and admin.

Every record belongs to exactly one LEAD site. Models that carry a `jurisdiction` foreign
key belong to it directly; the others reach it through the path listed here. A model
that has neither is refused loudly, so a new model cannot silently escape tenancy.
"""

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, Q

# Lookup paths from a model to its jurisdiction, for models without a direct foreign key.
# "" means the model is the jurisdiction itself.
PATHS = {
    "jurisdictions.jurisdiction": "",
    "staff.user": "organization__jurisdiction",
    "staff.apitoken": "user__organization__jurisdiction",
    "staff.rolegrant": "user__organization__jurisdiction",
    "people.personname": "person__jurisdiction",
    "people.personidentifier": "person__jurisdiction",
    "people.namekey": "person__jurisdiction",
    "field.offense": "encounter__jurisdiction",
    "casework.statuschange": "enrollment__jurisdiction",
    "casework.releaseofinformation": "person__jurisdiction",
    "casework.interventionplan": "enrollment__jurisdiction",
    "casework.goal": "plan__enrollment__jurisdiction",
    "casework.goalstep": "goal__plan__enrollment__jurisdiction",
    "casework.contact": "enrollment__jurisdiction",
    "casework.casenote": "enrollment__jurisdiction",
    "casework.servicereferral": "enrollment__jurisdiction",
    "assessment.assessment": "enrollment__jurisdiction",
    "assessment.answer": "assessment__enrollment__jurisdiction",
    "assessment.reassessment": "enrollment__jurisdiction",
    "meetings.meetingitem": "meeting__jurisdiction",
    "meetings.actionitem": "item__meeting__jurisdiction",
    "surveys.surveyresponse": "survey__jurisdiction",
    "audit.auditentry": "jurisdiction",  # a plain id, so the trail outlives any site
}


def jurisdiction_path(model: type[Model]) -> str:
    """The lookup path from `model` to its jurisdiction ("" for Jurisdiction itself)."""
    label = model._meta.label_lower
    if label.startswith("historical") or getattr(model, "instance_type", None):
        model = getattr(model, "instance_type", model)  # a history row: its record's rule
        label = model._meta.label_lower
    if label in PATHS:
        return PATHS[label]
    if any(f.name == "jurisdiction" for f in model._meta.get_fields()):
        return "jurisdiction"
    raise ImproperlyConfigured(f"{label} has no jurisdiction path; add it to divert.access.tenancy")


def jurisdiction_of(obj: Model) -> int | None:
    """The id of the site `obj` belongs to, or None (an account with no organization)."""
    path = jurisdiction_path(type(obj))
    if not path:
        return obj.pk
    value: Any = obj
    parts = path.split("__")
    # Stop one short and read the foreign key's id: no query for the last hop.
    for part in parts[:-1]:
        value = getattr(value, part, None)
        if value is None:
            return None
    return getattr(value, f"{parts[-1]}_id", None)


def in_jurisdiction(model: type[Model], jurisdiction_id: int | None) -> Q:
    """A filter for `model`'s rows in one site; matches nothing for None."""
    if jurisdiction_id is None:
        return Q(pk__in=[])
    path = jurisdiction_path(model)
    return Q(**{f"{path}_id" if path else "pk": jurisdiction_id})
