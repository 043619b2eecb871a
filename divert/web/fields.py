"""Form fields shared by the pages."""

from django import forms
from django.core.exceptions import ValidationError

from divert.apitypes import INT64


class RecordsChoiceField(forms.ModelMultipleChoiceField):
    """A choice of several records, refusing an id no database column can hold.

    Django's `__in` lookup passes such a number to the database, where SQLite raises
    OverflowError instead of finding nothing; one id alone is already refused by Django.
    """

    def _check_values(self, value):
        for pk in value or ():
            try:
                fits = int(pk) in INT64
            except (TypeError, ValueError):
                continue  # not a number: Django refuses it with its own message
            if not fits:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)
