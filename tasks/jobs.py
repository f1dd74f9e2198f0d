"""Celery jobs of the task lists. They take ids (or nothing), never objects."""

from __future__ import annotations

from celery import shared_task

from notifications.jobs import RETRYING  # late ack, retries on a lost database, time limits
from tasks.reminders import sweep
from tasks.services.lists import import_files_purge


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
