"""What an uploaded file may be, checked the same way wherever people upload: its type by
extension *and* by its first bytes (a renamed executable or web page does not pass as a
PDF or a photo), and its size. Task evidence, duty-day photos and 十有 evidence photos
all go through :func:`upload_check`."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024

# extension → (content type, accepted leading bytes). Office files are zip containers.
KNOWN_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
    ),
    ".xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (b"PK\x03\x04",),
    ),
}
PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png")


def upload_check(
    upload: UploadedFile,
    *,
    suffixes: Collection[str],
    refused: str,
    max_bytes: int = MAX_UPLOAD_BYTES,
) -> tuple[str, str, int]:
    """The (content type, cleaned name, size in bytes) of an acceptable upload; a
    ``ValueError`` with a user-safe message otherwise. ``refused`` is the message for a
    type not in ``suffixes`` (with ``%(name)s``)."""
    name = PurePath(upload.name or "").name
    suffix = PurePath(name).suffix.lower()
    if suffix not in suffixes:
        raise ValueError(refused % {"name": name})
    if upload.size is None or upload.size > max_bytes:
        raise ValueError(
            _("%(name)s is larger than %(mb)s MB.") % {"name": name, "mb": max_bytes // 2**20}
        )
    if upload.size == 0:
        raise ValueError(_("%(name)s is empty.") % {"name": name})
    content_type, magics = KNOWN_TYPES[suffix]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in magics):
        raise ValueError(
            _("%(name)s is not really a %(kind)s file.") % {"name": name, "kind": suffix[1:]}
        )
    return content_type, name[:200], upload.size
