"""Celery jobs of the liaison stations. They take ids (or nothing), never objects."""

from __future__ import annotations

from celery import shared_task

from liaison_stations.reminders import sweep
from notifications.jobs import RETRYING  # late ack, retries on a lost database, time limits


@shared_task(name="liaison_stations.sweep_reminders", **RETRYING)
def sweep_reminders() -> dict[str, int]:
    """Daily: duty tomorrow and referral deadlines (safe to run any number of times)."""
    return sweep()
