import datetime

from django.utils import timezone

from divert.casework.alerts import alert_list
from divert.casework.models import Contact, Enrollment
from divert.field.models import Referral
from divert.people.models import Person
from divert.records.models import JusticeEvent
from divert.staff.models import User
from divert.staff.roles import Role
from tests.conftest import local_noon, local_today


def days(n: int) -> datetime.date:
    return local_today() + datetime.timedelta(days=n)


def enroll(site, name, *, manager=None, status="active", referred=-60, intake=-55):
    first, last = name.split()
    person = Person.objects.create(jurisdiction=site["site"], first_name=first, last_name=last)
    referral = Referral.objects.create(
        jurisdiction=site["site"],
        person=person,
        pathway="social_contact",
        referred_at=timezone.now() + datetime.timedelta(days=referred),
    )
    enrollment = Enrollment.objects.create(
        jurisdiction=site["site"],
        person=person,
        referral=referral,
        case_manager=manager or site["users"][Role.CASE_MANAGER],
        status=status,
        referred_on=days(referred),
        intake_due_on=days(referred + 30),
        intake_completed_on=days(intake) if intake is not None else None,
    )
    return person, enrollment


def seen(site, enrollment, ago=1):
    Contact.objects.create(
        enrollment=enrollment,
        staff=enrollment.case_manager,
        occurred_at=local_noon(ago),
        kind="in_person",
    )


def kinds(user) -> dict[str, str]:
    return {a.person: a.kind for a in alert_list(user=user, today=local_today())}


def test_intake_due_within_three_days_and_past_due_are_alerts(site):
    cm = site["users"][Role.CASE_MANAGER]
    enroll(site, "Due Monday", status="intake_pending", referred=-28, intake=None)
    enroll(site, "Due Later", status="intake_pending", referred=-10, intake=None)
    enroll(site, "Past Due", status="intake_pending", referred=-33, intake=None)
    alerts = alert_list(user=cm, today=local_today())
    assert kinds(cm) == {"Due Monday": "intake_due", "Past Due": "intake_overdue"}
    assert alerts[0].kind == "intake_overdue"  # the most urgent first
    assert alerts[1].detail == f"Due {days(2)}"


def test_no_contact_in_thirty_days_is_an_alert(site):
    cm = site["users"][Role.CASE_MANAGER]
    _, quiet = enroll(site, "Quiet Person")
    seen(site, quiet, ago=31)
    _, busy = enroll(site, "Busy Person")
    seen(site, busy, ago=29)
    assert kinds(cm) == {"Quiet Person": "no_contact"}


def test_a_new_booking_is_an_alert(site):
    cm = site["users"][Role.CASE_MANAGER]
    person, e = enroll(site, "Newly Booked")
    seen(site, e)
    JusticeEvent.objects.create(
        jurisdiction=site["site"],
        person=person,
        source_system="county-jail",
        source_person_id="J9",
        source_event_id="B9",
        kind="booking",
        occurred_on=days(-2),
    )
    alerts = alert_list(user=cm, today=local_today())
    assert [(a.person, a.kind) for a in alerts] == [("Newly Booked", "new_case")]
    assert alerts[0].label == "New arrest, booking or charge"


def test_a_case_manager_sees_their_own_caseload_and_a_supervisor_sees_all(client, site):
    other = User.objects.create_user(
        username="other-cm",
        organization=site["orgs"]["case_management"],
        roles=["case_manager"],
    )
    enroll(site, "Mine Quiet")
    enroll(site, "Theirs Quiet", manager=other)
    assert set(kinds(site["users"][Role.CASE_MANAGER])) == {"Mine Quiet"}
    assert set(kinds(site["users"][Role.SUPERVISOR])) == {"Mine Quiet", "Theirs Quiet"}
    client.force_login(site["users"][Role.CASE_MANAGER])
    html = client.get("/alerts/").content.decode()
    assert "Mine Quiet" in html and "Theirs Quiet" not in html
    assert 'data-kind="no_contact"' in html


def test_the_landing_page_links_alerts_and_the_agenda(client, site):
    for role in (Role.CASE_MANAGER, Role.SUPERVISOR):
        client.force_login(site["users"][role])
        html = client.get("/", follow=True).content.decode()
        assert 'href="/alerts/"' in html and 'href="/workgroup/"' in html


def test_an_officer_cannot_see_alerts_or_the_agenda(client, site):
    client.force_login(site["users"][Role.OFFICER])
    assert client.get("/alerts/").status_code == 403
    assert client.get("/workgroup/").status_code == 403
