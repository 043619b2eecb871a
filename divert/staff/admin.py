import secrets

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm
from simple_history.admin import SimpleHistoryAdmin

from divert.access.admin import PolicyAdmin
from divert.access.kinds import Kind
from divert.staff.models import ApiToken, User
from divert.staff.roles import Role


class StaffChangeForm(UserChangeForm):
    roles = forms.MultipleChoiceField(
        choices=[(r.value, r.label) for r in Role],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta(UserChangeForm.Meta):
        model = User


@admin.register(User)
class UserAdmin(PolicyAdmin, SimpleHistoryAdmin, BaseUserAdmin):
    policy_kind = Kind.STAFF

    form = StaffChangeForm
    list_display = ["username", "first_name", "last_name", "organization", "role_list", "is_active"]
    list_filter = ["organization__jurisdiction", "organization", "is_active"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        ("LEAD", {"fields": ["organization", "roles", "phone", "badge", "on_call"]}),
    ]

    @admin.display(description="roles")
    def role_list(self, obj: User) -> str:
        return ", ".join(obj.roles)


@admin.register(ApiToken)
class ApiTokenAdmin(PolicyAdmin, admin.ModelAdmin):
    """Tokens are for other systems. The token is shown once, when it is issued."""

    policy_kind = Kind.STAFF

    list_display = ["name", "user", "created", "last_used"]
    fields = ["user", "name"]
    readonly_fields = ["created", "last_used"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        token = secrets.token_urlsafe(32)
        obj.digest = ApiToken.hash(token)
        super().save_model(request, obj, form, change)
        messages.warning(
            request,
            f"Token for {obj.user}: {token} — copy it now; it is not shown again.",
        )
