"""A receipt image, recognised by its content (magic bytes, by `filetype`), never its name.

One check for every way a receipt arrives: the page's file field, the API's multipart file and
the API's base64 text. The size limit is the installation's upload limit (DIVERT_UPLOAD_MAX_MB).

>>> receipt_type(b"\\x89PNG\\r\\n\\x1a\\n" + b"\\0" * 16)
'image/png'
>>> receipt_type(b"<svg onload=alert(1)>") is None
True
"""

import base64
import binascii

import filetype
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from divert.casework.uploads import read_limited, upload_max_bytes

IMAGES = frozenset({"image/jpeg", "image/png", "image/webp"})


def receipt_type(data: bytes) -> str | None:
    """The image type `data` holds (JPEG, PNG or WebP), or None for anything else."""
    kind = filetype.guess_mime(data)
    return kind if kind in IMAGES else None


def receipt_content(upload, field: str = "receipt") -> tuple[bytes, str]:
    """The receipt's bytes and image type; an empty, oversized or non-image file names `field`."""
    data = read_limited(upload, upload_max_bytes(), field, "receipt")
    kind = receipt_type(data)
    if kind is None:
        raise ValidationError({field: "The receipt must be a JPEG, PNG or WebP image."})
    return data, kind


def receipt_from_base64(text: str, field: str = "receipt_base64") -> ContentFile | None:
    """A receipt sent as base64 text, as a file for `receipt_content`; None when not sent."""
    if not text:
        return None
    limit = upload_max_bytes()
    # Base64 of the limit is a third longer: refuse before decoding a huge string.
    if len(text) > limit * 4 // 3 + 8:
        raise ValidationError({field: f"The receipt is larger than {limit // 1_048_576} MB."})
    try:
        return ContentFile(base64.b64decode(text, validate=True))
    except (binascii.Error, ValueError):
        raise ValidationError({field: "Not valid base64."}) from None
