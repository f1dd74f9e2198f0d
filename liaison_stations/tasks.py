"""Celery jobs of the liaison stations. They take ids (or nothing), never objects."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from liaison_stations.reminders import sweep


@shared_task(
    name="liaison_stations.sweep_reminders",
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=5 * 60,
    time_limit=6 * 60,
)
def sweep_reminders() -> dict[str, int]:
    """Daily: duty tomorrow and referral deadlines (safe to run any number of times)."""
    return sweep()
