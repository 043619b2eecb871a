"""The demo site: a small synthetic county, loaded as a living program, with one login per role."""

import datetime
import os
import secrets

from divert.paths import BASE_DIR, VAR_DIR

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
    # The platform's own administrator: grants roles and runs every site, reads no case.
    ("platform", "platform", PASSWORD),
]
SCENARIO = BASE_DIR / "scenarios" / "demo.toml"
# Chosen among seeds for a lively "now": all three pathways in the last 90 days, referrals and a
# refusal since the last work-group meeting, intakes pending and a deadline just missed.
SEED = 2
NAME, SLUG = "Cascadia County", "cascadia-county"


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
    from django.db import transaction

    from divert.jurisdictions.models import Jurisdiction
    from divert.seeding import county_load
    from divert.seeding.logins import demo_logins_create
    from divert.synth import load_scenario, small_county

    # By name: demo databases seeded before the synthetic demo used the slug "cascadia".
    if Jurisdiction.objects.filter(name=NAME).exists():
        return False
    county = small_county(seed=SEED, scenario=load_scenario(SCENARIO))
    with transaction.atomic():
        site = county_load(
            county,
            jurisdiction_name=NAME,
            slug=SLUG,
            today=today or datetime.date.today(),
        )
        demo_logins_create(site=site, logins=DEMO_LOGINS)
    return True
