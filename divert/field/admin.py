from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from divert.access.admin import PolicyAdmin
from divert.field.models import EligibilityPolicy
from divert.field.policies import policy_load


class PolicyUploadForm(forms.ModelForm):
    class Meta:
        model = EligibilityPolicy
        fields = ["jurisdiction", "text", "source"]


@admin.register(EligibilityPolicy)
class EligibilityPolicyAdmin(PolicyAdmin, admin.ModelAdmin):
    """Load a new policy version by pasting its TOML; stored versions are never edited."""

    list_display = ["policy_id", "version", "jurisdiction", "active", "loaded_at", "loaded_by"]
    list_filter = ["jurisdiction", "active"]
    form = PolicyUploadForm

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_readonly_fields(self, request, obj=None):
        return ["jurisdiction", "policy_id", "version", "text", "source", "active"] if obj else []

    def save_model(self, request, obj, form, change) -> None:
        # policy_load parses, refuses broken files and deactivates the previous version.
        saved = policy_load(
            jurisdiction=obj.jurisdiction, text=obj.text, source=obj.source, user=request.user
        )
        obj.pk = saved.pk

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        def clean(this):
            data = forms.ModelForm.clean(this)
            from divert.eligibility import PolicyError, parse_policy

            try:
                parse_policy(data.get("text", ""), source=data.get("source") or "<policy>")
            except PolicyError as exc:
                raise ValidationError({"text": str(exc)}) from None
            return data

        form.clean = clean
        return form
