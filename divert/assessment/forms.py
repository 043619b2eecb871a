"""Forms built from the site's instrument, and the reassessment's short form.

The forms parse what a browser sends; the services check it against the instrument.
"""

from django import forms

from divert.assessment import measures
from divert.assessment.instrument import TEXT_MAX, Instrument, Question
from divert.casework.pages.forms import DayInput

YES_NO = [("yes", "Yes"), ("no", "No")]


def _field(q: Question) -> forms.Field:
    common = {"label": q.text, "required": q.required, "help_text": q.help}
    choices = [(c.key, c.label) for c in q.choices]
    if q.type == "text":
        return forms.CharField(max_length=TEXT_MAX, **common)
    if q.type == "choice":
        return forms.ChoiceField(choices=[("", "—"), *choices], **common)
    if q.type == "multi":
        return forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, **common
        )
    if q.type == "yes_no":
        return forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect, **common)
    if q.type == "number":
        return forms.FloatField(min_value=q.min, max_value=q.max, **common)
    return forms.DateField(widget=DayInput(), **common)


class AssessmentForm(forms.Form):
    taken_on = forms.DateField(label="Date of the assessment", widget=DayInput())

    def __init__(self, *args, instrument: Instrument, **kwargs):
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        for q in instrument.questions:
            self.fields[q.key] = _field(q)

    def sections(self) -> list[dict]:
        """The bound fields, grouped by the instrument's sections, for the template."""
        return [
            {
                "title": section.title,
                "health": any(self.instrument.is_health(q.key) for q in questions),
                "fields": [self[q.key] for q in questions],
            }
            for section in self.instrument.sections
            if (questions := self.instrument.in_section(section.key))
        ]

    def answers(self) -> dict:
        out = {}
        for q in self.instrument.questions:
            value = self.cleaned_data.get(q.key)
            if hasattr(value, "isoformat"):
                value = value.isoformat()
            out[q.key] = value
        return out


class ReassessmentForm(forms.Form):
    taken_on = forms.DateField(label="Date", widget=DayInput())
    housing = forms.ChoiceField(label="Housing", choices=[("", "—"), *measures.HOUSING])
    employment = forms.ChoiceField(label="Work", choices=[("", "—"), *measures.EMPLOYMENT])
    income_benefits = forms.MultipleChoiceField(
        label="Income and benefits",
        choices=measures.INCOME,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
