from django import forms

from divert.casework.forms import OnceField
from divert.surveys.instrument import RESPONDENTS, SurveyInstrument

DATE = forms.DateInput(attrs={"type": "date"})


class SurveyForm(forms.Form):
    title = forms.CharField(label="Title", max_length=120)
    respondents = forms.ChoiceField(label="Who answers", choices=list(RESPONDENTS.items()))
    instrument = forms.ChoiceField(label="Questions")
    area_id = forms.TypedChoiceField(
        label="Area (optional)", coerce=int, required=False, empty_value=None
    )
    anonymous = forms.BooleanField(
        label="Anonymous: record no one's name (participant surveys may name the participant)",
        required=False,
        initial=True,
    )
    opens_on = forms.DateField(label="Opens", widget=DATE)
    closes_on = forms.DateField(label="Closes (optional)", widget=DATE, required=False)
    client_id = OnceField()

    def __init__(self, *args, instruments: dict[str, SurveyInstrument], areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instrument"].choices = [
            (name, f"{i.title} (version {i.version})") for name, i in instruments.items()
        ]
        self.fields["area_id"].choices = [("", "The whole site")] + [(a.pk, a.name) for a in areas]


class AnswerForm(forms.Form):
    """One radio group per question the respondents are asked; every question may be skipped."""

    client_id = OnceField()

    def __init__(self, *args, instrument: SurveyInstrument, respondents: str, **kwargs):
        super().__init__(*args, **kwargs)
        scale = [(str(n), label) for n, label in enumerate(instrument.scale, start=1)]
        for item in instrument.items_for(respondents):
            self.fields[item.key] = forms.ChoiceField(
                label=item.text, choices=scale, required=False, widget=forms.RadioSelect
            )

    def answers(self) -> dict[str, str | None]:
        return {k: (v or None) for k, v in self.cleaned_data.items() if k != "client_id"}


class EnterForm(AnswerForm):
    """Staff entering a response; a named survey asks whose it is first."""

    def __init__(self, *args, enrollments=None, **kwargs):
        super().__init__(*args, **kwargs)
        if enrollments is not None:
            self.fields["enrollment_id"] = forms.TypedChoiceField(
                label="Participant",
                coerce=int,
                choices=[("", "— choose —")]
                + [(e.pk, f"{e.person} (enrollment {e.pk})") for e in enrollments],
            )
            self.order_fields(["enrollment_id"])

    def answers(self) -> dict[str, str | None]:
        out = super().answers()
        out.pop("enrollment_id", None)
        return out
