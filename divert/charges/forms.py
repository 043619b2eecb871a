"""Forms for the prosecutor's and the defender's pages. They parse; the services decide."""

from django import forms

from divert.casework.forms import OnceField
from divert.charges.models import ChargeHold, LegalMatter
from divert.charges.selectors import QUEUE_FILTERS


class QueueFilterForm(forms.Form):
    show = forms.ChoiceField(
        label="Show",
        choices=[(key, label) for key, (label, _) in QUEUE_FILTERS.items()],
        required=False,
    )
    q = forms.CharField(label="Name", max_length=100, required=False)
    page = forms.IntegerField(min_value=1, max_value=100_000, required=False)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[
            (ChargeHold.Status.FILED, "File the charge"),
            (ChargeHold.Status.DECLINED, "Decline to file"),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Reason",
        max_length=ChargeHold._meta.get_field("decision_reason").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm = forms.BooleanField(
        label="I confirm this decision; it cannot be undone on this page",
        error_messages={"required": "Tick the box to confirm the decision."},
    )


class LegalMatterForm(forms.Form):
    kind = forms.ChoiceField(label="What", choices=LegalMatter.Kind.choices)
    summary = forms.CharField(label="Charge or warrant, in short", max_length=200)
    court = forms.CharField(label="Court and case number", max_length=120, required=False)
    next_date = forms.DateField(
        label="Next court date", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    client_id = OnceField()


class PositionForm(forms.Form):
    position = forms.ChoiceField(
        label="Your position", choices=LegalMatter.Position.choices, required=False
    )
    note = forms.CharField(label="Note", max_length=300, required=False)
