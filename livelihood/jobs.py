"""Celery jobs of the livelihood projects."""

from celery import shared_task

from livelihood.reminders import sweep
from notifications.jobs import RETRYING  # late ack, retries on a lost database, time limits


@shared_task(name="livelihood.sweep_reminders", **RETRYING)
def sweep_reminders() -> dict[str, int]:
    """Daily: deputies reminded once of each proposal open to their deliberation; units
    of their projects' milestones (7 and 1 days ahead, and once when late)."""
    return sweep()
