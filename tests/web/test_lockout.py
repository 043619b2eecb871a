"""Lockout per username and address (CJIS: five failures) and per address across usernames."""

from django.test import Client

from divert.staff.roles import Role

PASSWORD = "pw-for-tests-only"


def _fail(client, username: str) -> None:
    client.post("/login/", {"username": username, "password": "Spring2026!"})


def _logs_in(client, user) -> bool:
    response = client.post("/login/", {"username": user.username, "password": PASSWORD})
    return response.status_code == 302


def test_one_password_sprayed_over_31_usernames_locks_the_address(site, settings):
    settings.DIVERT_LOCKOUT_ADDRESS_FAILURES = 30
    sprayer = Client(REMOTE_ADDR="198.51.100.7")
    for n in range(30):
        _fail(sprayer, f"user{n}")
    response = sprayer.post("/login/", {"username": "user30", "password": "Spring2026!"})
    assert b"Account locked" in response.content
    # Even a right password is refused from that address now; another address is not locked.
    assert not _logs_in(sprayer, site["users"][Role.OFFICER])
    assert _logs_in(Client(REMOTE_ADDR="203.0.113.9"), site["users"][Role.OFFICER])


def test_a_busy_shared_address_below_the_limit_is_not_locked(site, settings):
    settings.DIVERT_LOCKOUT_ADDRESS_FAILURES = 30
    precinct = Client(REMOTE_ADDR="198.51.100.8")
    for n in range(7):
        for _ in range(4):  # each officer mistypes four times: nobody reaches five
            _fail(precinct, f"officer{n}")
    assert _logs_in(precinct, site["users"][Role.OFFICER])


def test_logging_into_ones_own_account_does_not_wipe_the_address_count(site, settings):
    settings.DIVERT_LOCKOUT_ADDRESS_FAILURES = 30
    sprayer = Client(REMOTE_ADDR="198.51.100.9")
    for n in range(29):
        _fail(sprayer, f"user{n}")
    assert _logs_in(sprayer, site["users"][Role.PARTNER])  # the attacker's own account
    sprayer.post("/logout/")
    _fail(sprayer, "user29")
    assert not _logs_in(sprayer, site["users"][Role.OFFICER])


def test_five_failures_still_lock_one_account_at_one_address(site):
    client = Client(REMOTE_ADDR="198.51.100.10")
    user = site["users"][Role.CASE_MANAGER]
    for _ in range(5):
        _fail(client, user.username)
    assert not _logs_in(client, user)
    assert _logs_in(client, site["users"][Role.OFFICER])  # the address is not locked for others
