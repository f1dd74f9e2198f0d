"""Imports too long for a request (more than ``settings.IMPORT_IN_BACKGROUND_ROWS`` rows)
run as a Celery job, with a record the page polls.

Each importing app has its own record (``tasks.TaskImportJob``, ``deputies.DeputyImportJob``,
both :class:`ImportJob`), its job in ``jobs.py`` and its status page; what they share is
here:

- :func:`import_job_queue` keeps the uploaded file in the storage (as the task-list
  preview does) and queues the job once the record is committed;
- :func:`import_job_run` is the job's body: it checks every row (outside any transaction,
  so the page sees the count grow), then saves in **one** transaction that also marks the
  record done. A job that fails or dies midway leaves nothing half-imported; the page
  says it failed (a record that has not moved for longer than a job may run is shown as
  failed: its worker was killed).
"""

from __future__ import annotations

import datetime
import logging
import uuid
from collections.abc import Callable
from typing import IO, Any, TypeVar

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congress_portal.errors import DomainError
from congress_portal.spreadsheets import CellError

logger = logging.getLogger(__name__)

# The uploaded workbooks of queued imports wait here, under MEDIA_ROOT.
IMPORT_JOB_DIR = "imports"


class ImportJob(models.Model):
    """One import run by a worker: who started it, how far it is, what came of it."""

    class Status(models.TextChoices):
        QUEUED = "queued", gettext_lazy("Waiting for a worker")
        CHECKING = "checking", gettext_lazy("Checking the rows")
        SAVING = "saving", gettext_lazy("Saving")
        DONE = "done", gettext_lazy("Imported")
        REFUSED = "refused", gettext_lazy("Refused: nothing was saved")
        FAILED = "failed", gettext_lazy("Failed: nothing was saved")

    OPEN = (Status.QUEUED, Status.CHECKING, Status.SAVING)

    status = models.CharField(
        gettext_lazy("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    total = models.PositiveIntegerField(gettext_lazy("rows"), default=0)
    done = models.PositiveIntegerField(gettext_lazy("rows checked"), default=0)
    # The rows' problems, as {"row", "column", "message"}: the import refused the file.
    errors = models.JSONField(gettext_lazy("errors"), default=list, blank=True)
    message = models.CharField(gettext_lazy("outcome"), max_length=300, blank=True)
    file = models.CharField(gettext_lazy("uploaded file"), max_length=200, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("started by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(gettext_lazy("started"), auto_now_add=True)
    updated_at = models.DateTimeField(gettext_lazy("last progress"), auto_now=True)
    finished_at = models.DateTimeField(gettext_lazy("finished"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    @property
    def is_stale(self) -> bool:
        """Started, yet unmoved for longer than any job may run: its worker was killed
        (and no other took the message up again). A queued job is only waiting."""
        limit = datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
        started = (self.Status.CHECKING, self.Status.SAVING)
        return self.status in started and timezone.now() - self.updated_at > limit

    @property
    def shown_status(self) -> str:
        return self.Status.FAILED if self.is_stale else self.status

    @property
    def is_open(self) -> bool:
        return self.shown_status in self.OPEN

    @property
    def shown_status_label(self) -> str:
        return str(self.Status(self.shown_status).label)

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.done / self.total)) if self.total else 0

    @property
    def cell_errors(self) -> list[CellError]:
        return [CellError(**error) for error in self.errors]


J = TypeVar("J", bound=ImportJob)


def import_job_queue(
    *, model: type[J], file: IO[bytes], total: int, by: Any, job: Any, **fields: Any
) -> J:
    """Keep ``file`` for the worker, record the job and queue ``job`` (a Celery task
    taking the record's pk) once the record is committed."""
    file.seek(0)
    path = default_storage.save(f"{IMPORT_JOB_DIR}/{uuid.uuid4().hex}.xlsx", File(file))
    record = model.objects.create(file=path, total=total, started_by=by, **fields)
    transaction.on_commit(lambda: job.delay(record.pk))
    return record


def import_job_run(
    *,
    model: type[J],
    pk: int,
    check: Callable[[J, IO[bytes], Callable[[int], None]], Any],
    save: Callable[[J, Any], str],
) -> J | None:
    """The body of an import job. ``check(record, file, progress)`` reads and checks
    every row, calling ``progress(rows_done)`` now and then, and returns what ``save``
    needs; it raises :class:`RowsRefused` or a :class:`DomainError` to refuse the file.
    ``save(record, checked)`` writes it and returns the outcome for the page; it runs in
    the transaction that marks the record done, so both happen or neither."""
    record = model.objects.filter(pk=pk).first()
    if record is None or record.status not in record.OPEN:
        return record  # a message delivered twice: the first run has finished
    _set(record, status=model.Status.CHECKING, done=0)
    try:
        with default_storage.open(record.file, "rb") as file:
            checked = check(record, file, lambda done: _set(record, done=done))
        _set(record, status=model.Status.SAVING, done=record.total)
        with transaction.atomic():
            message = save(record, checked)
            _set(record, status=model.Status.DONE, message=message[:300], finished_at=_now())
    except RowsRefused as refused:
        _refuse(record, str(refused), refused.errors)
    except DomainError as error:
        _refuse(record, str(error), [])
    except Exception:
        logger.exception("import job %s %s failed", model.__name__, pk)
        _set(
            record,
            status=model.Status.FAILED,
            message=_("The import stopped; nothing was saved."),
            finished_at=_now(),
        )
        _delete_file(record)
        raise
    _delete_file(record)
    return record


class RowsRefused(Exception):
    """The rows have problems (all of them, by row and column): nothing is saved."""

    def __init__(self, message: str, errors: list[CellError]) -> None:
        super().__init__(message)
        self.errors = errors


def _now() -> datetime.datetime:
    return timezone.now()


def _set(record: ImportJob, **values: Any) -> None:
    for name, value in values.items():
        setattr(record, name, value)
    type(record).objects.filter(pk=record.pk).update(updated_at=_now(), **values)


def _refuse(record: ImportJob, message: str, errors: list[CellError]) -> None:
    _set(
        record,
        status=record.Status.REFUSED,
        message=message[:300],
        errors=[{"row": e.row, "column": e.column, "message": e.message} for e in errors],
        finished_at=_now(),
    )


def _delete_file(record: ImportJob) -> None:
    if record.file:
        default_storage.delete(record.file)
