from django import forms

from divert.eligibility.vocabulary import FLAGS
from divert.field.diversion import CLOSING_OUTCOMES
from divert.jurisdictions.models import Area
from divert.nibrs import ACTIVITIES, DRUGS, OFFENSES

# The codes an officer screens most, first; the rest of the vocabulary after.
_COMMON = ["35A", "35B", "40A", "40B", "40C", "90Z"]
NIBRS_CHOICES = [(c, f"{c} {OFFENSES[c].name}") for c in _COMMON] + [
    (c, f"{c} {o.name}") for c, o in OFFENSES.items() if c not in _COMMON
]
FLAG_LABELS = {
    "no_contact_order": "No-contact order in force",
    "open_violent_case": "Open violent case",
    "open_weapons_case": "Open weapons case",
    "confidential_informant": "Confidential informant",
    "on_probation": "On probation",
    "on_parole": "On parole",
    "sale_to_minor": "Sale to a minor",
    "school_zone": "In a school zone",
    "exploitation_of_minor": "Exploitation of a minor",
    "exploitation_of_adult": "Exploitation of another adult",
    "restraining_order": "Restraining order in force",
    "anti_harassment_order": "Anti-harassment order in force",
    "order_protects_participant": "The order protects a current LEAD participant",
    "pending_specialty_court": "Pending case in a specialty court (treatment or mental health)",
}
AMENABLE_CHOICES = [("", "Not recorded"), ("yes", "Yes"), ("no", "No")]


def _label(word: str) -> str:
    return word.replace("_", " ").capitalize()


class SearchForm(forms.Form):
    q = forms.CharField(label="Name or alias", min_length=2, max_length=100)
    dob = forms.DateField(label="Date of birth (if known)", required=False)


class PersonForm(forms.Form):
    first_name = forms.CharField(max_length=100)
    last_name = forms.CharField(max_length=100)
    date_of_birth = forms.DateField(required=False, help_text="YYYY-MM-DD")


class ScreenForm(forms.Form):
    area = forms.ModelChoiceField(queryset=Area.objects.none(), required=False)
    location = forms.CharField(max_length=200, required=False)
    # No offense or activity is preselected: a form sent untouched screens nothing.
    nibrs = forms.ChoiceField(label="Offense", choices=[("", "— choose —"), *NIBRS_CHOICES])
    activity = forms.ChoiceField(
        choices=[("", "— choose —")] + [(a, _label(a)) for a in ACTIVITIES]
    )
    drug = forms.ChoiceField(choices=[("", "—")] + [(d, _label(d)) for d in DRUGS], required=False)
    grams = forms.DecimalField(
        label="Grams", required=False, min_value=0, max_value=1000, decimal_places=3
    )
    value = forms.DecimalField(
        label="Value in dollars (theft, damage)",
        required=False,
        min_value=0,
        max_value=1_000_000,
        decimal_places=2,
    )
    time = forms.TimeField(
        label="Time (for green-light shifts)", required=False, input_formats=["%H:%M"]
    )
    amenable = forms.ChoiceField(
        label="Amenable to diversion?", choices=AMENABLE_CHOICES, required=False
    )
    flags = forms.MultipleChoiceField(
        choices=[(f, FLAG_LABELS[f]) for f in FLAGS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, jurisdiction_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.filter(jurisdiction_id=jurisdiction_id)

    def case(self, on: str) -> dict:
        data = self.cleaned_data
        offense = {"nibrs": data["nibrs"], "activity": data["activity"]}
        if data["drug"]:
            offense["drug"] = data["drug"]
        if data["grams"] is not None:
            offense["grams"] = float(data["grams"])
        if data["value"] is not None:
            offense["value"] = float(data["value"])
        case = {"date": on, "offenses": [offense], "flags": list(data["flags"])}
        if data["area"]:
            case["area"] = data["area"].name
        if data["time"] is not None:
            case["time"] = data["time"].strftime("%H:%M")
        if data["amenable"]:
            case["amenable"] = data["amenable"] == "yes"
        return case


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=[(o.value, o.label) for o in CLOSING_OUTCOMES], widget=forms.RadioSelect
    )
    reason = forms.CharField(max_length=300, widget=forms.TextInput)


class CommunityReferralForm(forms.Form):
    # Made when the form is shown; a second submit of the same form is the same referral.
    request_id = forms.CharField(max_length=64, required=False, widget=forms.HiddenInput)
    first_name = forms.CharField(max_length=100)
    last_name = forms.CharField(max_length=100)
    date_of_birth = forms.DateField(required=False)
    note = forms.CharField(
        max_length=500,
        required=False,
        label="How to reach them",
        help_text="Where they can usually be found. No health details: a case manager asks.",
    )
