import datetime

import pytest

from divert.casework.models import Enrollment
from tests.casework.helpers import on_call  # noqa: F401 - a fixture, found by name
from tests.conftest import local_today


@pytest.fixture
def referred(participant) -> Enrollment:
    """The participant's enrollment as a new hand-off three days ago, intake not yet done."""
    enrollment = participant["enrollment"]
    enrollment.status, enrollment.intake_completed_on = "referred", None
    enrollment.referred_on = local_today() - datetime.timedelta(days=3)
    enrollment.save()
    return enrollment
