"""A receipt image, recognised by its content (magic bytes, by `filetype`), never its name.

>>> receipt_type(b"\\x89PNG\\r\\n\\x1a\\n" + b"\\0" * 16)
'image/png'
>>> receipt_type(b"<svg onload=alert(1)>") is None
True
"""

import filetype

MAX_BYTES = 5 * 1024 * 1024
IMAGES = frozenset({"image/jpeg", "image/png", "image/webp"})


def receipt_type(data: bytes) -> str | None:
    """The image type `data` holds (JPEG, PNG or WebP), or None for anything else."""
    kind = filetype.guess_mime(data)
    return kind if kind in IMAGES else None
