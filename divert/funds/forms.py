from django import forms

from divert.casework.forms import OnceField
from divert.funds.receipts import MAX_BYTES

DATE = forms.DateInput(attrs={"type": "date"})


class SpendForm(forms.Form):
    category = forms.ChoiceField(label="Category")
    amount = forms.DecimalField(label="Amount", max_digits=10, decimal_places=2)
    vendor = forms.CharField(label="Vendor", max_length=120)
    spent_on = forms.DateField(label="Date", widget=DATE)
    purpose = forms.CharField(label="What for", max_length=200, required=False)
    receipt = forms.FileField(
        label="Receipt photo (JPEG, PNG or WebP, up to 5 MB)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    client_id = OnceField()

    def __init__(self, *args, categories: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        # Unknown codes are refused by the service, naming the field: offer the known ones.
        self.fields["category"] = forms.CharField(
            label="Category",
            max_length=40,
            widget=forms.Select(choices=[("", "— choose —"), *categories]),
        )

    def clean_receipt(self):
        upload = self.cleaned_data.get("receipt")
        if upload and upload.size > MAX_BYTES:
            raise forms.ValidationError("A receipt may be at most 5 MB.")
        return upload.read() if upload else None


class BudgetForm(forms.Form):
    category = forms.SlugField(label="Category code", max_length=40)
    label = forms.CharField(label="Name", max_length=80)
    starts_on = forms.DateField(label="From", widget=DATE)
    ends_on = forms.DateField(label="To", widget=DATE)
    amount = forms.DecimalField(label="Amount", max_digits=10, decimal_places=2)
