"""Releases of information through the API: the same services and checks as the pages."""

import datetime
import uuid
from typing import Literal

from django.http import HttpResponse
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile

from divert.apitypes import Day
from divert.casework import releases, selectors, uploads
from divert.casework.pages.releases import file_response
from divert.jurisdictions.clock import site_today

router = Router(tags=["releases"])

Share = Literal["participation", "progress", "barriers"]
# A canvas's PNG as base64 (a data URL or bare), a third longer than the file's limit.
_SIGNATURE_TEXT_MAX = uploads.SIGNATURE_MAX_BYTES * 4 // 3 + 64


class ReleaseOut(Schema):
    id: int
    person_id: int
    state: str = Field(description="in_force, expired or revoked, on the site's date today")
    discloser: str
    recipients: list[str]
    recipient_ids: list[int]
    recipient_class: str
    shares: list[str]
    purpose: str
    signed_on: datetime.date
    expires_on: datetime.date | None
    expires_upon: str
    revocation: str
    signed_name: str
    signed_how: Literal["drawn", "verbal", "unknown"]
    verbal_witness: str
    has_scanned_form: bool
    revoked_on: datetime.date | None
    revoked_reason: str
    notice: str

    @staticmethod
    def resolve_state(release) -> str:
        return release.state(site_today(release.person.jurisdiction))

    @staticmethod
    def resolve_discloser(release) -> str:
        return release.discloser.name

    @staticmethod
    def resolve_recipients(release) -> list[str]:
        return [o.name for o in release.recipients.all()]

    @staticmethod
    def resolve_recipient_ids(release) -> list[int]:
        return [o.pk for o in release.recipients.all()]

    @staticmethod
    def resolve_shares(release) -> list[str]:
        return [code for code, flag in releases.SHARES.items() if getattr(release, flag)]

    @staticmethod
    def resolve_signed_name(release) -> str:
        return release.signature

    @staticmethod
    def resolve_signed_how(release) -> str:
        if release.signature_image:
            return "drawn"
        return "verbal" if release.verbal_witness else "unknown"

    @staticmethod
    def resolve_has_scanned_form(release) -> bool:
        return bool(release.scanned_form)

    @staticmethod
    def resolve_notice(release) -> str:
        return release.REDISCLOSURE_NOTICE


class ReleaseIn(Schema):
    discloser_id: int = Field(description="A case-management agency of the site")
    recipient_ids: list[int] = Field([], description="Organizations of the site named")
    recipient_class: str = Field("", max_length=200, description="Or a class of recipients")
    shares: list[Share] = Field(description="What may be shared, by category")
    purpose: str = Field(max_length=300)
    signed_on: Day
    expires_on: Day | None = None
    expires_upon: str = Field("", max_length=200, description="Or the event that ends it")
    revocation: str = Field("", max_length=500, description="How to revoke; divert's text if empty")
    signed_name: str = Field(max_length=200, description="Name as signed")
    signature_png: str | None = Field(
        None,
        max_length=_SIGNATURE_TEXT_MAX,
        description="The drawn signature: a PNG as base64 or a data URL",
    )
    verbal_witness: str = Field("", max_length=200, description="Or verbal consent's witness")
    client_id: uuid.UUID | None = Field(None, description="Made by the client: a resend is one")


class RevokeIn(Schema):
    on: Day | None = Field(None, description="The site's date; today if left out")
    reason: str = Field("", max_length=releases.REASON_MAX)


@router.get("/enrollments/{int:enrollment_id}/releases", response=list[ReleaseOut])
def release_list(request, enrollment_id: int):
    listed = selectors.release_list(user=request.user, enrollment_id=enrollment_id)
    return list(listed.select_related("person__jurisdiction"))


@router.post(
    "/enrollments/{int:enrollment_id}/releases",
    response={201: ReleaseOut, 200: ReleaseOut},
    summary="Record a release; a resend with the same client_id returns the stored one (200)",
)
def release_create(request, enrollment_id: int, payload: ReleaseIn):
    enrollment = selectors.enrollment_get(user=request.user, enrollment_id=enrollment_id)
    data = payload.model_dump()
    image = None
    if data["signature_png"]:
        image = uploads.signature_from_data_url(data["signature_png"])
    release, new = releases.release_create(
        user=request.user,
        enrollment=enrollment,
        discloser_id=data["discloser_id"],
        recipient_ids=data["recipient_ids"],
        recipient_class=data["recipient_class"],
        shares=data["shares"],
        purpose=data["purpose"],
        signed_on=data["signed_on"],
        expires_on=data["expires_on"],
        expires_upon=data["expires_upon"],
        revocation=data["revocation"],
        signed_name=data["signed_name"],
        signature=releases.Signature(image=image, witness=data["verbal_witness"]),
        client_id=data["client_id"],
    )
    return Status(201 if new else 200, release)


@router.get("/releases/{int:release_id}", response=ReleaseOut)
def release_detail(request, release_id: int):
    return releases.release_get(user=request.user, release_id=release_id)


@router.post(
    "/releases/{int:release_id}/revoke",
    response=ReleaseOut,
    summary="Revoke at once: from that day the release shares nothing",
)
def release_revoke(request, release_id: int, payload: RevokeIn):
    release = releases.release_get(user=request.user, release_id=release_id)
    return releases.release_revoke(
        user=request.user, release=release, on=payload.on, reason=payload.reason
    )


@router.post(
    "/releases/{int:release_id}/scanned-form",
    response=ReleaseOut,
    summary="Attach the scanned paper form (PDF, PNG or JPEG, checked by content)",
)
def release_attach(request, release_id: int, file: File[UploadedFile]):
    release = releases.release_get(user=request.user, release_id=release_id)
    return releases.release_attach(user=request.user, release=release, upload=file)


@router.get(
    "/releases/{int:release_id}/scanned-form",
    response={200: None},
    summary="The scanned paper form (audited)",
)
def release_scan(request, release_id: int) -> HttpResponse:
    field, kind = releases.release_file(
        user=request.user, release_id=release_id, which="scanned_form"
    )
    return file_response(field, kind, f"release-{release_id}-form")


@router.get(
    "/releases/{int:release_id}/signature",
    response={200: None},
    summary="The drawn signature as PNG (audited)",
)
def release_signature(request, release_id: int) -> HttpResponse:
    field, kind = releases.release_file(user=request.user, release_id=release_id, which="signature")
    return file_response(field, kind, f"release-{release_id}-signature")
