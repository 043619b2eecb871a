"""A site's versioned data files (eligibility policies, assessment instruments).

Every loaded version is kept; one is active per site; reloading a stored version makes it
active again (a rollback), but a stored version is never given different text.
"""

from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from divert.eligibility.errors import PolicyError
from divert.jurisdictions.models import Jurisdiction

Row = TypeVar("Row", bound=models.Model)


def file_refusal(exc: PolicyError, default_key: str) -> ValidationError:
    """A parse error as a field error naming the key, and the line where there is one."""
    where = f"line {exc.line}: " if exc.line else ""
    return ValidationError({exc.key or default_key: f"{where}{exc.message}"})


def version_activate(
    model: type[Row],
    *,
    jurisdiction: Jurisdiction,
    key_field: str,
    key: str,
    version: str,
    text: str,
    source: str,
    user: Any,
    noun: str,
) -> tuple[Row, bool]:
    """Make this version the site's active one, storing it if new; whether it was stored."""
    existing = model.objects.filter(
        jurisdiction=jurisdiction, version=version, **{key_field: key}
    ).first()
    if existing is not None and existing.text != text:
        raise ValidationError(
            {
                "version": f"version {version} of {key} is already stored with other text; "
                f"give the changed {noun} a new version"
            }
        )
    model.objects.filter(jurisdiction=jurisdiction, active=True).update(active=False)
    if existing is not None:
        existing.active = True
        existing.save(update_fields=["active"])
        return existing, True
    row = model.objects.create(
        jurisdiction=jurisdiction,
        version=version,
        text=text,
        source=source[: model._meta.get_field("source").max_length],
        loaded_at=timezone.now(),
        loaded_by=user if getattr(user, "is_authenticated", False) else None,
        active=True,
        **{key_field: key},
    )
    return row, False
