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


def _log_in(client, user, **extra) -> None:
    response = client.post("/login/", {"username": user.username, "password": PASSWORD, **extra})
    assert response.status_code == 302


def test_a_session_opened_before_pairing_cannot_pair_its_own_authenticator(site):
    from django.test import Client

    from divert.audit.models import AuditEntry

    user = site["users"][Role.OFFICER]
    old_session, phone_owner = Client(), Client()
    _log_in(old_session, user)  # password only: nothing paired yet
    _log_in(phone_owner, user)
    phone_owner.get("/account/mfa/")
    paired = TOTPDevice.objects.get(user=user)
    assert phone_owner.post("/account/mfa/", {"token": _code(paired)}).status_code == 302

    assert old_session.get("/casework/").status_code == 403
    assert old_session.get("/account/mfa/").status_code == 403
    assert old_session.post("/account/mfa/", {"token": "123456"}).status_code == 403
    assert TOTPDevice.objects.filter(user=user).count() == 1
    assert old_session.get("/field/lookup/").status_code == 403
    refusals = AuditEntry.objects.filter(action="mfa_enrolled", outcome="denied")
    assert list(refusals.values_list("actor", "kind")) == [(user.username, "staff")] * 2


def test_a_pairing_that_loses_the_race_to_another_session_is_refused(client, site, monkeypatch):
    user = site["users"][Role.OFFICER]
    _log_in(client, user)
    client.get("/account/mfa/")
    mine = TOTPDevice.objects.get(user=user)

    def the_other_session_pairs_first(self, token):
        TOTPDevice.objects.create(user=user, name="other phone", confirmed=True)
        return True

    monkeypatch.setattr(TOTPDevice, "verify_token", the_other_session_pairs_first)
    assert client.post("/account/mfa/", {"token": "123456"}).status_code == 403
    mine.refresh_from_db()
    assert not mine.confirmed
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1


def test_a_session_verified_with_its_authenticator_may_pair_a_replacement(client, site, device):
    user = site["users"][Role.CASE_MANAGER]
    _log_in(client, user, otp_token=_code(device))
    assert client.get("/account/mfa/").status_code == 200
    new = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.post("/account/mfa/", {"token": _code(new)}).status_code == 302
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 2
