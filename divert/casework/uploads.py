"""Files a case manager hands divert: a drawn signature and a scanned release form.

The type is read from the content (its magic bytes, by `filetype`), never from the name or the
type the browser declared, and the size is limited before anything is stored.
"""

import base64
import binascii

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

# A signature drawn on a phone's canvas is a few tens of kilobytes.
SIGNATURE_MAX_BYTES = 300 * 1024
SCAN_TYPES = {"application/pdf": "PDF", "image/png": "PNG", "image/jpeg": "JPEG"}


def upload_max_bytes() -> int:
    return settings.DIVERT_UPLOAD_MAX_MB * 1024 * 1024


def read_limited(upload, limit: int, field: str, what: str) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ValidationError({field: f"The {what} is larger than {_human(limit)}."})
    data = b"".join(upload.chunks()) if hasattr(upload, "chunks") else upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError({field: f"The {what} is larger than {_human(limit)}."})
    if not data:
        raise ValidationError({field: f"The {what} is empty."})
    return data


def _human(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"


def signature_from_data_url(text: str, field: str = "signature_png") -> ContentFile | None:
    """A drawn signature sent as base64 (a canvas's data URL, or the bare base64): PNG only."""
    text = (text or "").strip()
    if not text:
        return None
    if text.startswith("data:"):
        _, _, text = text.partition(",")
    # Base64 of the limit is a third longer: refuse before decoding a huge string.
    if len(text) > SIGNATURE_MAX_BYTES * 4 // 3 + 8:
        raise ValidationError(
            {field: f"The signature is larger than {_human(SIGNATURE_MAX_BYTES)}."}
        )
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError({field: "The signature is not a PNG image."}) from None
    return signature_file(ContentFile(data), field)


def signature_file(upload, field: str = "signature_png") -> ContentFile:
    data = read_limited(upload, SIGNATURE_MAX_BYTES, field, "signature")
    if filetype.guess_mime(data) != "image/png":
        raise ValidationError({field: "The signature is not a PNG image."})
    return ContentFile(data, name="signature.png")


def scanned_form_file(upload, field: str = "scanned_form") -> tuple[ContentFile, str]:
    """The scanned form's content and its type (read from the content): PDF, PNG or JPEG."""
    data = read_limited(upload, upload_max_bytes(), field, "scanned form")
    kind = filetype.guess_mime(data)
    if kind not in SCAN_TYPES:
        raise ValidationError({field: "The scanned form must be a PDF, PNG or JPEG file."})
    return ContentFile(data, name="scan"), kind
