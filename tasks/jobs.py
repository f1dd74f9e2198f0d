"""Celery jobs of the task lists. They take ids (or nothing), never objects."""

from __future__ import annotations

from celery import shared_task

from notifications.jobs import RETRYING  # late ack, retries on a lost database, time limits
from tasks.reminders import sweep
from tasks.services.lists import import_files_purge, tasklist_import_run


@shared_task(name="tasks.sweep_reminders", **RETRYING)
def sweep_reminders() -> dict[str, int]:
    """Daily: record and send the task-list reminders (safe to run any number of times)."""
    return sweep()


@shared_task(
    name="tasks.purge_import_files",
    acks_late=True,
    soft_time_limit=5 * 60,
    time_limit=6 * 60,
)
def purge_import_files() -> int:
    """Daily: delete the Excel imports previewed but never confirmed (older than a day)."""
    return import_files_purge()


# Late acknowledgement: a worker killed midway leaves the message for another, which
# starts the import again (nothing of the first run was saved). No time limit of its
# own: the settings' (CELERY_TASK_TIME_LIMIT), which the job page also reads.
@shared_task(name="tasks.import_task_list", acks_late=True)
def import_task_list(job_id: int) -> str | None:
    """Import the workbook of a TaskImportJob into a new list: every row, or none."""
    job = tasklist_import_run(job_id=job_id)
    return job.status if job else None
