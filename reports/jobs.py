"""Celery jobs of the reports module. They take ids, never objects."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from reports.services import report_generate, report_schedule_monthly


@shared_task(
    name="reports.generate_report",
    acks_late=True,  # a worker killed mid-render leaves the message for another
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
    soft_time_limit=10 * 60,
    time_limit=12 * 60,
)
def generate_report(report_id: int) -> int:
    report = report_generate(report_id=report_id)
    return report.pk


@shared_task(
    name="reports.monthly_report",
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
    soft_time_limit=60,
    time_limit=120,
)
def monthly_report() -> int:
    """Beat, on the 1st: queue the previous month's report (once)."""
    return report_schedule_monthly().pk
