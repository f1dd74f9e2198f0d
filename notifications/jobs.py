"""Celery jobs of the notifications module. They take ids, never objects."""

from __future__ import annotations

from celery import current_app, shared_task
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
def dispatch_deliveries(at_most: int | None = None) -> int:
    """Send up to ``at_most`` open deliveries, or (None) every open one.

    A sweep queues one job per chunk of the deliveries it recorded. Beat runs it
    without a limit every few minutes: that run picks up deliveries a killed worker
    left behind once their lease has run out.
    """
    return deliveries_dispatch(at_most=at_most)


def queue_dispatch(*, jobs: int, at_most: int) -> None:
    """Queue ``jobs`` dispatch jobs of ``at_most`` deliveries each, over one connection."""
    with current_app.producer_or_acquire() as producer:
        for _job in range(jobs):
            dispatch_deliveries.apply_async((at_most,), producer=producer)
