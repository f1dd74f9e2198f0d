"""Celery jobs of the ballot module. They take ids (or nothing), never objects."""

from __future__ import annotations

from celery import shared_task

from ballots.reminders import sweep
from notifications.jobs import RETRYING  # late ack, retries on a lost database, time limits


@shared_task(name="ballots.sweep_reminders", **RETRYING)
def sweep_reminders() -> dict[str, int]:
    """Daily: a congress session tomorrow, to its deputies (safe to run any number of times)."""
    return sweep()
