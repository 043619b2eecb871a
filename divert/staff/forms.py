from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django_otp import devices_for_user
from django_otp.forms import OTPAuthenticationFormMixin

from divert.audit.signals import record_mfa_failure


class StaffLoginForm(OTPAuthenticationFormMixin, AuthenticationForm):
    """Password, then a one-time code for anyone who has set up an authenticator."""

    otp_device = forms.CharField(required=False, widget=forms.HiddenInput)
    otp_challenge = forms.CharField(required=False, widget=forms.HiddenInput)
    otp_token = forms.CharField(
        required=False,
        label="One-time code (if you have set up an authenticator)",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean(self):
        cleaned = super().clean()
        user = self.get_user()
        devices = list(devices_for_user(user, confirmed=True)) if user is not None else []
        if devices:
            # Staff pair one authenticator; use it unless the form named another of theirs.
            if not self.cleaned_data.get("otp_device"):
                self.cleaned_data["otp_device"] = devices[0].persistent_id
            try:
                self.clean_otp(user)
            except forms.ValidationError as exc:
                record_mfa_failure(user, step="login", reason=exc.code or "not allowed now")
                raise
        return cleaned


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Code from your authenticator app",
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
