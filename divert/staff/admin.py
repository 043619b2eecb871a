from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from simple_history.admin import SimpleHistoryAdmin

from divert.access.admin import PolicyAdmin
from divert.access.kinds import Kind
from divert.staff.models import ApiToken, User
from divert.staff.roles import Role
from divert.staff.services import (
    TOKEN_DAYS_DEFAULT,
    TOKEN_DAYS_MAX,
    api_token_issue,
    api_token_request_check,
    staff_roles_set,
    token_scope_choices,
)

# What only the platform's own administrator may change: these open other people's records
# or other sites. A site's administrator sees them but cannot set them.
PLATFORM_ONLY = ["is_superuser", "is_staff", "groups", "user_permissions"]


class StaffChangeForm(UserChangeForm):
    roles = forms.MultipleChoiceField(
        choices=[(r.value, r.label) for r in Role],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta(UserChangeForm.Meta):
        model = User

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "roles" in self.fields:
            self.fields["roles"].initial = self.instance.roles


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
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["username", "organization", "password1", "password2"],
            },
        )
    ]

    @admin.display(description="roles")
    def role_list(self, obj: User) -> str:
        return ", ".join(obj.roles)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or request.user.is_superuser:
            return fieldsets
        # A site administrator reads the roles but cannot grant them.
        return [
            (
                name,
                {
                    **opts,
                    "fields": ["role_list" if f == "roles" else f for f in opts.get("fields", ())],
                },
            )
            for name, opts in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += [*PLATFORM_ONLY, "role_list"]
            if obj is not None and obj.pk == request.user.pk:
                readonly.append("organization")  # nobody moves themselves to another site
        return readonly

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if "roles" in form.cleaned_data:
            try:
                staff_roles_set(actor=request.user, user=obj, roles=form.cleaned_data["roles"])
            except ValidationError as exc:
                raise PermissionDenied(" ".join(exc.messages)) from None

    def user_change_password(self, request, id, form_url=""):
        # Setting someone else's password is taking over their account.
        if not request.user.is_superuser and str(request.user.pk) != str(id):
            raise PermissionDenied("only a platform superuser sets another person's password")
        return super().user_change_password(request, id, form_url)


class TokenIssueForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        choices=token_scope_choices(),
        widget=forms.CheckboxSelectMultiple,
        help_text="What the other system may do as this account; never more than its roles.",
    )
    days = forms.IntegerField(
        min_value=1,
        max_value=TOKEN_DAYS_MAX,
        initial=TOKEN_DAYS_DEFAULT,
        help_text="The token stops working after this many days.",
    )

    class Meta:
        model = ApiToken
        fields = ["user", "name"]

    def clean(self):
        data = super().clean()
        if data.get("user") and "scopes" in data and "days" in data:
            try:
                api_token_request_check(
                    user=data["user"], name=data["name"], scopes=data["scopes"], days=data["days"]
                )
            except ValidationError as exc:
                for field, messages_ in exc.message_dict.items():
                    self.add_error(field, messages_)
        return data


@admin.register(ApiToken)
class ApiTokenAdmin(PolicyAdmin, admin.ModelAdmin):
    """Tokens are for other systems. The token is shown once, when it is issued."""

    policy_kind = Kind.STAFF

    list_display = ["name", "user", "issued_by", "created", "expires_at", "last_used"]
    form = TokenIssueForm

    def get_readonly_fields(self, request, obj=None):
        return ["created", "last_used", "issued_by", "expires_at", "scopes"] if obj else []

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "name", "scopes", "days"]
        return ["user", "name", "scopes", "issued_by", "created", "expires_at", "last_used"]

    def save_model(self, request, obj, form, change) -> None:
        try:
            token, secret = api_token_issue(
                issuer=request.user,
                user=form.cleaned_data["user"],
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                days=form.cleaned_data["days"],
            )
        except ValidationError as exc:
            raise PermissionDenied(" ".join(exc.messages)) from None
        obj.pk = token.pk
        messages.warning(
            request,
            f"Token for {token.user}: {secret} — copy it now; it is not shown again.",
        )
