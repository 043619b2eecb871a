"""/metrics: administrators, and addresses the site allows; nobody else."""

import ipaddress

import pytest
from django.core.exceptions import ImproperlyConfigured

from divert.audit.models import AuditEntry
from divert.settings import envnetworks
from divert.staff.models import User
from divert.staff.roles import Role

SCRAPER = [ipaddress.ip_network("10.20.0.0/16")]


def test_anonymous_is_refused(client, db):
    assert client.get("/metrics").status_code == 403


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMINISTRATOR])
def test_staff_other_than_administrators_are_refused_and_the_refusal_audited(client, site, role):
    user = site["users"][role]
    client.force_login(user)
    assert client.get("/metrics").status_code == 403
    refusal = AuditEntry.objects.filter(actor=user, outcome="denied").get()
    assert (refusal.action, refusal.kind) == ("view", "configuration")


def test_an_administrator_reads_request_and_database_figures(client, site):
    client.force_login(site["users"][Role.CASE_MANAGER])
    client.get("/casework/")
    client.force_login(site["users"][Role.ADMINISTRATOR])
    response = client.get("/metrics")
    assert response.status_code == 200
    text = response.content.decode()
    assert (
        'django_http_requests_latency_seconds_by_view_method_count{method="GET",view="caseload"}'
        in text
    )
    assert "django_http_responses_total_by_status_view_method_total" in text
    assert "django_db_query_duration_seconds_sum" in text
    assert "no-cache" in response["Cache-Control"]


def test_the_platform_administrator_reads_them(client, db):
    root = User.objects.create_superuser("root", "root@example.org", "pw-for-tests-only")
    client.force_login(root)
    assert client.get("/metrics").status_code == 200


def test_an_allowed_address_reads_them_without_logging_in(client, db, settings):
    settings.DIVERT_METRICS_ALLOWED = SCRAPER
    assert client.get("/metrics", REMOTE_ADDR="10.20.3.4").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="10.21.3.4").status_code == 403


def test_behind_the_proxy_the_address_is_the_one_the_proxy_saw(client, db, settings):
    settings.DIVERT_METRICS_ALLOWED = SCRAPER
    settings.DIVERT_BEHIND_PROXY = True
    # The client wrote the first hop itself; the proxy appended the address it saw.
    spoofed = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "10.20.0.1, 203.0.113.9"}
    assert client.get("/metrics", **spoofed).status_code == 403
    real = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "10.20.0.1"}
    assert client.get("/metrics", **real).status_code == 200


def test_allowed_addresses_are_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("M", "10.0.0.5, 192.168.0.0/24,,2001:db8::/32")
    assert [str(n) for n in envnetworks("M")] == ["10.0.0.5/32", "192.168.0.0/24", "2001:db8::/32"]
    monkeypatch.setenv("M", "10.0.0.5,prometheus.internal")
    with pytest.raises(ImproperlyConfigured, match="M must list IP addresses or networks"):
        envnetworks("M")
