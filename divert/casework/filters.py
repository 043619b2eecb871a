"""The caseload filter form: one place that reads and checks the filters from a query string."""

from typing import Any

from django import forms

from divert.casework import lifecycle
from divert.casework.caseload import CaseloadFilter
from divert.casework.models import STATUS_CHOICES
from divert.staff.models import User
from divert.staff.roles import Role

MAX_DAYS = 3650


class CaseloadFilterForm(forms.Form):
    name = forms.CharField(label="Name", required=False, max_length=100)
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any open")] + STATUS_CHOICES
    )
    no_contact_days = forms.IntegerField(
        label="No contact for (days)", required=False, min_value=0, max_value=MAX_DAYS
    )
    due_within_days = forms.IntegerField(
        label="Intake due within (days)", required=False, min_value=0, max_value=MAX_DAYS
    )
    case_manager = forms.ModelChoiceField(
        label="Case manager", required=False, queryset=User.objects.none()
    )
    mine = forms.BooleanField(label="Only mine", required=False)
    exited = forms.BooleanField(label="Include exited", required=False)
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000)

    def __init__(self, *args: Any, user: Any, supervises: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if supervises:
            self.fields["case_manager"].queryset = User.objects.filter(
                organization__jurisdiction_id=user.jurisdiction_id,
                role_grants__role=Role.CASE_MANAGER,
            ).order_by("last_name", "first_name")
        else:
            del self.fields["case_manager"]

    def filters(self) -> CaseloadFilter:
        data = self.cleaned_data
        manager = data.get("case_manager")
        return CaseloadFilter(
            name=data.get("name") or "",
            status=data.get("status") or "",
            no_contact_days=data.get("no_contact_days"),
            due_within_days=data.get("due_within_days"),
            case_manager_id=manager.pk if manager else None,
            mine=bool(data.get("mine")),
            include_exited=bool(data.get("exited")) or data.get("status") == lifecycle.EXITED,
        )
