import datetime

from django.utils import timezone

from divert.casework.agenda import workgroup_agenda
from divert.casework.models import Contact, Enrollment
from divert.charges.models import ChargeHold
from divert.field.models import Referral
from divert.people.models import Person
from divert.records.models import JusticeEvent
from divert.staff.roles import Role
from tests.conftest import local_noon, local_today


def days(n: int) -> datetime.date:
    return local_today() + datetime.timedelta(days=n)


def enroll(site, name, *, status="active", referred=-60, intake=-55, refused=False, hold=None):
    """A person referred `referred` days from today (negative: ago), enrolled unless refused."""
    first, last = name.split()
    person = Person.objects.create(jurisdiction=site["site"], first_name=first, last_name=last)
    referral = Referral.objects.create(
        jurisdiction=site["site"],
        person=person,
        pathway="arrest_diversion",
        referred_at=timezone.now() + datetime.timedelta(days=referred),
        capacity_refused=refused,
    )
    if refused:
        return person, None
    enrollment = Enrollment.objects.create(
        jurisdiction=site["site"],
        person=person,
        referral=referral,
        case_manager=site["users"][Role.CASE_MANAGER],
        status=status,
        referred_on=days(referred),
        intake_due_on=days(referred + 30),
        intake_completed_on=days(intake) if intake is not None else None,
    )
    if hold:
        ChargeHold.objects.create(
            jurisdiction=site["site"],
            referral=referral,
            held_on=days(referred),
            due_on=days(referred + 30),
            status=hold,
        )
    return person, enrollment


def contact(site, enrollment, ago, kind="in_person"):
    Contact.objects.create(
        enrollment=enrollment,
        staff=site["users"][Role.CASE_MANAGER],
        occurred_at=local_noon(ago),
        kind=kind,
    )


def booking(site, person, ago, n):
    JusticeEvent.objects.create(
        jurisdiction=site["site"],
        person=person,
        source_system="county-jail",
        source_person_id=f"J{person.pk}",
        source_event_id=f"B{n}",
        kind="booking",
        occurred_on=days(-ago),
    )


def names(items) -> set[str]:
    return {i.person for i in items}


def agenda_for(site, role=Role.SUPERVISOR):
    return workgroup_agenda(user=site["users"][role], today=local_today())


def test_it_lists_participants_booked_since_the_last_meeting(site):
    booked, e = enroll(site, "Ann Booked")
    contact(site, e, 2)
    booking(site, booked, 3, 1)
    earlier, e2 = enroll(site, "Ed Earlier")
    booking(site, earlier, 20, 2)
    outsider = Person.objects.create(jurisdiction=site["site"], first_name="No", last_name="Body")
    booking(site, outsider, 1, 3)
    items = agenda_for(site).new_cases
    assert names(items) == {"Ann Booked"}
    assert items[0].enrollment_id == e.pk and "Booking" in items[0].detail


def test_it_lists_holds_awaiting_a_decision_or_due_within_a_week(site, participant):
    enroll(site, "Due Soon", status="intake_pending", referred=-25, intake=None, hold="holding")
    enroll(site, "Due Later", status="intake_pending", referred=-5, intake=None, hold="holding")
    enroll(
        site,
        "Missed Deadline",
        status="intake_pending",
        referred=-35,
        intake=None,
        hold="awaiting_decision",
    )
    items = agenda_for(site).holds
    assert names(items) == {"Due Soon", "Missed Deadline"}
    assert "prosecutor to decide" in items[0].detail  # the missed deadline comes first


def test_it_names_who_has_gone_missing(site):
    _, gone = enroll(site, "Gone Missing")
    contact(site, gone, 40)
    contact(site, gone, 2, kind="attempted")  # looked for, not found: still missing
    _, seen = enroll(site, "Seen Lately")
    contact(site, seen, 3)
    _, never = enroll(site, "Never Seen", status="inactive")
    items = agenda_for(site).missing
    assert names(items) == {"Gone Missing", "Never Seen"}
    assert {i.detail for i in items} == {f"Last contact {days(-40)}", "No contact since intake"}


def test_it_lists_new_referrals_and_capacity_refusals_since_the_last_meeting(site, participant):
    enroll(site, "Turned Away", refused=True, referred=-3)
    enroll(site, "Long Ago", referred=-20, intake=-18)
    agenda = agenda_for(site)
    assert names(agenda.new_referrals) == {"Robert Jones"}
    assert agenda.new_referrals[0].enrollment_id == participant["enrollment"].pk
    assert names(agenda.capacity_refusals) == {"Turned Away"}
    assert agenda.capacity_refusals[0].enrollment_id is None
    earlier = workgroup_agenda(user=site["users"][Role.SUPERVISOR], since=days(-30))
    assert "Long Ago" in names(earlier.new_referrals)


def test_the_page_prints_names_and_links_but_no_case_notes(client, site, participant):
    _, gone = enroll(site, "Gone Missing")
    for role in (Role.CASE_MANAGER, Role.SUPERVISOR):
        client.force_login(site["users"][role])
        html = client.get("/workgroup/").content.decode()
        assert "Operational Work Group agenda" in html
        assert f'href="/casework/enrollments/{gone.pk}/"' in html
        assert "Robert Jones" in html  # a new referral
        assert participant["note"].text not in html
        assert 'media="print"' in html


def test_the_agenda_keeps_to_the_users_own_site(client, site, other_site, participant):
    outsider = workgroup_agenda(user=other_site["users"][Role.SUPERVISOR], today=local_today())
    assert not outsider.new_referrals and not outsider.holds


def test_an_officer_cannot_see_the_agenda(client, site):
    client.force_login(site["users"][Role.OFFICER])
    assert client.get("/workgroup/").status_code == 403
