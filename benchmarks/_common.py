"""Shared pieces for the benchmarks: Django set-up against benchmarks/out/, a site, cases, stats.

Django is configured here through the environment only (no settings module of our own), so
the benchmarks run the real settings: DEBUG off, SQLite in IMMEDIATE mode, every middleware.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import resource
import secrets
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "benchmarks" / "out"
POLICY = REPO / "policies" / "seattle-2011.toml"


def configure(db: Path, *, var_dir: Path | None = None) -> dict[str, str]:
    """Environment for the real settings against `db`; applied to os.environ and returned."""
    var_dir = var_dir or OUT / "var"
    (var_dir / "static").mkdir(parents=True, exist_ok=True)
    env = {
        "DJANGO_SETTINGS_MODULE": "divert.settings",
        "DATABASE_URL": f"sqlite:///{db}",
        "DIVERT_VAR_DIR": str(var_dir),
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "LOG_LEVEL": "WARNING",
    }
    os.environ.pop("DIVERT_TESTING", None)
    os.environ.update(env)
    return env


def django_setup(db: Path) -> None:
    configure(db)
    import django

    django.setup()


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def make_site(name: str = "Bench County") -> dict:
    """One jurisdiction, a police department and an officer, and the Seattle 2011 policy."""
    from divert.field.policies import policy_load
    from divert.jurisdictions.models import Jurisdiction, Organization
    from divert.staff.models import User

    site = Jurisdiction.objects.create(name=name, slug=name.lower().replace(" ", "-"))
    police = Organization.objects.create(jurisdiction=site, name=f"{name} PD", kind="police")
    officer = User.objects.create_user(
        username="bench-officer",
        password=secrets.token_urlsafe(16),
        first_name="Bench",
        last_name="Officer",
        organization=police,
        roles=["officer"],
    )
    policy_load(jurisdiction=site, text=POLICY.read_text(), source=POLICY.name)
    return {"site": site, "police": police, "officer": officer}


def bench_token(user, name: str) -> str:
    """A bearer token for `user`, as wide as its roles, issued by a bench platform superuser."""
    from divert.staff.models import User
    from divert.staff.services import api_token_issue, token_scopes_for

    issuer = User.objects.filter(username="bench-root").first()
    if issuer is None:
        issuer = User.objects.create_superuser(
            username="bench-root", password=secrets.token_urlsafe(16)
        )
    _, secret = api_token_issue(issuer=issuer, user=user, name=name, scopes=token_scopes_for(user))
    return secret


# What officers screen, roughly as often as they meet it: mostly eligible low-level drug and
# sex-work cases, then over-threshold weights, sales for profit, and cases that are out.
_OFFENSES = [
    (30, [{"nibrs": "35A", "activity": "possess", "drug": "heroin", "grams": 0.4}]),
    (15, [{"nibrs": "35A", "activity": "possess", "drug": "methamphetamine", "grams": 1.2}]),
    (8, [{"nibrs": "35A", "activity": "possess", "drug": "fentanyl", "grams": 6.0}]),
    (8, [{"nibrs": "35A", "activity": "subsistence_sale", "drug": "crack", "grams": 0.8}]),
    (5, [{"nibrs": "35A", "activity": "sale_for_profit", "drug": "cocaine", "grams": 14.0}]),
    (
        8,
        [
            {"nibrs": "35A", "activity": "possess", "drug": "heroin", "grams": 1.0},
            {"nibrs": "35B", "activity": "possess"},
        ],
    ),
    (12, [{"nibrs": "40A", "activity": "solicit"}]),
    (6, [{"nibrs": "23C", "activity": "other"}]),
    (4, [{"nibrs": "13B", "activity": "other"}]),
    (4, [{"nibrs": "90C", "activity": "other"}]),
]
_FLAGS = [(85, []), (5, ["on_probation"]), (4, ["no_contact_order"]), (3, ["open_violent_case"])]
_FLAGS += [(3, ["on_parole", "school_zone"])]
_HISTORY = [
    (80, []),
    (12, [{"nibrs": "35A", "disposition": "convicted", "date": "2019-06-01"}]),
    (8, [{"nibrs": "120", "disposition": "convicted", "date": "2015-02-11"}]),
]


def _pick(rng: random.Random, table: list) -> list:
    return rng.choices([v for _, v in table], weights=[w for w, _ in table])[0]


def random_case(rng: random.Random, *, dob: str | None, today: dt.date | None = None) -> dict:
    """A case as POST /api/v1/screen takes it. With dob None the person's record fills it."""
    today = today or dt.date.today()
    case = {
        "date": today.isoformat(),
        "area": rng.choice(["West", "East", "North", "South"]),
        "person": {"date_of_birth": dob} if dob else {},
        "offenses": [dict(o) for o in _pick(rng, _OFFENSES)],
    }
    if flags := _pick(rng, _FLAGS):
        case["flags"] = list(flags)
    if history := _pick(rng, _HISTORY):
        case["history"] = [dict(h) for h in history]
    return case


def percentiles(samples: list[float]) -> dict[str, float]:
    """p50/p95/p99/max (nearest-rank) and mean of `samples`, in their own unit."""
    if not samples:
        return {"n": 0, "mean": 0.0, "p50": 0.0, "p95": 0.0, "p99": 0.0, "max": 0.0}
    s = sorted(samples)
    n = len(s)

    def rank(q: float) -> float:
        return s[min(n - 1, max(0, int(-(-q * n // 1)) - 1))]

    return {
        "n": n,
        "mean": sum(s) / n,
        "p50": rank(0.50),
        "p95": rank(0.95),
        "p99": rank(0.99),
        "max": s[-1],
    }


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    # ru_maxrss is kilobytes on Linux (bytes on macOS).
    scale = 1 / 1024 / 1024 if sys.platform == "darwin" else 1 / 1024
    return resource.getrusage(who).ru_maxrss * scale
