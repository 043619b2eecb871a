from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm
from simple_history.admin import SimpleHistoryAdmin

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
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
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
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "created", "last_used"]
    readonly_fields = ["digest", "created", "last_used"]
