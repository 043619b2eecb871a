"""One site clock: deadlines and screening dates are the site's local days, at any hour."""

import datetime

import pytest
import time_machine

from divert.charges.models import ChargeHold
from divert.charges.services import charge_holds_flag_overdue
from divert.jurisdictions.clock import aware, local_date, site_today
from divert.jurisdictions.models import Jurisdiction

# 01:30 UTC on 2 March is 17:30 on 1 March in Seattle, and 10:30 on 2 March in Tokyo.
EVENING_IN_SEATTLE = datetime.datetime(2026, 3, 2, 1, 30, tzinfo=datetime.UTC)


def test_the_site_day_is_the_local_day_not_the_utc_day(db):
    seattle = Jurisdiction.objects.create(name="S", slug="s", timezone="America/Los_Angeles")
    tokyo = Jurisdiction.objects.create(name="T", slug="t", timezone="Asia/Tokyo")
    with time_machine.travel(EVENING_IN_SEATTLE, tick=False):
        assert site_today(seattle) == datetime.date(2026, 3, 1)
        assert site_today(tokyo) == datetime.date(2026, 3, 2)


def test_a_naive_time_is_read_in_the_site_zone(db):
    tokyo = Jurisdiction(timezone="Asia/Tokyo")
    moment = aware(tokyo, datetime.datetime(2026, 3, 2, 8, 0))
    assert moment.utcoffset() == datetime.timedelta(hours=9)
    assert local_date(tokyo, moment) == datetime.date(2026, 3, 2)


def test_an_unknown_time_zone_is_refused_naming_the_field(db):
    from django.core.exceptions import ValidationError

    site = Jurisdiction(name="X", slug="x", timezone="Mars/Olympus_Mons")
    with pytest.raises(ValidationError) as caught:
        site.full_clean()
    assert "timezone" in caught.value.message_dict


def test_holds_are_flagged_on_each_sites_own_day(participant, site, frozen_clock):
    """A hold due yesterday in Seattle is overdue; at 01:30 UTC it is still 'yesterday' there."""
    frozen_clock.move_to(EVENING_IN_SEATTLE)
    hold = participant["hold"]
    enrollment = participant["enrollment"]
    enrollment.intake_completed_on = None
    enrollment.referred_on = datetime.date(2026, 1, 1)
    enrollment.save()
    hold.held_on = datetime.date(2026, 1, 1)
    hold.due_on = datetime.date(2026, 3, 1)  # today, in Seattle: not yet overdue
    hold.save()
    assert charge_holds_flag_overdue() == 0
    hold.due_on = datetime.date(2026, 2, 28)
    hold.save()
    assert charge_holds_flag_overdue() == 1
    assert ChargeHold.objects.get(pk=hold.pk).status == ChargeHold.Status.AWAITING_DECISION


def test_the_four_clock_shifts_put_each_test_at_each_hour(monkeypatch):
    from tests.conftest import CLOCK_TIMES, clock_time

    monkeypatch.delenv("DIVERT_TEST_CLOCK", raising=False)
    for nodeid in ("tests/a.py::test_one", "tests/b.py::test_two[x]", "tests/c.py::test_3"):
        assert sorted(clock_time(nodeid, shift) for shift in range(4)) == sorted(CLOCK_TIMES)
    monkeypatch.setenv("DIVERT_TEST_CLOCK_SHIFT", "2")
    assert clock_time("tests/a.py::test_one") == clock_time("tests/a.py::test_one", 2)
    monkeypatch.setenv("DIVERT_TEST_CLOCK", "12:00")
    assert clock_time("tests/a.py::test_one", 1) == "12:00"
