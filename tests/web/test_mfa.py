import pytest
from django.test import override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from divert.staff.roles import Role

PASSWORD = "pw-for-tests-only"


@pytest.fixture
def device(site):
    return TOTPDevice.objects.create(
        user=site["users"][Role.CASE_MANAGER], name="phone", confirmed=True
    )


def _code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_a_user_with_an_authenticator_cannot_log_in_without_a_code(client, site, device):
    user = site["users"][Role.CASE_MANAGER]
    response = client.post("/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_user_with_an_authenticator_logs_in_with_a_current_code(client, site, device):
    user = site["users"][Role.CASE_MANAGER]
    response = client.post(
        "/login/", {"username": user.username, "password": PASSWORD, "otp_token": _code(device)}
    )
    assert response.status_code == 302
    assert client.get("/casework/").status_code == 200


def test_a_session_that_skipped_the_second_factor_is_refused(client, site, device):
    client.force_login(site["users"][Role.CASE_MANAGER])
    assert client.get("/casework/").status_code == 403
    assert client.get("/api/v1/me").status_code == 403


def test_the_admin_login_goes_through_the_one_login_page(client):
    response = client.get("/admin/login/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@override_settings(DIVERT_REQUIRE_MFA=True)
def test_when_mfa_is_required_a_user_without_one_is_sent_to_set_it_up(client, site):
    user = site["users"][Role.OFFICER]
    client.force_login(user)
    response = client.get("/field/lookup/")
    assert response.status_code == 302 and response["Location"] == "/account/mfa/"
    assert client.get("/account/mfa/").status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post("/account/mfa/", {"token": _code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/field/lookup/").status_code == 200


def test_a_wrong_code_does_not_pair_the_authenticator(client, site):
    user = site["users"][Role.OFFICER]
    client.force_login(user)
    client.get("/account/mfa/")
    device = TOTPDevice.objects.get(user=user)
    wrong = "000000" if _code(device) != "000000" else "111111"
    response = client.post("/account/mfa/", {"token": wrong})
    assert response.status_code == 200 and b"did not match" in response.content
    device.refresh_from_db()
    assert not device.confirmed
