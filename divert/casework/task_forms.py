"""The task form: what a page accepts, checked field by field before the service runs."""

from typing import Any

from django import forms

from divert.casework.tasks import TITLE_MAX, task_owners


class TaskForm(forms.Form):
    title = forms.CharField(label="What needs doing", max_length=TITLE_MAX)
    due_on = forms.DateField(label="Due", widget=forms.DateInput(attrs={"type": "date"}))
    owner = forms.ModelChoiceField(label="Who", queryset=None, required=False)
    enrollment_id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    request_id = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = task_owners(user=user)
        self.fields["owner"].empty_label = "Me"
