"""Tying a justice person's bookings to the program person a link in force names."""

import datetime

from divert.linkage.models import Link
from divert.linkage.services import _tie_events
from divert.records.models import JusticeEvent


def _event(site, source_id: str, key: str) -> JusticeEvent:
    return JusticeEvent.objects.create(
        jurisdiction=site,
        source_system="county-jail",
        source_person_id=source_id,
        source_event_id=key,
        kind="booking",
        occurred_on=datetime.date(2024, 1, 5),
    )


def _link(county, person, justice, prob, status="confirmed") -> Link:
    return Link.objects.create(
        jurisdiction=county["clear"].jurisdiction,
        person=county[person],
        justice_person=county[justice],
        match_probability=prob,
        match_weight=1.0,
        status=status,
    )


def test_the_most_likely_link_in_force_names_the_person_and_others_wait(site, county):
    s = site["site"]
    _link(county, "robert", "clear", 0.90)
    _link(county, "tonya", "clear", 0.97)
    _link(county, "robert", "unsure", 0.80, status="review")  # not in force
    unsure = _event(s, "J2", "booking-2")
    assert _tie_events(s.pk) == 1
    county["booking"].refresh_from_db()
    unsure.refresh_from_db()
    assert county["booking"].person_id == county["tonya"].pk
    assert unsure.person_id is None


def test_a_tie_for_some_records_touches_no_other_records_events(site, county):
    s = site["site"]
    _link(county, "tonya", "clear", 0.97)
    _link(county, "robert", "unsure", 0.95)
    unsure = _event(s, "J2", "booking-2")
    assert _tie_events(s.pk, [county["unsure"].pk]) == 1
    county["booking"].refresh_from_db()
    unsure.refresh_from_db()
    assert (unsure.person_id, county["booking"].person_id) == (county["robert"].pk, None)
    # An event already tied to someone is never moved.
    assert _tie_events(s.pk) == 1
    unsure.refresh_from_db()
    assert unsure.person_id == county["robert"].pk


def test_another_sites_links_tie_nothing_here(site, county, other_site):
    _link(county, "tonya", "clear", 0.97)
    assert _tie_events(other_site["site"].pk) == 0
    county["booking"].refresh_from_db()
    assert county["booking"].person_id is None
