from django import forms
from django.conf import settings

from divert.casework.forms import OnceField

DATE = forms.DateInput(attrs={"type": "date"})


class SpendForm(forms.Form):
    category = forms.ChoiceField(label="Category")
    amount = forms.DecimalField(label="Amount", max_digits=10, decimal_places=2)
    vendor = forms.CharField(label="Vendor", max_length=120)
    spent_on = forms.DateField(label="Date", widget=DATE)
    purpose = forms.CharField(label="What for", max_length=200, required=False)
    receipt = forms.FileField(
        label="Receipt photo (JPEG, PNG or WebP)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    client_id = OnceField()

    def __init__(self, *args, categories: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        limit = settings.DIVERT_UPLOAD_MAX_MB
        self.fields["receipt"].label = f"Receipt photo (JPEG, PNG or WebP, up to {limit} MB)"
        # Unknown codes are refused by the service, naming the field: offer the known ones.
        self.fields["category"] = forms.CharField(
            label="Category",
            max_length=40,
            widget=forms.Select(choices=[("", "— choose —"), *categories]),
        )

    def clean_receipt(self):
        # Checked by the service, as the API's receipts are: content, size and emptiness.
        return self.cleaned_data.get("receipt") or None


class BudgetForm(forms.Form):
    category = forms.SlugField(label="Category code", max_length=40)
    label = forms.CharField(label="Name", max_length=80)
    starts_on = forms.DateField(label="From", widget=DATE)
    ends_on = forms.DateField(label="To", widget=DATE)
    amount = forms.DecimalField(label="Amount", max_digits=10, decimal_places=2)


class RulesForm(forms.Form):
    # Text, so a non-number reaches the service and is refused there, naming the field.
    approval_over = forms.CharField(
        label="A supervisor approves spends over",
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
