"""Multi-factor authentication (CJIS): TOTP through django-otp."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from divert.audit.services import audit_record
from divert.audit.signals import record_mfa_failure
from divert.staff.forms import StaffLoginForm, TokenForm
from divert.staff.models import User

# Pages a user who must still set up MFA can reach.
_OPEN_PATHS = ("/account/mfa/", "/logout/", "/login/", "/static/", "/healthz")


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    authentication_form = StaffLoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["lockout_failures"] = settings.AXES_FAILURE_LIMIT
        context["lockout_minutes"] = round(settings.AXES_COOLOFF_TIME * 60)
        context["idle_minutes"] = settings.SESSION_COOKIE_AGE // 60
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        device = getattr(form.get_user(), "otp_device", None)
        if device is not None:
            otp_login(self.request, device)
        return response


def _has_device(user) -> bool:
    return any(devices_for_user(user, confirmed=True))


def _refuse_second_pairing(user) -> None:
    """Someone who has an authenticator must prove it before pairing another (a session that
    only knows the password could otherwise pair its own and pass as verified)."""
    if not user.is_verified() and _has_device(user):
        audit_record(action="mfa_enrolled", kind="staff", object_id=user.pk, outcome="denied")
        raise PermissionDenied("log in with your authenticator before pairing another")


@login_required
def mfa_setup(request):
    """Pair an authenticator app: show the key, then confirm with one code from it."""
    _refuse_second_pairing(request.user)
    device, _ = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "authenticator"}
    )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            with transaction.atomic():
                # One pairing at a time per account: two sessions cannot both pair a first one.
                User.objects.select_for_update().filter(pk=request.user.pk).exists()
                _refuse_second_pairing(request.user)
                device.confirmed = True
                device.save()
            otp_login(request, device)
            audit_record(
                action="mfa_enrolled", kind="staff", object_id=request.user.pk, outcome="success"
            )
            return redirect("home")
        record_mfa_failure(request.user, step="pairing", reason="invalid_token")
        form.add_error(
            "token", "That code did not match. Check the time on your phone and try again."
        )
    return render(
        request,
        "web/mfa_setup.html",
        {
            "form": form,
            "key": device.bin_key.hex(),
            "base32": _base32(device),
            "url": device.config_url,
        },
    )


def _base32(device: TOTPDevice) -> str:
    import base64

    return base64.b32encode(device.bin_key).decode().rstrip("=")


class MfaMiddleware:
    """Enforce the second factor server-side for pages and the API alike.

    A user with an authenticator must have used it this session; with DIVERT_REQUIRE_MFA,
    a user without one is sent to set one up before anything else.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(_OPEN_PATHS)
        ):
            has_device = _has_device(user)
            if has_device or request.path.startswith("/api/") and settings.DIVERT_REQUIRE_MFA:
                raise PermissionDenied("multi-factor authentication required")
            if settings.DIVERT_REQUIRE_MFA:
                return redirect("mfa-setup")
        return self.get_response(request)
