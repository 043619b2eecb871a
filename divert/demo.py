"""The demo site: a small fictional county with one login per role."""

import datetime
import os
import secrets

from divert.paths import VAR_DIR

PASSWORD = "divert-demo"  # noqa: S105  (printed for the demo on purpose)

# (role, username, password). Printed by `divert demo`; never use these outside a demo.
DEMO_LOGINS = [
    ("officer", "officer", PASSWORD),
    ("case_manager", "casemanager", PASSWORD),
    ("supervisor", "supervisor", PASSWORD),
    ("prosecutor", "prosecutor", PASSWORD),
    ("defender", "defender", PASSWORD),
    ("program_manager", "programmanager", PASSWORD),
    ("evaluator", "evaluator", PASSWORD),
    ("administrator", "admin", PASSWORD),
    ("partner", "partner", PASSWORD),
]


def prepare_environment() -> None:
    """Keep a generated SECRET_KEY under var/ and turn DEBUG on, for the demo only."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    os.environ.setdefault("DEBUG", "1")


def demo_seed(today: datetime.date | None = None) -> bool:
    """Seed the demo site unless it exists. Returns whether anything was created."""
    from divert.demo_site import build_site
    from divert.jurisdictions.models import Jurisdiction

    if Jurisdiction.objects.filter(slug="cascadia").exists():
        return False
    build_site(today or datetime.date.today())
    return True
