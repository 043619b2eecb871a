"""Releases of information (42 CFR Part 2 §2.31): made by a case manager, revoked at once.

A release names who discloses, what (by category), to whom (organizations of the site, or a
class described in words), why, until when (a date or an event), how to revoke, and the
signature and date: drawn on the phone (a PNG) or given aloud before a named witness. What a
release shares is read by the access policy (`ReleaseOfInformation.in_force_q`), so revoking
one hides the shared data from the named party on the next request, on pages and the API.

The signed content never changes afterwards: a release is revoked and a new one signed. The
scanned paper form may be attached later; history keeps every version and no file is deleted.
"""

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from divert.access import Action, Kind, require
from divert.access.tenancy import jurisdiction_of
from divert.casework import once, uploads
from divert.casework.models import REVOCATION_DEFAULT, Enrollment, ReleaseOfInformation
from divert.jurisdictions.clock import site_today
from divert.jurisdictions.models import Organization

# What a release may share, by category: the model's flags.
SHARES = {
    "participation": "shares_participation",
    "progress": "shares_progress",
    "barriers": "shares_barriers",
}
SHARE_CHOICES = [
    (code, ReleaseOfInformation._meta.get_field(flag).verbose_name.capitalize())
    for code, flag in SHARES.items()
]
FILES = ("signature", "scanned_form")
REASON_MAX = ReleaseOfInformation._meta.get_field("revoked_reason").max_length


def discloser_choices(enrollment: Enrollment) -> QuerySet[Organization]:
    """Who may disclose: the site's case-management agencies."""
    return Organization.objects.filter(
        jurisdiction_id=enrollment.jurisdiction_id, kind=Organization.Kind.CASE_MANAGEMENT
    )


def recipient_choices(enrollment: Enrollment) -> QuerySet[Organization]:
    """Whom a release may name: the site's organizations, police aside (LEAD shares nothing
    with officers beyond enrolled-or-not, which needs no release)."""
    return Organization.objects.filter(jurisdiction_id=enrollment.jurisdiction_id).exclude(
        kind=Organization.Kind.POLICE
    )


