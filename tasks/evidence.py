"""Evidence files: what an upload may be (its type, by extension *and* by its first bytes,
and its size) and how checked files are attached to a report or a follow-up item."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from organisation.models import User
from tasks.models import Evidence, FollowUpItem, ProgressReport, Task
from tasks.services import TasksError

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


def evidence_attach(
    *,
    task: Task,
    files: Sequence[UploadedFile],
    by: User | None,
    report: ProgressReport | None = None,
    follow_up: FollowUpItem | None = None,
) -> list[Evidence]:
    """Check every file first, then save them all: one bad file attaches none."""
    checked = []
    for upload in files:
        try:
            checked.append((upload, *evidence_check(upload)))
        except ValueError as error:
            raise TasksError(str(error), field="files") from error
    saved = []
    for upload, content_type, name, size in checked:
        evidence = Evidence(
            task=task,
            report=report,
            follow_up=follow_up,
            original_name=name,
            content_type=content_type,
            size=size,
            uploaded_by=by,
        )
        evidence.file.save(name, upload, save=False)
        evidence.save()
        saved.append(evidence)
    return saved
