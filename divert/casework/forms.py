"""Forms for the case manager's pages: the plan, goals, steps, contacts and corrections.

They only parse and check the shape of input; the services decide (dates against the
referral, who may correct, conflicts).
"""

import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from divert.casework.corrections import REASON_MAX
from divert.casework.models import CaseNote, Contact, Goal, InterventionPlan
from divert.web.fields import RecordsChoiceField


class CorrectionFields(forms.Form):
    """What every correction carries: the version opened, and why."""

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    reason = forms.CharField(
        label="Why the change",
        max_length=REASON_MAX,
        widget=forms.TextInput(attrs={"placeholder": "e.g. typo, moved into housing"}),
    )


class OnceField(forms.UUIDField):
    """A hidden id made when the form is drawn: the same form sent twice makes one record."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)


class PlanForm(forms.Form):
    summary = forms.CharField(
        label="Summary, in the participant's words",
        max_length=5_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    barriers = forms.CharField(
        label=InterventionPlan._meta.get_field("barriers").verbose_name.capitalize(),
        help_text=InterventionPlan._meta.get_field("barriers").help_text,
        max_length=InterventionPlan._meta.get_field("barriers").max_length,
        required=False,
    )


class PlanCorrectionForm(PlanForm, CorrectionFields):
    pass


class GoalForm(forms.Form):
    domain = forms.ChoiceField(choices=Goal.Domain.choices)
    description = forms.CharField(label="Goal", max_length=500)
    owner = forms.ChoiceField(label="Who does it", choices=Goal.Owner.choices)
    target_on = forms.DateField(
        label="Target date", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    status = forms.ChoiceField(choices=Goal.Status.choices, initial=Goal.Status.OPEN)
    client_id = OnceField()


class GoalCorrectionForm(CorrectionFields):
    domain = forms.ChoiceField(choices=Goal.Domain.choices)
    description = forms.CharField(label="Goal", max_length=500)
    owner = forms.ChoiceField(label="Who does it", choices=Goal.Owner.choices)
    target_on = forms.DateField(
        label="Target date", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    status = forms.ChoiceField(choices=Goal.Status.choices)


class StepForm(forms.Form):
    description = forms.CharField(label="Next step", max_length=300)
    client_id = OnceField()


class ContactForm(forms.Form):
    """One screen on a phone: the fields in the order a case manager thinks of them."""

    occurred_at = forms.DateTimeField(
        label="When",
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    place = forms.ChoiceField(label="Where", choices=Contact.Place.choices)
    kind = forms.ChoiceField(label="How", choices=Contact.Kind.choices, widget=forms.RadioSelect)
    minutes = forms.IntegerField(
        label="Minutes",
        min_value=0,
        max_value=24 * 60,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    present = forms.CharField(label="Who was present", max_length=200, required=False)
    note = forms.CharField(
        label="Short note",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    client_id = OnceField()


class ContactCorrectionForm(CorrectionFields, ContactForm):
    client_id = None


class NoteForm(forms.Form):
    topic = forms.ChoiceField(choices=CaseNote.Topic.choices, initial=CaseNote.Topic.GENERAL)
    text = forms.CharField(
        label="Note", max_length=20_000, widget=forms.Textarea(attrs={"rows": 5})
    )
    client_id = OnceField()


class NoteCorrectionForm(CorrectionFields):
    topic = forms.ChoiceField(choices=CaseNote.Topic.choices)
    text = forms.CharField(max_length=20_000, widget=forms.Textarea(attrs={"rows": 6}))


def fresh_id() -> str:
    return str(uuid.uuid4())


def errors_onto(form: forms.Form, exc: ValidationError) -> None:
    """A service's refusal, shown on the form's field it names (or above the form)."""
    for field, messages in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


def reopened(form_class: type[forms.Form], posted: Any, record: Any, prefix: str | None = None):
    """The editor's own values again, over the version now saved: they may save once more."""
    data = posted.copy()
    data[f"{prefix}-version" if prefix else "version"] = str(record.version)
    return form_class(data, prefix=prefix)


class ReleaseForm(forms.Form):
    """Every element of a §2.31 release, in the order the participant hears them read."""

    discloser = forms.ModelChoiceField(queryset=None, label="Who discloses", empty_label=None)
    shares = forms.MultipleChoiceField(
        label="What may be shared", choices=(), widget=forms.CheckboxSelectMultiple
    )
    recipients = RecordsChoiceField(
        queryset=None,
        label="To whom: organizations",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    recipient_class = forms.CharField(
        label="Or a class of recipients",
        max_length=200,
        required=False,
        help_text=(
            'divert discloses to "Service providers in the services directory" (or "Housing '
            'providers in the services directory", by need); other words name no one in divert.'
        ),
        widget=forms.TextInput(
            attrs={"placeholder": "e.g. Service providers in the services directory"}
        ),
    )
    purpose = forms.CharField(
        max_length=300,
        widget=forms.TextInput(attrs={"placeholder": "e.g. coordinate my case with the court"}),
    )
    signed_on = forms.DateField(label="Signed on", widget=forms.DateInput(attrs={"type": "date"}))
    expires_on = forms.DateField(
        label="Expires on", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    expires_upon = forms.CharField(
        label="Or expires upon (event)",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "e.g. when I leave LEAD"}),
    )
    revocation = forms.CharField(
        label="How to revoke", max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    signed_name = forms.CharField(label="Name as signed", max_length=200)
    signature_png = forms.CharField(required=False, widget=forms.HiddenInput)
    verbal_witness = forms.CharField(
        label="Verbal consent: witness's name",
        max_length=200,
        required=False,
        help_text="Only when the participant consents aloud instead of signing.",
    )
    scanned_form = forms.FileField(
        label="Scanned paper form (PDF, PNG or JPEG)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/png,image/jpeg"}),
    )
    client_id = OnceField()

    def __init__(self, *args, disclosers=None, recipients=None, share_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["discloser"].queryset = disclosers
        self.fields["recipients"].queryset = recipients
        self.fields["shares"].choices = share_choices


class RevokeForm(forms.Form):
    revoked_on = forms.DateField(label="Revoked on", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label="Reason (optional)", max_length=300, required=False)


class ScanForm(forms.Form):
    scanned_form = forms.FileField(
        label="Scanned paper form (PDF, PNG or JPEG)",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/png,image/jpeg"}),
    )
