"""Security headers: CSP without inline script, HSTS outside the demo, no-store, API docs."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from divert.staff.roles import Role

DIVERT = Path(__file__).resolve().parents[2] / "divert"
TEMPLATES = sorted(DIVERT.rglob("templates/**/*.html"))


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {name: values for name, *values in (d.split() for d in header.split(";") if d.strip())}


def test_pages_carry_a_policy_without_inline_script_or_eval(client, site):
    client.force_login(site["users"][Role.OFFICER])
    policy = _policy(client.get("/field/lookup/"))
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert not any("unsafe" in v for values in policy.values() for v in values)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(DIVERT)))
def test_no_template_has_inline_script_or_handlers(template):
    html = template.read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script>"
    assert not re.search(r"\son[a-z]+\s*=", html), "inline event handler"
    assert not re.search(r"\bhx-on", html), "htmx inline handler"
    assert "javascript:" not in html
    assert not re.search(r"\sstyle\s*=", html), "inline style"


def test_htmx_is_told_to_keep_to_the_policy(client, db):
    html = client.get("/login/").content.decode()
    assert '"includeIndicatorStyles": false, "allowEval": false' in html


@pytest.mark.parametrize(
    "path",
    ["/inbox/", "/casework/", "/api/v1/people/{person}", "/api/v1/casework/enrollments", "/admin/"],
)
def test_pages_and_api_responses_are_not_stored(client, site, participant, path):
    from divert.staff.services import staff_roles_set

    admin = site["users"][Role.CASE_MANAGER]
    staff_roles_set(actor=None, user=admin, roles=["case_manager", "administrator"])
    admin.is_staff = True
    admin.save()
    client.force_login(admin)
    response = client.get(path.format(person=participant["person"].pk))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_refusals_are_not_stored_either(client, site, participant):
    client.force_login(site["users"][Role.OFFICER])
    response = client.get(f"/api/v1/casework/enrollments/{participant['enrollment'].pk}/notes")
    assert response.status_code == 403 and "no-store" in response["Cache-Control"]


def test_static_files_may_be_cached(client, db):
    response = client.get("/static/web/divert.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_hsts_over_https(client, db):
    response = client.get("/login/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000"


def _setting(name: str, **env: str) -> str:
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("DEBUG", "DIVERT_HSTS"))
    }
    environment.update(env, DJANGO_SETTINGS_MODULE="divert.settings")
    code = f"from divert import settings; print(settings.{name})"
    return subprocess.run(  # noqa: S603 - fixed argv
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    ).stdout.strip()


def test_no_hsts_in_the_demo_and_a_year_outside_it():
    assert _setting("SECURE_HSTS_SECONDS", DEBUG="1") == "0"
    assert _setting("SECURE_HSTS_SECONDS", SECRET_KEY="x" * 50) == "31536000"


def test_the_api_docs_are_not_for_anonymous_users(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/api/v1/docs")


def test_the_api_docs_load_swagger_from_local_files(client, site):
    client.force_login(site["users"][Role.CASE_MANAGER])
    html = client.get("/api/v1/docs").content.decode()
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', html)
    styles = re.findall(r'<link[^>]*href="([^"]+)"', html)
    assert "/static/ninja/swagger-ui-bundle.js" in scripts
    for url in scripts + styles:
        assert url.startswith("/static/"), url
        assert client.get(url).status_code == 200, url
    assert "cdn" not in html.lower()
