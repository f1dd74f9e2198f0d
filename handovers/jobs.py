"""Celery jobs of the handovers. They take ids (or nothing), never objects."""

from __future__ import annotations

from celery import shared_task

from handovers.reminders import sweep
from notifications.jobs import RETRYING  # late ack, retries on a lost database, time limits


@shared_task(name="handovers.sweep_reminders", **RETRYING)
def sweep_reminders() -> dict[str, int]:
    """Daily: yellow and red work, the red escalation, helping units' opinions due and
    ratings left undone (safe to run any number of times: each is sent once)."""
    return sweep()
