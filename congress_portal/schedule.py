"""Periodic jobs run by ``celery beat``, in the portal's time zone (Asia/Shanghai).

Every job here is safe to run twice: the reminder sweeps record each reminder
before sending it, under a uniqueness rule, and the monthly report is made once
per month. Two beat processes by mistake therefore cost nothing but work.
"""

from celery.schedules import crontab

BEAT_SCHEDULE: dict[str, dict] = {
    # Task lists: progress due (20th–25th), deadlines 7/1 days, overdue, Monday 周调度.
    "tasks-reminders": {
        "task": "tasks.sweep_reminders",
        "schedule": crontab(hour=8, minute=0),
    },
    # Task lists: Excel imports previewed but never confirmed, older than a day.
    "tasks-import-files": {
        "task": "tasks.purge_import_files",
        "schedule": crontab(hour=3, minute=30),
    },
    # Stations: duty tomorrow (sent the afternoon before) and referral deadlines.
    "stations-reminders": {
        "task": "liaison_stations.sweep_reminders",
        "schedule": crontab(hour=16, minute=0),
    },
    # Deliveries a killed worker left behind are sent once their lease runs out.
    "notifications-dispatch": {
        "task": "notifications.dispatch_deliveries",
        "schedule": crontab(minute="*/5"),
    },
    # On the 1st, the previous month's progress report.
    "reports-monthly": {
        "task": "reports.monthly_report",
        "schedule": crontab(day_of_month=1, hour=2, minute=0),
    },
}
