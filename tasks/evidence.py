"""Evidence files: what an upload may be (its type, by extension *and* by its first bytes,
and its size) and how checked files are attached to a report or a follow-up item."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from congress_portal.uploads import KNOWN_TYPES, MAX_UPLOAD_BYTES, upload_check
from organisation.models import User
from tasks.models import Evidence, FollowUpItem, ProgressReport, Task
from tasks.services import TasksError

MAX_EVIDENCE_BYTES = MAX_UPLOAD_BYTES


def evidence_check(upload: UploadedFile) -> tuple[str, str, int]:
    """The (content type, cleaned name, size in bytes) of acceptable evidence; a
    ``ValueError`` with a user-safe message otherwise."""
    return upload_check(
        upload,
        suffixes=KNOWN_TYPES,
        refused=_(
            "%(name)s: only PDF, JPEG, PNG, Word (.docx) and Excel (.xlsx) files are accepted."
        ),
    )


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
