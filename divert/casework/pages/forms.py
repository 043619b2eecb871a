"""Forms for the case manager's status pages. Services do the checking; forms only parse."""

from django import forms

from divert.casework import lifecycle
from divert.casework.services import STATUS_REASON_MAX


class DayInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class IntakeForm(forms.Form):
    on = forms.DateField(label="Intake date", widget=DayInput())


class MoveForm(forms.Form):
    to_status = forms.ChoiceField(
        label="New status",
        choices=[(lifecycle.ACTIVE, "Active"), (lifecycle.INACTIVE, "Inactive")],
    )
    on = forms.DateField(label="Date", widget=DayInput())
    reason = forms.CharField(label="Why (optional)", required=False, max_length=STATUS_REASON_MAX)


class ExitForm(forms.Form):
    reason = forms.ChoiceField(label="Reason for exit")
    on = forms.DateField(label="Exit date", widget=DayInput())

    def __init__(self, *args, reasons: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = [("", "— choose —"), *reasons.items()]


class UndoForm(forms.Form):
    reason = forms.CharField(label="Why the last move was a mistake", max_length=STATUS_REASON_MAX)


class ReengageForm(forms.Form):
    on = forms.DateField(label="Date they came back", widget=DayInput())
    case_manager_id = forms.TypedChoiceField(
        label="Case manager", coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, managers: list | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if managers:
            self.fields["case_manager_id"].choices = [
                (m.pk, m.get_full_name() or m.username) for m in managers
            ]
        else:
            del self.fields["case_manager_id"]
