"""Forms for the imports pages. The import service does the checking; forms only parse."""

from django import forms

from divert.records.fields import KINDS
from divert.records.runs import shipped_mappings

KIND_LABELS = {
    "arrest": "Arrests",
    "booking": "Bookings",
    "charge": "Charges",
    "disposition": "Dispositions",
    "jail_stay": "Jail stays",
}


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="What the file holds", choices=[(k, KIND_LABELS[k]) for k in KINDS]
    )
    file = forms.FileField(label="Export file (.csv, .xlsx or .parquet)")
    mapping_name = forms.ChoiceField(label="Mapping", required=False)
    mapping_file = forms.FileField(label="…or your own mapping file (.toml)", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "— upload a mapping file below —")]
        choices += [(name, name) for name in shipped_mappings()]
        self.fields["mapping_name"].choices = choices

    def clean(self):
        data = super().clean()
        if not data.get("mapping_name") and not data.get("mapping_file"):
            self.add_error("mapping_name", "Choose a mapping or upload one.")
        return data


class DiscardForm(forms.Form):
    reason = forms.CharField(label="Why discard this row", min_length=3, max_length=300)


def row_form(columns: list[str], data=None, initial: dict | None = None) -> forms.Form:
    """One text box per column of the file, labelled with the column's name."""
    fields = {
        f"c{i}": forms.CharField(label=column, required=False, max_length=1000, strip=False)
        for i, column in enumerate(columns)
    }
    form_class = type("RowForm", (forms.Form,), fields)
    values = {f"c{i}": (initial or {}).get(column) or "" for i, column in enumerate(columns)}
    return form_class(data, initial=values)


def row_values(form: forms.Form, columns: list[str]) -> dict[str, str | None]:
    return {column: form.cleaned_data.get(f"c{i}") or None for i, column in enumerate(columns)}
