"""Celery jobs of the liaison stations. They take ids (or nothing), never objects."""

from __future__ import annotations

import dataclasses

from celery import shared_task
from django.utils import timezone

from liaison_stations.reminders import sweep
from liaison_stations.services import rota_generate_ahead
from notifications.jobs import RETRYING  # late ack, retries on a lost database, time limits


@shared_task(name="liaison_stations.sweep_reminders", **RETRYING)
def sweep_reminders() -> dict[str, int]:
    """Daily: duty tomorrow (safe to run any number of times)."""
    return sweep()


@shared_task(name="liaison_stations.generate_rota", **RETRYING)
def generate_rota() -> dict[str, int]:
    """Daily: next month's rota for every active station that has none yet (a month made
    once is never touched again, so running it twice changes nothing)."""
    return dataclasses.asdict(rota_generate_ahead(today=timezone.localdate()))
