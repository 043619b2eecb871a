"""Every API operation, fuzzed by schemathesis from the OpenAPI document: never a 5xx.

The requests go straight into the WSGI application in this thread, so they share the test's
transaction: the personas and the participant they see are the ones the fixtures made.
Each generated case is sent twice: as generated (mostly unknown ids, so 404s and 422s), and
with every id it carries swapped for one that exists, so bodies reach the services too.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from divert.field import diversion
from divert.field.policies import policy_load
from divert.jurisdictions.models import Area
from divert.staff.roles import Role
from tests.api.casework_ids import casework_ids
from tests.conftest import local_today, token_for
from tests.field.conftest import POLICIES

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
# The coverage phase doubles the run time (about 80 s on PostgreSQL) and found nothing more.
schema.config.phases.update(phases=["examples", "fuzzing"])
schema.config.generation.update(
    max_examples=15, deterministic=True, no_shrink=True, database="none"
)


@pytest.fixture
def wsgi_requests_keep_the_test_connection():
    """Django closes "old" connections around each request; here that is the test's own."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# Every role: the two that write most run by default, the rest with the slow checks (CI).
ROLES = [
    pytest.param(role, marks=() if role in (Role.CASE_MANAGER, Role.OFFICER) else pytest.mark.slow)
    for role in Role
]


@pytest.fixture(params=ROLES, ids=lambda role: role.value)
def caller(request, site, participant, wsgi_requests_keep_the_test_connection):
    """A bearer token for one role, with the Seattle policy loaded and real ids to aim at."""
    policy_load(
        jurisdiction=site["site"],
        text=(POLICIES / "seattle-2011.toml").read_text(),
        source="seattle-2011.toml",
    )
    area = Area.objects.create(jurisdiction=site["site"], name="West")
    officer = site["users"][Role.OFFICER]
    screening = diversion.screening_run(
        user=officer,
        case={
            "date": local_today().isoformat(),
            "offenses": [{"nibrs": "35A", "activity": "possess", "drug": "heroin", "grams": 2.5}],
        },
        person=participant["person"],
    )
    token = token_for(site["users"][request.param], name="schemathesis")
    return {
        "role": request.param,
        "headers": {"Authorization": f"Bearer {token}"},
        "ids": {
            "person_id": participant["person"].pk,
            "enrollment_id": participant["enrollment"].pk,
            "referral_id": participant["referral"].pk,
            "encounter_id": participant["encounter"].pk,
            "hold_id": participant["hold"].pk,
            "screening_id": screening.pk,
            "area_id": area.pk,
            **casework_ids(site, participant),
        },
    }


def _aim_at_real_records(case, ids: dict) -> bool:
    """Swap every id the case carries (path, query, top-level body) for an existing one."""
    changed = False
    for part in ("path_parameters", "query"):
        values = getattr(case, part)
        if values:
            for name in set(values) & set(ids):
                values[name] = ids[name]
                changed = True
    if isinstance(case.body, dict):
        for name in set(case.body) & set(ids):
            if case.body[name] is not None:
                case.body[name] = ids[name]
                changed = True
    return changed


def send(case, caller) -> None:
    case.call_and_validate(headers=caller["headers"], checks=[not_a_server_error])


@schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_no_operation_answers_with_a_server_error(case, caller):
    send(case, caller)
    if _aim_at_real_records(case, caller["ids"]):
        send(case, caller)