def _orgs(
    enrollment: Enrollment, ids: list[int], field: str, allowed: QuerySet[Organization]
) -> list[Organization]:
    found = list(allowed.filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise ValidationError({field: "Choose organizations of this site from the list."})
    return found


@dataclass(frozen=True)
class Signature:
    """How the release was signed: a drawn PNG, or verbal consent before a witness."""

    image: Any = None  # a ContentFile checked by casework.uploads
    witness: str = ""


def _check(
    enrollment: Enrollment,
    *,
    signed_on: datetime.date,
    expires_on: datetime.date | None,
    expires_upon: str,
    recipients: list[Organization],
    recipient_class: str,
    shares: list[str],
    signature: Signature,
) -> None:
    errors: dict[str, str] = {}
    today = site_today(enrollment.jurisdiction)
    if signed_on > today:
        errors["signed_on"] = "A release cannot be signed in the future."
    elif signed_on < enrollment.referred_on:
        errors["signed_on"] = "A release cannot be signed before the referral."
    if expires_on is not None and expires_on <= signed_on:
        errors["expires_on"] = "A release must expire after the day it is signed."
    elif expires_on is None and not expires_upon:
        errors["expires_on"] = "Give an expiry date or the event that ends the release."
    if not recipients and not recipient_class:
        errors["recipients"] = "Name at least one organization, or a class of recipients."
    unknown = set(shares) - set(SHARES)
    if unknown:
        errors["shares"] = f"Unknown categories: {', '.join(sorted(unknown))}."
    elif not shares:
        errors["shares"] = "Choose what may be shared."
    if signature.image is None and not signature.witness:
        errors["signature_png"] = "Have the participant sign, or record verbal consent and witness."
    elif signature.image is not None and signature.witness:
        errors["verbal_witness"] = "Either a drawn signature or verbal consent, not both."
    if errors:
        raise ValidationError(errors)


def release_create(
    *,
    user: Any,
    enrollment: Enrollment,
    discloser_id: int,
    recipient_ids: list[int],
    recipient_class: str = "",
    shares: list[str],
    purpose: str,
    signed_on: datetime.date,
    expires_on: datetime.date | None = None,
    expires_upon: str = "",
    revocation: str = "",
    signed_name: str,
    signature: Signature,
    scanned_form: Any = None,
    client_id: uuid.UUID | None = None,
) -> tuple[ReleaseOfInformation, bool]:
    """Store a release with every §2.31 element; returns it and whether it is new.

    Raises ValidationError naming the field (nothing stored) or PermissionDenied.
    A resend with the same `client_id` returns the release already made.
    """
    require(user, Action.CREATE, Kind.RELEASE, enrollment)
    person = enrollment.person
    found = once.made_before(ReleaseOfInformation, client_id, {"person": person})
    if found is not None:
        return found, False
    purpose, signed_name = purpose.strip(), signed_name.strip()
    expires_upon, recipient_class = expires_upon.strip(), recipient_class.strip()
    missing = {
        name: "This element of the release is required."
        for name, value in (("purpose", purpose), ("signed_name", signed_name))
        if not value
    }
    if missing:
        raise ValidationError(missing)
    discloser = _orgs(enrollment, [discloser_id], "discloser", discloser_choices(enrollment))[0]
    recipients = _orgs(enrollment, recipient_ids, "recipients", recipient_choices(enrollment))
    _check(
        enrollment,
        signed_on=signed_on,
        expires_on=expires_on,
        expires_upon=expires_upon,
        recipients=recipients,
        recipient_class=recipient_class,
        shares=shares,
        signature=signature,
    )
    scan, scan_type = (None, "")
    if scanned_form is not None:
        scan, scan_type = uploads.scanned_form_file(scanned_form)
    release = ReleaseOfInformation(
        person=person,
        discloser=discloser,
        recipient_class=recipient_class,
        **{flag: code in shares for code, flag in SHARES.items()},
        purpose=purpose,
        signed_on=signed_on,
        expires_on=expires_on,
        expires_upon=expires_upon,
        revocation=revocation.strip() or REVOCATION_DEFAULT,
        signature=signed_name,
        verbal_witness=signature.witness.strip(),
        scanned_form_type=scan_type,
        created_by=user,
        client_id=client_id or uuid.uuid4(),
    )
    release.full_clean(exclude=["signature_image", "scanned_form"], validate_unique=False)
    stored = []
    try:
        if signature.image is not None:
            release.signature_image.save("signature.png", signature.image, save=False)
            stored.append(release.signature_image.name)
        if scan is not None:
            release.scanned_form.save("scan", scan, save=False)
            stored.append(release.scanned_form.name)
        release._history_user = user
        with transaction.atomic():
            saved = once.save_once(release, {"person": person})
            if saved is release:
                release.recipients.set(recipients)
    except BaseException:
        _forget(release, stored)
        raise
    if saved is not release:
        _forget(release, stored)  # a resend racing this one stored it first
    return saved, saved is release


def _forget(release: ReleaseOfInformation, names: list[str]) -> None:
    """Files written for a release that was not stored: no one can reach them, so remove."""
    storage = release.signature_image.storage
    for name in names:
        storage.delete(name)


def release_get(*, user: Any, release_id: int, audit: bool = True) -> ReleaseOfInformation:
    release = get_object_or_404(
        ReleaseOfInformation.objects.select_related("discloser", "person", "revoked_by"),
        pk=release_id,
    )
    require(user, Action.VIEW, Kind.RELEASE, release, audit=audit)
    return release


def release_revoke(
    *,
    user: Any,
    release: ReleaseOfInformation,
    on: datetime.date | None = None,
    reason: str = "",
) -> ReleaseOfInformation:
    """Revoke at once: from `on` (today by default) the release shares nothing.

    Revoking twice on the same day (a double submit) changes nothing.
    """
    require(user, Action.CHANGE, Kind.RELEASE, release)
    today = site_today(release.person.jurisdiction)
    on = on or today
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": f"Keep the reason under {REASON_MAX} characters."})
    if on > today:
        raise ValidationError({"revoked_on": "A revocation takes effect now: not a future date."})
    if on < release.signed_on:
        raise ValidationError({"revoked_on": "A release cannot be revoked before it was signed."})
    with transaction.atomic():
        locked = ReleaseOfInformation.objects.select_for_update().get(pk=release.pk)
        if locked.revoked_on is not None:
            if locked.revoked_on == on:
                return locked
            raise ValidationError({"revoked_on": f"Already revoked on {locked.revoked_on}."})
        locked.revoked_on, locked.revoked_reason, locked.revoked_by = on, reason, user
        locked._change_reason = "revoked"
        locked._history_user = user
        locked.save()
        return locked


def release_attach(
    *, user: Any, release: ReleaseOfInformation, upload: Any
) -> ReleaseOfInformation:
    """Attach the scanned paper form (PDF, PNG or JPEG, by content). A new scan replaces the
    one shown; the earlier file stays on disk and in the release's history."""
    require(user, Action.CHANGE, Kind.RELEASE, release)
    scan, scan_type = uploads.scanned_form_file(upload)
    with transaction.atomic():
        locked = ReleaseOfInformation.objects.select_for_update().get(pk=release.pk)
        locked.scanned_form.save("scan", scan, save=False)
        try:
            locked.scanned_form_type = scan_type
            locked._change_reason = "scanned form attached"
            locked._history_user = user
            locked.save()
        except BaseException:
            _forget(locked, [locked.scanned_form.name])
            raise
        return locked


def release_file(*, user: Any, release_id: int, which: str) -> tuple[Any, str]:
    """The stored signature or scanned form and its type, for a user who may read the release.

    Audited as a read of the release, naming the file.
    """
    from divert.audit.services import audit_record

    release = release_get(user=user, release_id=release_id, audit=False)
    if which == "signature":
        field, kind = release.signature_image, "image/png"
    elif which == "scanned_form":
        field, kind = release.scanned_form, release.scanned_form_type
    else:
        raise ValueError(which)
    audit_record(
        action=Action.VIEW.value,
        kind=Kind.RELEASE.value,
        object_id=release.pk,
        jurisdiction_id=jurisdiction_of(release),
        outcome="allowed",
        user=user,
        detail={"file": which},
    )
    if not field:
        from django.http import Http404

        raise Http404("no such file")
    return field, kind


def release_states(
    releases: list[ReleaseOfInformation], today: datetime.date
) -> dict[str, list[ReleaseOfInformation]]:
    """Releases grouped as the list shows them: in force, expired, revoked."""
    groups: dict[str, list[ReleaseOfInformation]] = {
        "in_force": [],
        "not_yet": [],
        "expired": [],
        "revoked": [],
    }
    for release in releases:
        groups[release.state(today)].append(release)
    return groups
