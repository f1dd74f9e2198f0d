"""Periodic jobs run by ``celery beat``, in the portal's time zone (Asia/Shanghai).

Every job here is safe to run twice: the reminder sweeps record each reminder
before sending it, under a uniqueness rule.
"""

from celery.schedules import crontab  # noqa: F401  (used as modules add their jobs)

BEAT_SCHEDULE: dict[str, dict] = {}
