"""What an evidence upload may be: its type (by extension *and* by its first bytes) and size."""

from __future__ import annotations

from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024

# extension → (content type, accepted leading bytes). Office files are zip containers;
# the magic check keeps a renamed executable or HTML page from passing as a PDF or photo.
ALLOWED_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
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


def evidence_check(upload: UploadedFile) -> tuple[str, str, int]:
    """The (content type, cleaned name, size in bytes) of an acceptable upload; ``ValueError`` with a
    user-safe message otherwise."""
    name = PurePath(upload.name or "").name
    suffix = PurePath(name).suffix.lower()
    if suffix not in ALLOWED_TYPES:
        raise ValueError(
            _("%(name)s: only PDF, JPEG, PNG, Word (.docx) and Excel (.xlsx) files are accepted.")
            % {"name": name}
        )
    if upload.size is None or upload.size > MAX_EVIDENCE_BYTES:
        raise ValueError(_("%(name)s is larger than 10 MB.") % {"name": name})
    if upload.size == 0:
        raise ValueError(_("%(name)s is empty.") % {"name": name})
    content_type, magics = ALLOWED_TYPES[suffix]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in magics):
        raise ValueError(
            _("%(name)s is not really a %(kind)s file.") % {"name": name, "kind": suffix[1:]}
        )
    return content_type, name[:200], upload.size
