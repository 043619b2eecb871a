"""A receipt image, recognised by its first bytes and never by its name. Pure Python.

>>> receipt_type(b"\\x89PNG\\r\\n\\x1a\\n" + b"\\0" * 16)
'image/png'
>>> receipt_type(b"<svg onload=alert(1)>") is None
True
"""

MAX_BYTES = 5 * 1024 * 1024

_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)


def receipt_type(data: bytes) -> str | None:
    """The image type `data` holds (JPEG, PNG or WebP), or None for anything else."""
    for signature, kind in _SIGNATURES:
        if data.startswith(signature) and len(data) > len(signature) + 8:
            return kind
    if len(data) > 16 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None
