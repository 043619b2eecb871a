"""Releases of information: every §2.31 element, a drawn or witnessed signature, files checked
by content, revocation in force at once on pages and the API, and nothing half-saved."""

import base64
import dataclasses
import datetime
import struct
import uuid
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from divert.audit.models import AuditEntry
from divert.casework import releases
from divert.casework.models import ReleaseOfInformation
from divert.staff.roles import Role
from tests.conftest import local_today


def tiny_png() -> bytes:
    """A real 1 x 1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


PNG_URL = "data:image/png;base64," + base64.b64encode(tiny_png()).decode()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _days(n: int) -> datetime.date:
    return local_today() + datetime.timedelta(days=n)


@dataclasses.dataclass(frozen=True)
class Days:
    """A date `n` site days from today, worked out when the test runs under its frozen clock.

    Parameters are built at collection, before any clock is frozen, so they hold this marker.
    """

    n: int
    iso: bool = False

    def resolve(self) -> datetime.date | str:
        day = _days(self.n)
        return day.isoformat() if self.iso else day


def _resolved(changes: dict) -> dict:
    return {key: v.resolve() if isinstance(v, Days) else v for key, v in changes.items()}


def _create(site, participant, **changes):
    enrollment = participant["enrollment"]
    args = {
        "user": site["users"][Role.CASE_MANAGER],
        "enrollment": enrollment,
        "discloser_id": site["orgs"]["case_management"].pk,
        "recipient_ids": [site["orgs"]["prosecutor"].pk],
        "shares": ["participation", "progress"],
        "purpose": "coordinate with the court",
        "signed_on": local_today(),
        "expires_on": _days(180),
        "signed_name": "Robert Jones",
        "signature": releases.Signature(image=releases.uploads.signature_from_data_url(PNG_URL)),
    }
    args.update(changes)
    return releases.release_create(**args)


def _api_body(site, **changes) -> dict:
    body = {
        "discloser_id": site["orgs"]["case_management"].pk,
        "recipient_ids": [site["orgs"]["prosecutor"].pk],
        "shares": ["participation", "progress"],
        "purpose": "coordinate with the court",
        "signed_on": local_today().isoformat(),
        "expires_on": _days(180).isoformat(),
        "signed_name": "Robert Jones",
        "signature_png": PNG_URL,
    }
    body.update(changes)
    return body


# --- the service ---------------------------------------------------------------------------


def test_a_release_keeps_every_element_and_the_drawn_signature(site, participant):
    release, new = _create(site, participant, recipient_class="my treating providers")
    assert new
    release.refresh_from_db()
    assert release.discloser == site["orgs"]["case_management"]
    assert list(release.recipients.all()) == [site["orgs"]["prosecutor"]]
    assert release.recipient_class == "my treating providers"
    assert (release.shares_participation, release.shares_progress, release.shares_barriers) == (
        True,
        True,
        False,
    )
    assert release.revocation.startswith("You may revoke")
    assert release.signature_image.read() == tiny_png()
    assert not release.signature_image.name.endswith(".png")  # nothing the uploader chose
    assert release.history.count() == 1
    assert release.history.first().history_user == site["users"][Role.CASE_MANAGER]
    entry = AuditEntry.objects.filter(kind="release", action="create").latest("id")
    assert (entry.outcome, entry.object_id) == ("success", str(release.pk))


def test_verbal_consent_names_its_witness_and_an_event_can_end_a_release(site, participant):
    release, _ = _create(
        site,
        participant,
        signature=releases.Signature(witness="Dana Lee, outreach worker"),
        expires_on=None,
        expires_upon="when I leave LEAD",
    )
    assert release.verbal_witness == "Dana Lee, outreach worker"
    assert not release.signature_image
    assert release.state(local_today()) == "in_force"
    assert ReleaseOfInformation.objects.filter(
        ReleaseOfInformation.in_force_q(local_today()), pk=release.pk
    ).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"signature": releases.Signature()}, "signature_png"),
        ({"signed_on": Days(1)}, "signed_on"),
        ({"signed_on": Days(-400)}, "signed_on"),  # before the referral
        ({"expires_on": Days(-1)}, "expires_on"),
        ({"expires_on": Days(0)}, "expires_on"),
        ({"expires_on": None}, "expires_on"),
        ({"recipient_ids": []}, "recipients"),
        ({"shares": []}, "shares"),
        ({"purpose": "  "}, "purpose"),
        ({"signed_name": ""}, "signed_name"),
    ],
)
def test_a_release_missing_an_element_is_refused_naming_it_and_nothing_is_saved(
    site, participant, changes, field
):
    from django.core.exceptions import ValidationError

    before = ReleaseOfInformation.objects.count()
    with pytest.raises(ValidationError) as caught:
        _create(site, participant, **_resolved(changes))
    assert field in caught.value.message_dict
    assert ReleaseOfInformation.objects.count() == before


def test_a_drawn_signature_and_a_witness_together_are_refused(site, participant):
    from django.core.exceptions import ValidationError

    image = releases.uploads.signature_from_data_url(PNG_URL)
    with pytest.raises(ValidationError) as caught:
        _create(site, participant, signature=releases.Signature(image=image, witness="Dana"))
    assert "verbal_witness" in caught.value.message_dict


def test_another_sites_organization_cannot_be_named(site, other_site, participant):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        _create(site, participant, recipient_ids=[other_site["orgs"]["prosecutor"].pk])
    assert "recipients" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        _create(site, participant, discloser_id=site["orgs"]["prosecutor"].pk)
    assert "discloser" in caught.value.message_dict


@pytest.mark.parametrize(
    "content",
    [
        b"\xff\xd8\xff\xe0" + b"\0" * 64,  # a JPEG is not the canvas's PNG
        b"<svg onload=alert(1)>",
        b"GIF89a" + b"\0" * 64,
    ],
)
def test_a_signature_that_is_not_a_png_by_content_is_refused(content):
    from django.core.exceptions import ValidationError

    text = "data:image/png;base64," + base64.b64encode(content).decode()
    with pytest.raises(ValidationError) as caught:
        releases.uploads.signature_from_data_url(text)
    assert caught.value.message_dict == {"signature_png": ["The signature is not a PNG image."]}


def test_an_oversized_signature_or_scan_is_refused():
    from django.core.exceptions import ValidationError

    big = tiny_png() + b"\0" * releases.uploads.SIGNATURE_MAX_BYTES
    with pytest.raises(ValidationError) as caught:
        releases.uploads.signature_from_data_url(base64.b64encode(big).decode())
    assert "larger than" in caught.value.message_dict["signature_png"][0]
    with override_settings(DIVERT_UPLOAD_MAX_MB=1):
        scan = SimpleUploadedFile("form.pdf", PDF + b"\0" * (1024 * 1024))
        with pytest.raises(ValidationError) as caught:
            releases.uploads.scanned_form_file(scan)
    assert "larger than 1 MB" in caught.value.message_dict["scanned_form"][0]


def test_a_scan_is_typed_by_its_content_not_its_name(site, participant):
    from django.core.exceptions import ValidationError

    fake = SimpleUploadedFile("form.pdf", b"#!/bin/sh\nrm -rf /\n", content_type="application/pdf")
    with pytest.raises(ValidationError) as caught:
        _create(site, participant, scanned_form=fake)
    assert "scanned_form" in caught.value.message_dict
    assert not ReleaseOfInformation.objects.exclude(pk=participant["release"].pk).exists()
    named_wrong = SimpleUploadedFile("form.txt", PDF, content_type="text/plain")
    release, _ = _create(site, participant, scanned_form=named_wrong)
    assert release.scanned_form_type == "application/pdf"


def test_the_same_form_sent_twice_makes_one_release(site, participant):
    once = uuid.uuid4()
    first, new = _create(site, participant, client_id=once)
    second, again = _create(site, participant, client_id=once)
    assert (new, again) == (True, False)
    assert first.pk == second.pk
    assert ReleaseOfInformation.objects.filter(client_id=once).count() == 1


def test_revoking_is_one_action_today_or_earlier_and_twice_is_once(site, participant):
    from django.core.exceptions import ValidationError

    manager = site["users"][Role.CASE_MANAGER]
    release = participant["release"]
    with pytest.raises(ValidationError) as caught:
        releases.release_revoke(user=manager, release=release, on=_days(1))
    assert "revoked_on" in caught.value.message_dict
    with pytest.raises(ValidationError):
        releases.release_revoke(user=manager, release=release, on=_days(-1))  # before signing
    revoked = releases.release_revoke(user=manager, release=release, reason="asked in person")
    assert (revoked.revoked_on, revoked.revoked_reason, revoked.revoked_by) == (
        local_today(),
        "asked in person",
        manager,
    )
    assert releases.release_revoke(user=manager, release=release).revoked_on == local_today()
    assert release.history.count() == 2
    assert release.history.first().history_change_reason == "revoked"
    entry = AuditEntry.objects.filter(kind="release", object_id=str(release.pk)).latest("id")
    assert (entry.action, entry.outcome) == ("change", "success")


# --- revocation hides the shared data at once, on pages and in the API ----------------------


@pytest.mark.parametrize("role", [Role.PROSECUTOR, Role.DEFENDER])
def test_revoking_hides_progress_from_the_named_party_at_once(client, site, participant, role):
    enrollment = participant["enrollment"]
    api = f"/api/v1/casework/enrollments/{enrollment.pk}/progress"
    page = f"/casework/enrollments/{enrollment.pk}/progress/"
    client.force_login(site["users"][role])
    assert client.get(api).status_code == 200
    shown = client.get(page)
    assert shown.status_code == 200
    assert ReleaseOfInformation.REDISCLOSURE_NOTICE in shown.content.decode()

    client.force_login(site["users"][Role.CASE_MANAGER])
    response = client.post(
        f"/casework/releases/{participant['release'].pk}/revoke/",
        {"revoked_on": local_today().isoformat(), "reason": "changed her mind"},
    )
    assert response.status_code == 302

    client.force_login(site["users"][role])
    assert client.get(api).status_code == 403
    assert client.get(page).status_code == 403
    holds = client.get("/charges/").content.decode()
    assert f"/casework/enrollments/{enrollment.pk}/progress/" not in holds


def test_revoking_through_the_api_hides_progress_at_once(client, site, participant):
    enrollment = participant["enrollment"]
    client.force_login(site["users"][Role.PROSECUTOR])
    assert client.get(f"/api/v1/casework/enrollments/{enrollment.pk}/progress").status_code == 200
    client.force_login(site["users"][Role.CASE_MANAGER])
    response = client.post(
        f"/api/v1/casework/releases/{participant['release'].pk}/revoke",
        {"reason": "asked"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "revoked"
    client.force_login(site["users"][Role.PROSECUTOR])
    assert client.get(f"/api/v1/casework/enrollments/{enrollment.pk}/progress").status_code == 403


def test_a_release_naming_another_office_shows_this_one_nothing(client, site, participant):
    participant["release"].recipients.set([site["orgs"]["defender"]])
    client.force_login(site["users"][Role.PROSECUTOR])
    url = f"/casework/enrollments/{participant['enrollment'].pk}/progress/"
    assert client.get(url).status_code == 403
    client.force_login(site["users"][Role.DEFENDER])
    assert client.get(url).status_code == 200


# --- the API ---------------------------------------------------------------------------------


def test_the_api_creates_lists_gets_and_resends_once(client, site, participant):
    client.force_login(site["users"][Role.CASE_MANAGER])
    url = f"/api/v1/casework/enrollments/{participant['enrollment'].pk}/releases"
    body = _api_body(site, client_id=str(uuid.uuid4()))
    made = client.post(url, body, content_type="application/json")
    assert made.status_code == 201, made.content
    out = made.json()
    assert (out["signed_how"], out["state"], out["shares"]) == (
        "drawn",
        "in_force",
        ["participation", "progress"],
    )
    again = client.post(url, body, content_type="application/json")
    assert (again.status_code, again.json()["id"]) == (200, out["id"])
    listed = client.get(url).json()
    assert out["id"] in [r["id"] for r in listed]
    got = client.get(f"/api/v1/casework/releases/{out['id']}")
    assert got.json()["recipients"] == [site["orgs"]["prosecutor"].name]
    signature = client.get(f"/api/v1/casework/releases/{out['id']}/signature")
    assert signature.status_code == 200
    assert b"".join(signature.streaming_content) == tiny_png()
    assert signature["Content-Type"] == "image/png"
    assert signature["X-Content-Type-Options"] == "nosniff"
    entry = AuditEntry.objects.filter(kind="release", action="view").latest("id")
    assert (entry.outcome, entry.detail, entry.object_id) == (
        "allowed",
        {"file": "signature"},
        str(out["id"]),
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"signature_png": None}, "signature_png"),
        ({"signature_png": "data:image/png;base64,not-base64!"}, "signature_png"),
        ({"expires_on": Days(-3, iso=True)}, "expires_on"),
        ({"signed_on": Days(2, iso=True)}, "signed_on"),
        ({"recipient_ids": [], "recipient_class": ""}, "recipients"),
        ({"recipient_ids": [999_999]}, "recipients"),
        ({"shares": ["notes"]}, "shares.0"),
        ({"purpose": ""}, "purpose"),
    ],
)
def test_the_api_answers_422_naming_the_field_and_saves_nothing(
    client, site, participant, changes, field
):
    client.force_login(site["users"][Role.CASE_MANAGER])
    before = ReleaseOfInformation.objects.count()
    response = client.post(
        f"/api/v1/casework/enrollments/{participant['enrollment'].pk}/releases",
        _api_body(site, **_resolved(changes)),
        content_type="application/json",
    )
    assert response.status_code == 422, response.content
    assert field in [d["field"] for d in response.json()["detail"]], response.json()
    assert ReleaseOfInformation.objects.count() == before


def test_the_api_attaches_a_scan_checked_by_content_and_serves_it(client, site, participant):
    client.force_login(site["users"][Role.CASE_MANAGER])
    url = f"/api/v1/casework/releases/{participant['release'].pk}/scanned-form"
    refused = client.post(url, {"file": SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf")})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["field"] == "scanned_form"
    attached = client.post(url, {"file": SimpleUploadedFile("x.bin", PDF)})
    assert attached.status_code == 200, attached.content
    assert attached.json()["has_scanned_form"] is True
    served = client.get(url)
    assert served["Content-Type"] == "application/pdf"
    assert "attachment" in served["Content-Disposition"]
    assert b"".join(served.streaming_content) == PDF


NEW_ENDPOINTS = [
    ("get", "/api/v1/casework/enrollments/{e}/releases"),
    ("post", "/api/v1/casework/enrollments/{e}/releases"),
    ("get", "/api/v1/casework/releases/{r}"),
    ("post", "/api/v1/casework/releases/{r}/revoke"),
    ("post", "/api/v1/casework/releases/{r}/scanned-form"),
    ("get", "/api/v1/casework/releases/{r}/scanned-form"),
    ("get", "/api/v1/casework/releases/{r}/signature"),
    ("get", "/casework/enrollments/{e}/releases/"),
    ("get", "/casework/enrollments/{e}/releases/new/"),
    ("post", "/casework/enrollments/{e}/releases/new/"),
    ("get", "/casework/releases/{r}/"),
    ("post", "/casework/releases/{r}/revoke/"),
    ("post", "/casework/releases/{r}/scan/"),
    ("get", "/casework/releases/{r}/signature.png"),
    ("get", "/casework/releases/{r}/form"),
]


@pytest.mark.parametrize("role", [Role.OFFICER, Role.PROSECUTOR, Role.DEFENDER, Role.PARTNER])
def test_enforcement_and_partners_get_403_on_every_release_page_and_endpoint(
    client, site, participant, role
):
    client.force_login(site["users"][role])
    e, r = participant["enrollment"].pk, participant["release"].pk
    for method, template in NEW_ENDPOINTS:
        url = template.format(e=e, r=r)
        if method == "post" and "/api/" in url and url.endswith("releases"):
            response = client.post(url, _api_body(site), content_type="application/json")
        elif method == "post" and url.endswith("scanned-form"):
            response = client.post(url, {"file": SimpleUploadedFile("f.pdf", PDF)})
        elif method == "post" and "/api/" in url:
            response = client.post(url, {"reason": "x"}, content_type="application/json")
        else:
            response = getattr(client, method)(url)
        assert response.status_code == 403, (role, method, url, response.status_code)
    assert participant["release"].__class__.objects.get(pk=r).revoked_on is None
    denied = AuditEntry.objects.filter(
        kind="release", outcome="denied", actor_id=site["users"][role].pk
    )
    assert denied.exists()


# --- pages -----------------------------------------------------------------------------------


def _page_form(site, **changes) -> dict:
    data = {
        "discloser": site["orgs"]["case_management"].pk,
        "shares": ["participation", "progress"],
        "recipients": [site["orgs"]["prosecutor"].pk],
        "recipient_class": "",
        "purpose": "coordinate with the court",
        "signed_on": local_today().isoformat(),
        "expires_on": _days(90).isoformat(),
        "expires_upon": "",
        "revocation": "Tell your case manager.",
        "signed_name": "Robert Jones",
        "signature_png": "",
        "verbal_witness": "Dana Lee",
        "client_id": str(uuid.uuid4()),
    }
    data.update(changes)
    return data


def test_the_page_lists_releases_in_force_expired_and_revoked(client, site, participant):
    manager = site["users"][Role.CASE_MANAGER]
    enrollment = participant["enrollment"]
    old, _ = _create(
        site,
        participant,
        purpose="an old housing search",
        signature=releases.Signature(witness="A"),
    )
    ReleaseOfInformation.objects.filter(pk=old.pk).update(
        signed_on=_days(-400), expires_on=_days(-30)
    )
    releases.release_revoke(user=manager, release=participant["release"])
    client.force_login(manager)
    page = client.get(f"/casework/enrollments/{enrollment.pk}/releases/").content.decode()
    expired = page.split('id="expired-title"')[1].split("</section>")[0]
    revoked = page.split('id="revoked-title"')[1].split("</section>")[0]
    assert "an old housing search" in expired
    assert "coordinate cases" in revoked
    assert "None in force." in page


def test_the_page_saves_a_release_with_verbal_consent_once(client, site, participant):
    client.force_login(site["users"][Role.CASE_MANAGER])
    url = f"/casework/enrollments/{participant['enrollment'].pk}/releases/new/"
    assert client.get(url).status_code == 200
    data = _page_form(site)
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 302
    made = ReleaseOfInformation.objects.get(client_id=data["client_id"])
    assert first["Location"] == second["Location"] == f"/casework/releases/{made.pk}/"
    assert made.verbal_witness == "Dana Lee"
    detail = client.get(first["Location"]).content.decode()
    assert "witnessed by Dana Lee" in detail
    assert ReleaseOfInformation.REDISCLOSURE_NOTICE in detail


def test_the_page_saves_a_drawn_signature_and_shows_it_only_through_the_checked_view(
    client, site, other_site, participant
):
    client.force_login(site["users"][Role.CASE_MANAGER])
    url = f"/casework/enrollments/{participant['enrollment'].pk}/releases/new/"
    response = client.post(url, _page_form(site, verbal_witness="", signature_png=PNG_URL))
    assert response.status_code == 302
    made = ReleaseOfInformation.objects.latest("pk")
    image = client.get(f"/casework/releases/{made.pk}/signature.png")
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    client.force_login(other_site["users"][Role.CASE_MANAGER])
    assert client.get(f"/casework/releases/{made.pk}/signature.png").status_code == 403


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"verbal_witness": ""}, "signature_png", "Have the participant sign"),
        ({"signed_on": Days(1, iso=True)}, "signed_on", "cannot be signed in the future"),
        ({"expires_on": Days(-1, iso=True)}, "expires_on", "must expire after"),
        ({"recipients": []}, "recipients", "Name at least one organization"),
        (
            {"verbal_witness": "", "signature_png": "data:image/png;base64,R0lGODlhAQABAAAAACw="},
            "signature_png",
            "not a PNG",
        ),
    ],
)
def test_the_page_shows_the_error_at_the_field_and_saves_nothing(
    client, site, participant, changes, field, message
):
    client.force_login(site["users"][Role.CASE_MANAGER])
    url = f"/casework/enrollments/{participant['enrollment'].pk}/releases/new/"
    before = ReleaseOfInformation.objects.count()
    response = client.post(url, _page_form(site, **_resolved(changes)))
    assert response.status_code == 422
    assert message in " ".join(response.context["form"].errors[field])
    assert message in response.content.decode()
    assert ReleaseOfInformation.objects.count() == before


def test_a_scan_attached_on_the_page_is_checked_by_content(client, site, participant):
    client.force_login(site["users"][Role.CASE_MANAGER])
    url = f"/casework/releases/{participant['release'].pk}/scan/"
    bad = client.post(url, {"scanned_form": SimpleUploadedFile("form.pdf", b"just text")})
    assert bad.status_code == 422
    assert "must be a PDF, PNG or JPEG" in bad.content.decode()
    good = client.post(url, {"scanned_form": SimpleUploadedFile("form.jpg", tiny_png())})
    assert good.status_code == 302
    participant["release"].refresh_from_db()
    assert participant["release"].scanned_form_type == "image/png"


def test_a_release_ending_on_an_event_shares_until_the_event_is_recorded(client, site, participant):
    manager = site["users"][Role.CASE_MANAGER]
    participant["release"].delete()
    release, _ = _create(
        site,
        participant,
        recipient_ids=[site["orgs"]["defender"].pk],
        expires_on=None,
        expires_upon="when I leave LEAD",
    )
    url = f"/api/v1/casework/enrollments/{participant['enrollment'].pk}/progress"
    client.force_login(site["users"][Role.PROSECUTOR])
    assert client.get(url).status_code == 403  # not named: the open expiry opens nothing
    client.force_login(site["users"][Role.DEFENDER])
    assert client.get(url).status_code == 200
    releases.release_revoke(user=manager, release=release, reason="left LEAD")
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("recipient", ["99999999999999999999", "-99999999999999999999", "x"])
def test_the_page_refuses_a_recipient_no_record_could_have_naming_the_field(
    client, site, participant, recipient
):
    client.force_login(site["users"][Role.CASE_MANAGER])
    url = f"/casework/enrollments/{participant['enrollment'].pk}/releases/new/"
    before = ReleaseOfInformation.objects.count()
    response = client.post(url, {**_page_form(site), "recipients": [recipient]})
    assert response.status_code == 422
    assert response.context["form"].errors["recipients"]
    assert ReleaseOfInformation.objects.count() == before
