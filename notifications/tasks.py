"""Celery jobs of the notifications module. They take ids, never objects."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from notifications.services import deliveries_dispatch

RETRYING = {
    "acks_late": True,
    "autoretry_for": (OperationalError,),
    "retry_backoff": True,
    "max_retries": 5,
    "soft_time_limit": 5 * 60,
    "time_limit": 6 * 60,
}


@shared_task(name="notifications.dispatch_deliveries", **RETRYING)
def dispatch_deliveries(batch: str | None = None) -> int:
    """Send the open deliveries of one batch, or (batch None) every open one.

    Beat runs it without a batch every few minutes: that sweep picks up deliveries a
    killed worker left behind once their lease has run out.
    """
    return deliveries_dispatch(batch=batch)
