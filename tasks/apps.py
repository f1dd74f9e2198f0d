from celery.schedules import crontab
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from congress_portal.contributions import Contribution, NavItem
from organisation.roles import TASK_WORKERS


class TasksConfig(AppConfig):
    name = "tasks"
    verbose_name = _("Responsibility task lists")
    contributes = Contribution(
        nav=[NavItem(_("Task lists"), "tasks:index", TASK_WORKERS, order=10)],
        panels="tasks.panels.home_panels",
        report_sections="tasks.report_sections.sections",
        beat={
            # Progress due (20th–25th), deadlines 7/1 days, overdue, Monday 周调度.
            "tasks-reminders": {
                "task": "tasks.sweep_reminders",
                "schedule": crontab(hour=8, minute=0),
            },
            # Excel imports previewed but never confirmed, older than a day.
            "tasks-import-files": {
                "task": "tasks.purge_import_files",
                "schedule": crontab(hour=3, minute=30),
            },
        },
        demo="tasks.demo.seed",
        demo_order=40,  # the lists are handed to the organisation's units
    )
